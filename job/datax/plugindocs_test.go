package datax_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
)

// Jobs in the shapes of DataX's plugin docs (mysqlreader.md,
// mysqlwriter.md, postgresqlreader.md, postgresqlwriter.md,
// txtfilereader.md, txtfilewriter.md), with only the connections and paths
// changed, run end to end; the targets are checked row by row.

func TestPluginDocJobMySQLToMySQL(t *testing.T) {
	dsn := testdb.MySQL(t)
	db := openDB(t, "mysql", dsn)
	exec(t, db, "CREATE TABLE `table` (db_id int PRIMARY KEY, id int, name varchar(20))",
		"INSERT INTO `table` VALUES (1, 10, 'a'), (2, 20, NULL), (3, 30, 'c d')",
		"CREATE TABLE test (id int, name varchar(20))", "INSERT INTO test VALUES (-1, 'stale')")
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	url := mysqlJDBCURL(t, dsn)
	_, res := runDataXJob(t, fmt.Sprintf(`{
    "job": {
        "setting": {
            "speed": {
                 "channel": 3
            },
            "errorLimit": {
                "record": 0,
                "percentage": 0.02
            }
        },
        "content": [
            {
                "reader": {
                    "name": "mysqlreader",
                    "parameter": {
                        "username": %q,
                        "password": %q,
                        "column": [
                            "id",
                            "name"
                        ],
                        "splitPk": "db_id",
                        "connection": [
                            {
                                "table": [
                                    "table"
                                ],
                                "jdbcUrl": [
     %q
                                ]
                            }
                        ]
                    }
                },
                "writer": {
                    "name": "mysqlwriter",
                    "parameter": {
                        "writeMode": "insert",
                        "username": %q,
                        "password": %q,
                        "column": [
                            "id",
                            "name"
                        ],
                        "session": [
                        	"set session sql_mode='ANSI'"
                        ],
                        "preSql": [
                            "delete from test"
                        ],
                        "connection": [
                            {
                                "jdbcUrl": "%s&characterEncoding=gbk",
                                "table": [
                                    "test"
                                ]
                            }
                        ]
                    }
                }
            }
        ]
    }
}`, cfg.User, cfg.Passwd, url, cfg.User, cfg.Passwd, url))
	assert.Equal(t, int64(3), res[0].RecordsWritten)
	assert.Equal(t, []string{"10|a", "20|NULL", "30|c d"}, rows(t, db, "SELECT id, name FROM test ORDER BY id"))
}

func TestPluginDocJobPostgreSQLToPostgreSQL(t *testing.T) {
	dsn := testdb.Postgres(t)
	db := openDB(t, "pgx", dsn)
	exec(t, db, "CREATE TABLE pa (id int PRIMARY KEY, name text, born date)",
		"INSERT INTO pa VALUES (1, 'x', '2001-02-03'), (2, NULL, NULL), (3, 'z', '1999-12-31')",
		"CREATE TABLE test (id int, name text)", "INSERT INTO test VALUES (-1, 'stale')")
	url, user := postgresJDBCURL(t, dsn)
	_, res := runDataXJob(t, fmt.Sprintf(`{
    "job": {
        "setting": {
            "speed": {
                "byte": 1048576
            }
        },
        "content": [
            {
                "reader": {
                    "name": "postgresqlreader",
                    "parameter": {
                        "username": %q,
                        "password": "",
                        "column": [
                            "id","name"
                        ],
                        "splitPk": "id",
                        "where": "id > 0",
                        "fetchSize": 1024,
                        "connection": [
                            {
                                "table": [
                                    "pa"
                                ],
                                "jdbcUrl": [
                                    %q
                                ]
                            }
                        ]
                    }
                },
                "writer": {
                    "name": "postgresqlwriter",
                    "parameter": {
                        "username": %q,
                        "password": "",
                        "column": [
                            "id",
                            "name"
                        ],
                        "preSql": [
                            "delete from test"
                        ],
                        "connection": [
                            {
                                "jdbcUrl": %q,
                                "table": [
                                    "test"
                                ]
                            }
                        ]
                    }
                }
            }
        ]
    }
}`, user, url, user, url))
	assert.Equal(t, int64(3), res[0].RecordsWritten)
	assert.Equal(t, []string{"1|x", "2|NULL", "3|z"}, rows(t, db, "SELECT id, name FROM test ORDER BY id"))
}

