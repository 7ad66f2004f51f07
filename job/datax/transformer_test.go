package datax_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
)

// The shape of DataX's transformer doc example: a streamreader, a list of
// transformers, a writer; here PostgreSQL, checked row by row.
func TestTransformersJobStreamToPostgres(t *testing.T) {
	dsn := testdb.Postgres(t)
	db := openDB(t, "pgx", dsn)
	exec(t, db, "CREATE TABLE tf (a text, n bigint, p text, h text, r text, seq bigint PRIMARY KEY)")
	url, user := postgresJDBCURL(t, dsn)
	j, err := job.Parse([]byte(fmt.Sprintf(`{"job": {
		"setting": {"speed": {"channel": 1}, "errorLimit": {"record": 0}},
		"content": [{
			"reader": {"name": "streamreader", "parameter": {
				"column": [
					{"value": "dataxTest", "type": "string"},
					{"value": 1724154616370, "type": "long"},
					{"value": "xyz", "type": "string"},
					{"value": "xyzzzzz", "type": "string"},
					{"value": "dataxTest", "type": "string"},
					{"incr": "1,1", "type": "long"}
				],
				"sliceRecordCount": 20}},
			"writer": {"name": "postgresqlwriter", "parameter": {
				"username": %q, "column": ["a", "n", "p", "h", "r", "seq"],
				"connection": [{"jdbcUrl": %q, "table": ["tf"]}]}},
			"transformer": [
				{"name": "dx_substr", "parameter": {"columnIndex": 0, "paras": ["2", "5"]}},
				{"name": "dx_pad", "parameter": {"columnIndex": 2, "paras": ["l", "4", "A"]}},
				{"name": "dx_digest", "parameter": {"columnIndex": 3, "paras": ["md5", "toUpperCase"]}},
				{"name": "dx_replace", "parameter": {"columnIndex": 4, "paras": ["5", "10", "****"]}},
				{"name": "dx_filter", "parameter": {"columnIndex": 5, "paras": [">", "10"]}},
				{"name": "dx_filter", "parameter": {"columnIndex": 1, "paras": ["<", "0"]}}
			]
		}]}}`, user, url)), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(20), res.RecordsRead)
	assert.Equal(t, int64(10), res.RecordsWritten)
	assert.Equal(t, int64(10), res.RecordsFiltered)
	rows, err := db.Query("SELECT a, n, p, h, r, seq FROM tf ORDER BY seq")
	require.NoError(t, err)
	defer rows.Close()
	seq := int64(0)
	for rows.Next() {
		seq++
		var a, p, h, r string
		var n, s int64
		require.NoError(t, rows.Scan(&a, &n, &p, &h, &r, &s))
		assert.Equal(t, []any{"taxTe", int64(1724154616370), "Axyz", "9CDFFC4FA4E45A99DB8BBCD762ACFFA2", "datax****", seq},
			[]any{a, n, p, h, r, s})
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, int64(10), seq)
}

