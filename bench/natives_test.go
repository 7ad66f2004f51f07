package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadDataNullIf(t *testing.T) {
	got := loadDataNullIf("'/dev/stdin'", "FIELDS TERMINATED BY ',' ", "", map[string]string{"active": "X"})
	assert.True(t, strings.HasPrefix(got, "LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE bench CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' (@id, @qty,"), got)
	assert.Contains(t, got, "SET id = NULLIF(@id, ''), qty = NULLIF(@qty, '')")
	assert.Contains(t, got, "active = X, created = NULLIF(@created, '')")
	assert.Equal(t, `'it\'s C:\\x'`, sqlString(`it's C:\x`))
}

func TestShellQuote(t *testing.T) {
	assert.Equal(t, "psql", shellQuote("psql"))
	assert.Equal(t, "ON_ERROR_STOP=1", shellQuote("ON_ERROR_STOP=1"))
	assert.Equal(t, "''", shellQuote(""))
	assert.Equal(t, "'COPY bench TO STDOUT'", shellQuote("COPY bench TO STDOUT"))
	assert.Equal(t, `"NULL 'NULL'"`, shellQuote("NULL 'NULL'"))
	assert.Equal(t, `'a\n'\''b'`, shellQuote(`a\n'b`))
}

func TestPlanString(t *testing.T) {
	e, err := newEnv(Config{Postgres: "postgres://u:secret@db:5433/x?sslmode=disable", MySQL: "root:pw@tcp(my:3307)/", Database: "b", Dir: t.TempDir()})
	require.NoError(t, err)
	e.tools = map[string]string{"psql": "/usr/bin/psql", "mariadb": "/usr/bin/mariadb"}
	s := pgToMySQL.Build(e).String()
	assert.Contains(t, s, "PGPASSWORD='***' psql -X -q -v ON_ERROR_STOP=1 -d 'postgres://u@db:5433/b?sslmode=disable' -c 'COPY (SELECT id, qty, big, name, note, amount, score, active::int, created, day FROM bench) TO STDOUT' | ")
	assert.Contains(t, s, "MYSQL_PWD='***' mariadb --user=root --default-character-set=utf8mb4 --protocol=TCP --host=my --port=3307 --local-infile=1 -e ")
	assert.True(t, strings.HasSuffix(s, " b_target"), s)
	assert.NotContains(t, s, "secret", "passwords are not shown, nor on command lines")
	assert.NotContains(t, s, "pw")

	p := pgToCSV.Build(e)
	assert.True(t, strings.HasSuffix(p.String(), "TO STDOUT (FORMAT csv, HEADER)' > "+e.csvTargetDir+"/bench.csv"), p.String())
	p = csvToPG.Build(e)
	assert.True(t, strings.HasSuffix(p.String(), " < "+e.csvSource), p.String())
}

func TestPgloaderURLs(t *testing.T) {
	e, err := newEnv(Config{Postgres: "postgres://u:p%40ss@db:5433/x", MySQL: "root:pw@tcp(my:3307)/", Database: "b", Dir: t.TempDir()})
	require.NoError(t, err)
	from, into := e.pgloaderURLs()
	assert.Equal(t, "mysql://root:pw@my:3307/b", from)
	assert.Equal(t, "postgresql://u:p%40ss@db:5433/b_target", into)
}

func TestExplainLocalInfileRefusal(t *testing.T) {
	msg := "mariadb (2 of 2): exit status 1: ERROR 4166 (HY000) at line 1: The used command is not allowed because the MariaDB server or client has disabled the local infile capability"
	assert.Contains(t, explain(msg), "the server needs local_infile=ON")
	assert.Equal(t, "psql: exit status 1", explain("psql: exit status 1"))
}

func TestParseVersion(t *testing.T) {
	for line, want := range map[string]string{
		"psql (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)":                                                           "15.20",
		"pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)":                                                        "15.20",
		"/usr/bin/mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper": "10.11.19-MariaDB",
		`pgloader version "3.6.7~devel"`:                                                                             "3.6.7~devel",
		"something else 1.0":                                                                                         "something else 1.0",
	} {
		assert.Equal(t, want, parseVersion(line))
	}
}

func TestPasswordInURL(t *testing.T) {
	assert.Equal(t, "FROM mysql://root:***@my:3307/b", passwordInURL.ReplaceAllString("FROM mysql://root:s3cr:et@my:3307/b", "$1***@"))
	assert.Equal(t, "INTO postgresql://u@db/b", passwordInURL.ReplaceAllString("INTO postgresql://u@db/b", "$1***@"))
}