func TestPluginDocJobTxtFileToPostgreSQLAndMySQLToTxtFile(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "data"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "data", "part1"), []byte("1,true,1.5,hello,2014.12.31\n2,false,-0.25,,2015.01.01\n"), 0o644))
	pg := testdb.Postgres(t)
	pdb := openDB(t, "pgx", pg)
	exec(t, pdb, "CREATE TABLE t (id bigint, ok boolean, score double precision, word text, day date)")
	url, user := postgresJDBCURL(t, pg)
	_, res := runDataXJob(t, fmt.Sprintf(`{
    "setting": {},
    "job": {
        "setting": {
            "speed": {
                "channel": 2
            }
        },
        "content": [
            {
                "reader": {
                    "name": "txtfilereader",
                    "parameter": {
                        "path": [%q],
                        "encoding": "UTF-8",
                        "column": [
                            {
                                "index": 0,
                                "type": "long"
                            },
                            {
                                "index": 1,
                                "type": "boolean"
                            },
                            {
                                "index": 2,
                                "type": "double"
                            },
                            {
                                "index": 3,
                                "type": "string"
                            },
                            {
                                "index": 4,
                                "type": "date",
                                "format": "yyyy.MM.dd"
                            }
                        ],
                        "fieldDelimiter": ","
                    }
                },
                "writer": {
                    "name": "postgresqlwriter",
                    "parameter": {
                        "username": %q, "password": "",
                        "column": ["id", "ok", "score", "word", "day"],
                        "connection": [{"jdbcUrl": %q, "table": ["t"]}]
                    }
                }
            }
        ]
    }
}`, filepath.Join(dir, "data"), user, url))
	assert.Equal(t, int64(2), res[0].RecordsWritten)
	assert.Equal(t, []string{"1|true|1.5|hello|2014-12-31", "2|false|-0.25||2015-01-01"},
		rows(t, pdb, "SELECT id, ok, score, word, to_char(day, 'YYYY-MM-DD') FROM t ORDER BY id"))

	// txtfilewriter.md's job, reading MySQL.
	my := testdb.MySQL(t)
	mdb := openDB(t, "mysql", my)
	exec(t, mdb, "CREATE TABLE src (id int PRIMARY KEY, at datetime, note varchar(20))",
		"INSERT INTO src VALUES (1, '2024-05-06 07:08:09', 'x'), (2, NULL, NULL)")
	cfg, err := gomysql.ParseDSN(my)
	require.NoError(t, err)
	out := filepath.Join(dir, "result")
	_, res = runDataXJob(t, fmt.Sprintf(`{
    "job": {
        "setting": {"speed": {"channel": 1}},
        "content": [
            {
                "reader": {"name": "mysqlreader", "parameter": {"username": %q, "password": %q,
                    "column": ["*"], "connection": [{"table": ["src"], "jdbcUrl": [%q]}]}},
                "writer": {
                    "name": "txtfilewriter",
                    "parameter": {
                        "path": %q,
                        "fileName": "luohw",
                        "writeMode": "truncate",
                        "dateFormat": "yyyy-MM-dd"
                    }
                }
            }
        ]
    }
}`, cfg.User, cfg.Passwd, mysqlJDBCURL(t, my), out))
	assert.Equal(t, int64(2), res[0].RecordsWritten)
	names, err := filepath.Glob(filepath.Join(out, "luohw__*"))
	require.NoError(t, err)
	var text string
	for _, n := range names {
		data, err := os.ReadFile(n)
		require.NoError(t, err)
		text += string(data)
	}
	// dateFormat applies to DATETIME columns too, as in DataX.
	assert.ElementsMatch(t, []string{"1,2024-05-06,x", "2,\\N,\\N"}, splitLines(text))
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range len(s) {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