// A table to a table, with a filter on a regular expression and on NULL,
// and a transformer error that is dirty data under errorLimit.
func TestTransformersJobPostgresToMySQL(t *testing.T) {
	pgDSN := testdb.Postgres(t)
	pg := openDB(t, "pgx", pgDSN)
	exec(t, pg, "CREATE TABLE people (id bigint PRIMARY KEY, email text, note text)",
		`INSERT INTO people SELECT i, CASE WHEN i % 3 = 0 THEN 'u' || i || '@example.com' ELSE 'u' || i || '@other.org' END,
			CASE WHEN i % 4 = 0 THEN NULL WHEN i % 5 = 0 THEN 'x' ELSE 'note ' || i END FROM generate_series(1, 120) i`)
	myDSN := testdb.MySQL(t)
	my := openDB(t, "mysql", myDSN)
	exec(t, my, "CREATE TABLE people (id bigint PRIMARY KEY, email varchar(100), note varchar(100))")
	cfg, err := gomysql.ParseDSN(myDSN)
	require.NoError(t, err)
	pgURL, pgUser := postgresJDBCURL(t, pgDSN)
	dirtyPath := t.TempDir() + "/dirty.jsonl"
	j, err := job.Parse([]byte(fmt.Sprintf(`{"job": {
		"setting": {"speed": {"channel": 2}, "errorLimit": {"record": 100}, "dirty": {"path": %q}},
		"content": [{
			"reader": {"name": "postgresqlreader", "parameter": {
				"username": %q, "column": ["id", "email", "note"], "splitPk": "id",
				"connection": [{"jdbcUrl": [%q], "table": ["people"]}]}},
			"writer": {"name": "mysqlwriter", "parameter": {
				"username": %q, "password": %q, "column": ["id", "email", "note"],
				"connection": [{"jdbcUrl": %q, "table": ["people"]}]}},
			"transformer": [
				{"name": "dx_filter", "parameter": {"columnIndex": 1, "paras": ["not like", "u[0-9]+@example\\.com"]}},
				{"name": "dx_filter", "parameter": {"columnIndex": 2, "paras": ["=", "null"]}},
				{"name": "dx_substr", "parameter": {"columnIndex": 2, "paras": ["2", "10"]}},
				{"name": "dx_digest", "parameter": {"columnIndex": 1, "paras": ["sha1", "toLowerCase"]}}
			]
		}]}}`, dirtyPath, pgUser, pgURL, cfg.User, cfg.Passwd, mysqlJDBCURL(t, myDSN))), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	res, err := pipelines[0].Run(context.Background())
	require.NoError(t, err)

	// Expected: ids divisible by 3 (example.com), note not NULL; note "x"
	// (ids divisible by 5) is shorter than the start: dirty.
	want := map[int64][2]string{}
	var dirty, filtered int64
	for i := int64(1); i <= 120; i++ {
		switch {
		case i%3 != 0 || i%4 == 0:
			filtered++
		case i%5 == 0:
			dirty++
		default:
			note := fmt.Sprintf("note %d", i)
			want[i] = [2]string{sha1Hex(fmt.Sprintf("u%d@example.com", i)), note[2:min(len(note), 12)]}
		}
	}
	assert.Equal(t, int64(120), res.RecordsRead)
	assert.Equal(t, filtered, res.RecordsFiltered)
	assert.Equal(t, dirty, res.RecordsDirty)
	assert.Equal(t, int64(len(want)), res.RecordsWritten)
	rows, err := my.Query("SELECT id, email, note FROM people ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	got := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var email, note string
		require.NoError(t, rows.Scan(&id, &email, &note))
		got[id] = [2]string{email, note}
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, want, got)
	require.NoError(t, j.Close())
	assert.Equal(t, int(dirty), strings.Count(readFile(t, dirtyPath), `dx_substr startIndex(2) out of range(1)`))
}

func TestTransformersJobMistakes(t *testing.T) {
	stream := `"reader": {"name": "streamreader", "parameter": {"column": [{"value": "a", "type": "string"}], "sliceRecordCount": 1}},
		"writer": {"name": "streamwriter", "parameter": {"print": false}}`
	for _, tc := range []struct{ transformers, want string }{
		{`{"name": "dx_groovy", "parameter": {"code": "return record;"}}`,
			"job.content[0].transformer[0].name: dx_groovy runs Groovy code, which needs a Java virtual machine"},
		{`{"name": "dx_replce", "parameter": {"columnIndex": 0, "paras": ["1", "2"]}}`,
			`job.content[0].transformer[0].name: no transformer named "dx_replce"; did you mean "dx_replace"?`},
		{`{"name": "dx_substr", "parameter": {"paras": ["1", "2"]}}`,
			"job.content[0].transformer[0].parameter.columnIndex: missing"},
		{`{"name": "dx_substr", "parameter": {"columnIndex": 0, "paras": ["1"]}}`,
			"job.content[0].transformer[0].parameter.paras: dx_substr takes 2 paras (start position and length), got 1"},
		{`{"name": "dx_substr", "parameter": {"columnIndex": 0, "paras": ["one", "2"]}}`,
			`job.content[0].transformer[0].parameter.paras[0]: the start position "one" is not a whole number`},
		{`{"name": "dx_pad", "parameter": {"columnIndex": 0, "paras": ["c", "4", "A"]}}`,
			`job.content[0].transformer[0].parameter.paras[0]: the side "c" is neither "l" nor "r"`},
		{`{"name": "dx_pad", "parameter": {"columnIndex": 0, "paras": ["l", "4", ""]}}`,
			"job.content[0].transformer[0].parameter.paras[2]: the padding is empty"},
		{`{"name": "dx_filter", "parameter": {"columnIndex": 0, "paras": ["~", "4"]}}`,
			`job.content[0].transformer[0].parameter.paras[0]: operator "~" is not one of like, not like`},
		{`{"name": "dx_filter", "parameter": {"columnIndex": 0, "paras": ["like", "(?<=a)b"]}}`,
			""}, // a regular expression is checked when the job starts
		{`{"name": "dx_digest", "parameter": {"columnIndex": 0, "paras": ["sha256", "toUpperCase"]}}`,
			`job.content[0].transformer[0].parameter.paras[0]: the hash "sha256" is neither "md5" nor "sha1"`},
		{`{"name": "dx_digest", "parameter": {"columnIndex": 0, "paras": ["md5", "upper"]}}`,
			`job.content[0].transformer[0].parameter.paras[1]: "upper" is neither "toUpperCase" nor "toLowerCase"`},
		{`{"name": "dx_digest", "parameter": {"columnIndex": 0, "paras": ["md5", "toUpperCase"], "extra": 1}}`,
			`job.content[0].transformer[0].parameter.extra`},
	} {
		_, err := job.Parse([]byte(`{"job": {"content": [{`+stream+`, "transformer": [`+tc.transformers+`]}]}}`), job.Options{})
		if tc.want == "" {
			assert.NoError(t, err, tc.transformers)
			continue
		}
		assert.ErrorContains(t, err, tc.want, tc.transformers)
	}

	// A column index past the reader's columns (DataX's own doc example has
	// one) fails the job when it starts, before the writer is prepared.
	for _, tc := range []struct{ transformers, want string }{
		{`{"name": "dx_substr", "parameter": {"columnIndex": 5, "paras": ["1", "3"]}}`,
			"job.content[0].transformer[0] (dx_substr): Substr: column index 5 is out of range: the source has 1 columns (0 to 0)"},
		{`{"name": "dx_filter", "parameter": {"columnIndex": 0, "paras": ["like", "(?<=a)b"]}}`,
			"job.content[0].transformer[0] (dx_filter): Filter: like \"(?<=a)b\": error parsing regexp"},
	} {
		j, err := job.Parse([]byte(`{"job": {"content": [{`+stream+`, "transformer": [`+tc.transformers+`]}]}}`), job.Options{})
		require.NoError(t, err)
		pipelines, err := j.Pipelines()
		require.NoError(t, err)
		_, err = pipelines[0].Run(context.Background())
		assert.ErrorContains(t, err, tc.want)
		require.NoError(t, j.Close())
	}
}

// A Go program can add its own transformers to a job's.
func TestTransformersJobWithGoTransformer(t *testing.T) {
	j, err := job.Parse([]byte(`{"job": {"setting": {"speed": {"channel": 1}}, "content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [{"value": "abc", "type": "string"}, {"incr": "1,1", "type": "long"}], "sliceRecordCount": 5}},
		"writer": {"name": "streamwriter", "parameter": {"print": false}},
		"transformer": [{"name": "dx_pad", "parameter": {"columnIndex": 0, "paras": ["r", "5", "-"]}}]}]}}`), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	var seen []string
	pipelines, err := j.Pipelines(datasync.WithTransform(datasync.TransformFunc(func(r datasync.Record, _ *datasync.Batch) (bool, error) {
		seen = append(seen, r.String())
		return true, nil
	})))
	require.NoError(t, err)
	_, err = pipelines[0].Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"(abc--, 1)", "(abc--, 2)", "(abc--, 3)", "(abc--, 4)", "(abc--, 5)"}, seen)
}

func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}
