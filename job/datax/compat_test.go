package datax_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
)

// runDataXJob parses text and runs each of its tasks, returning the job (closed
// when the test ends) and the results.
func runDataXJob(t *testing.T, text string) (*job.Job, []datasync.Result) {
	t.Helper()
	j, err := job.Parse([]byte(text), job.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = j.Close() })
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	var out []datasync.Result
	for _, p := range pipelines {
		res, err := p.Run(context.Background())
		require.NoError(t, err)
		out = append(out, res)
	}
	return j, out
}

// rows returns every row of query, each column as text ("NULL" for NULL),
// joined by "|".
func rows(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	r, err := db.Query(query)
	require.NoError(t, err, query)
	defer r.Close()
	cols, err := r.Columns()
	require.NoError(t, err)
	var out []string
	for r.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, r.Scan(ptrs...))
		fields := make([]string, len(cols))
		for i, v := range vals {
			fields[i] = "NULL"
			if v.Valid {
				fields[i] = v.String
			}
		}
		out = append(out, strings.Join(fields, "|"))
	}
	require.NoError(t, r.Err())
	return out
}

func warningPaths(j *job.Job) []string {
	var out []string
	for _, w := range j.Warnings {
		out = append(out, w.Path)
	}
	return out
}

// dataXSelfCheck is DataX's own self-check job, core/src/main/job/job.json,
// byte for byte.
const dataXSelfCheck = `{
    "job": {
        "setting": {
            "speed": {
                "channel": 2
            },
            "errorLimit": {
                "record": 0
            }
        },
        "content": [
            {
                "reader": {
                    "name": "streamreader",
                    "parameter": {
                        "column": [
                            {
                                "value": "DataX",
                                "type": "string"
                            },
                            {
                                "value": 1724154616370,
                                "type": "long"
                            },
                            {
                                "value": "2024-01-01 00:00:00",
                                "type": "date"
                            },
                            {
                                "value": true,
                                "type": "bool"
                            },
                            {
                                "value": "TestRawData",
                                "type": "bytes"
                            }
                        ],
                        "sliceRecordCount": 100
                    }
                },
                "writer": {
                    "name": "streamwriter",
                    "parameter": {
                        "print": false,
                        "encoding": "UTF-8"
                    }
                }
            }
        ]
    }
}`

// DataX's self-check job runs unchanged and makes DataX's 200 records (100
// per channel); streamwriter's encoding is accepted with a warning.
func TestDataXSelfCheckJobRunsUnchanged(t *testing.T) {
	j, res := runDataXJob(t, dataXSelfCheck)
	assert.Equal(t, int64(200), res[0].RecordsWritten)
	require.Len(t, j.Warnings, 1)
	assert.Equal(t, "job.content[0].writer.parameter.encoding", j.Warnings[0].Path)
	assert.Contains(t, j.Warnings[0].Message, "no effect")
}

// Item 1: the settings DataX accepts and ignores are accepted with a
// warning naming their path; the ones with a meaning here are honoured;
// a setting DataX does not know stays an error with a suggestion.
func TestDataXIgnoredSettingsAreAcceptedWithWarnings(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	require.NoError(t, os.WriteFile(in, []byte("1,2024-03-04 05:06:07\n"), 0o644))
	j, res := runDataXJob(t, `{
		"setting": {"speed": {"channel": 1}},
		"job": {"content": [{
			"reader": {"name": "txtfilereader", "parameter": {
				"path": ["`+in+`"], "fileName": "in.txt", "dateFormat": "yyyy-MM-dd", "bufferSize": 8192,
				"column": [{"index": 0, "type": "long"}, {"index": 1, "type": "date", "format": "yyyy-MM-dd HH:mm:ss"}]}},
			"writer": {"name": "txtfilewriter", "parameter": {
				"path": "`+filepath.Join(dir, "out")+`", "fileName": "r", "writeMode": "truncate",
				"format": "yyyy/MM/dd HH:mm", "csvWriterConfig": {"x": 1}}}
		}]}}`)
	assert.Equal(t, int64(1), res[0].RecordsWritten)
	assert.Equal(t, []string{
		"setting",
		"job.content[0].reader.parameter.bufferSize",
		"job.content[0].reader.parameter.dateFormat",
		"job.content[0].reader.parameter.fileName",
		"job.content[0].writer.parameter.csvWriterConfig",
	}, warningPaths(j))
	// format, DataX's older name of dateFormat, is honoured.
	names, _ := filepath.Glob(filepath.Join(dir, "out", "r__*"))
	require.Len(t, names, 1)
	data, err := os.ReadFile(names[0])
	require.NoError(t, err)
	assert.Equal(t, "1,2024/03/04 05:06\n", string(data))

	// mysqlreader's and the writer's DataX-only settings.
	j, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mysqlreader", "parameter": {"username": "u", "password": "p", "mandatoryEncoding": "utf8", "splitFactor": 5,
			"connection": [{"jdbcUrl": ["jdbc:mysql://h/db"], "table": ["t"]}]}},
		"writer": {"name": "streamwriter", "parameter": {"recordNumBeforeSleep": 10, "sleepTime": 5}}}]}}`), job.Options{})
	require.NoError(t, err)
	j.Close()
	assert.Equal(t, []string{
		"job.content[0].reader.parameter.mandatoryEncoding",
		"job.content[0].reader.parameter.splitFactor",
		"job.content[0].writer.parameter.recordNumBeforeSleep",
		"job.content[0].writer.parameter.sleepTime",
	}, warningPaths(j))

	// Unknown settings stay errors, with their path and a suggestion.
	_, err = job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 1}},
		"writer": {"name": "streamwriter", "parameter": {"encodng": "UTF-8"}}}]}}`), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `job.content[0].writer.parameter.encodng: unknown setting "encodng"; did you mean "encoding"?`)
}

// Item 1: streamwriter's path and fileName send the lines to a file, as
// in DataX.
func TestStreamWriterPathAndFileName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "made")
	_, res := runDataXJob(t, `{"job": {"content": [{
		"reader": {"name": "streamreader", "parameter": {"sliceRecordCount": 3,
			"column": [{"type": "string", "value": "DataX"}, {"type": "long", "value": 7}]}},
		"writer": {"name": "streamwriter", "parameter": {"path": "`+dir+`", "fileName": "out.txt", "fieldDelimiter": ","}}}]}}`)
	assert.Equal(t, int64(3), res[0].RecordsWritten)
	data, err := os.ReadFile(filepath.Join(dir, "out.txt"))
	require.NoError(t, err)
	assert.Equal(t, "DataX,7\nDataX,7\nDataX,7\n", string(data))
}

// Item 2: comments and trailing commas in both dialects; a syntax error
// after them is still reported at its line and column.
func TestJobFilesTakeCommentsAndTrailingCommas(t *testing.T) {
	_, res := runDataXJob(t, `// DataX's self-check, commented
{
    "job": {
        /* one channel */
        "setting": {"speed": {"channel": 1,},},
        "content": [{
            "reader": {"name": "streamreader", "parameter": {
                "column": [{"type": "string", "value": "http://x/*y*/"},], // not a comment in a string
                "sliceRecordCount": 4,
            }},
            "writer": {"name": "streamwriter", "parameter": {"print": false,}},
        },],
    },
}`)
	assert.Equal(t, int64(4), res[0].RecordsWritten)

	_, res = runDataXJob(t, `{
  "type": "job", "version": "2.0", // DataWorks
  "steps": [
    {"stepType": "stream", "name": "Reader", "category": "reader",
     "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 2,}},
    /* the writer */
    {"stepType": "stream", "name": "Writer", "category": "writer", "parameter": {"print": false}},
  ],
  "order": {"hops": [{"from": "Reader", "to": "Writer"},]},
  "setting": {"speed": {"concurrent": 1,},},
}`)
	assert.Equal(t, int64(2), res[0].RecordsWritten)

	_, err := job.Parse([]byte("// a comment\n/* two\nlines */ {\"job\": {\n  \"content\": [}\n}"), job.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 4, column 15")
}

// Item 5: a connection's jdbcUrl list is tried in order (DataX's own doc
// example lists a bad host and a bad port first); when none connects,
// every failure is reported, passwords redacted.
func TestJdbcURLListReadsThroughTheFirstThatConnects(t *testing.T) {
	dsn := testdb.MySQL(t)
	db := openDB(t, "mysql", dsn)
	exec(t, db, "CREATE TABLE db_info (db_id int PRIMARY KEY, on_line_flag int)",
		"INSERT INTO db_info VALUES (1, 1), (2, 0), (12, 1)")
	cfg, err := gomysql.ParseDSN(dsn)
	require.NoError(t, err)
	good := mysqlJDBCURL(t, dsn)
	badHost := "jdbc:mysql://127.0.0.1:1/" + cfg.DBName + "?password=sekrit99&connectTimeout=2000"
	badPort := "jdbc:mysql://127.0.0.1:bad_port/" + cfg.DBName
	job := func(urls ...string) string {
		list := `"` + strings.Join(urls, `", "`) + `"`
		return fmt.Sprintf(`{"job": {"setting": {"speed": {"channel": 1}}, "content": [{
			"reader": {"name": "mysqlreader", "parameter": {"username": %q, "password": %q,
				"connection": [{"querySql": ["select db_id,on_line_flag from db_info where db_id < 10;"],
					"jdbcUrl": [%s]}]}},
			"writer": {"name": "mysqlwriter", "parameter": {"username": %q, "password": %q, "writeMode": "insert",
				"column": ["db_id", "on_line_flag"], "preSql": ["delete from @table"],
				"connection": [{"jdbcUrl": %q, "table": ["copy"]}]}}}]}}`,
			cfg.User, cfg.Passwd, list, cfg.User, cfg.Passwd, good)
	}
	exec(t, db, "CREATE TABLE copy (db_id int PRIMARY KEY, on_line_flag int)")
	_, res := runDataXJob(t, job(badHost, badPort, good))
	assert.Equal(t, int64(2), res[0].RecordsWritten)
	assert.Equal(t, []string{"1|1", "2|0"}, rows(t, db, "SELECT * FROM copy ORDER BY db_id"))

	j, err := parseJob(job(badHost, badPort))
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	_, err = pipelines[0].Run(context.Background())
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "none of the 2 jdbcUrls connects")
	assert.Contains(t, msg, "jdbcUrl[1]")
	assert.Contains(t, msg, "127.0.0.1:1")
	assert.NotContains(t, msg, "sekrit99")
}

func parseJob(text string) (*job.Job, error) { return job.Parse([]byte(text), job.Options{}) }

// Item 6: a DataX job without speed.channel runs one channel, so
// streamreader makes sliceRecordCount records, as DataX; the limits are
// job-wide and said so.
func TestDataXJobRunsOneChannelUnlessTold(t *testing.T) {
	const shape = `{"job": {"setting": {"speed": {%s}}, "content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 7}},
		"writer": {"name": "streamwriter", "parameter": {"print": false}}}]}}`
	j, res := runDataXJob(t, fmt.Sprintf(shape, `"byte": 1048576`))
	assert.Equal(t, int64(7), res[0].RecordsWritten)
	assert.Equal(t, "DataX speed settings: speed.byte 1048576 bytes/s for the whole job, shared by all channels (DataX gives each channel its share); 1 channel (no speed.channel given, as DataX)", j.LimitsNote())
	j, res = runDataXJob(t, fmt.Sprintf(shape, `"channel": 3, "record": 1000000`))
	assert.Equal(t, int64(21), res[0].RecordsWritten)
	assert.Contains(t, j.LimitsNote(), "speed.record 1000000 records/s for the whole job")
	j, _ = runDataXJob(t, fmt.Sprintf(shape, `"channel": 2`))
	assert.Empty(t, j.LimitsNote(), "no limits, nothing to say")
}

// Item 7: plugins and formats datasync does not have are refused with a
// message naming them and listing what is supported, before anything
// else about the step.
func TestUnsupportedPluginsAndFormatsAreNamed(t *testing.T) {
	_, err := parseJob(`{"job": {"content": [{
		"reader": {"name": "hdfsreader", "parameter": {"defaultFS": "hdfs://x", "fileType": "orc"}},
		"writer": {"name": "streamwriter", "parameter": {}}}]}}`)
	require.Error(t, err)
	var inv *job.InvalidError
	require.ErrorAs(t, err, &inv)
	require.Len(t, inv.Problems, 1)
	assert.Contains(t, err.Error(), `job.content[0].reader.name: no reader named "hdfsreader": it is a DataX plugin that is not supported here; the readers supported: `)
	assert.Contains(t, err.Error(), "txtfilereader")

	_, err = parseJob(`{"job": {"content": [{
		"reader": {"name": "txtfilereader", "parameter": {"fileFormat": "orc", "path": "/x", "column": [{"index": 0, "type": "widget"}], "hadoopConfig": {}}},
		"writer": {"name": "txtfilewriter", "parameter": {"path": "/tmp/x", "fileName": "y", "compress": "lzo"}}}]}}`)
	require.ErrorAs(t, err, &inv)
	assert.Equal(t, []string{
		`job.content[0].reader.parameter.fileFormat: "orc" is not supported: datasync reads csv, text, jsonl`,
		`job.content[0].writer.parameter.compress: "lzo" is not supported: datasync writes none, gzip, zstd`,
	}, problemTexts(inv))
}

func problemTexts(inv *job.InvalidError) []string {
	var out []string
	for _, p := range inv.Problems {
		out = append(out, p.Error())
	}
	return out
}

// Item 9: a DataX txtfilewriter writes DataX's text: no quotes, timestamps
// as yyyy-MM-dd HH:mm:ss, files named fileName__<random>; the Go API
// (connector/file) keeps its own defaults, tested there.
func TestTxtFileWriterWritesDataXText(t *testing.T) {
	dsn := testdb.Postgres(t)
	db := openDB(t, "pgx", dsn)
	exec(t, db, `CREATE TABLE t (id int PRIMARY KEY, note text, day date, at timestamp, z timestamptz, tm time)`,
		`INSERT INTO t VALUES (1, 'say "hi"', '2024-01-02', '2024-01-02 03:04:05.678', '2024-01-02 03:04:05+00', '10:11:12.5'),
			(2, NULL, NULL, NULL, NULL, NULL)`)
	url, user := postgresJDBCURL(t, dsn)
	dir := t.TempDir()
	_, res := runDataXJob(t, fmt.Sprintf(`{"job": {"setting": {"speed": {"channel": 1}}, "content": [{
		"reader": {"name": "postgresqlreader", "parameter": {"username": %q, "password": "",
			"column": ["id", "note", "day", "at", "z", "tm"], "splitPk": "id",
			"connection": [{"table": ["t"], "jdbcUrl": [%q]}]}},
		"writer": {"name": "txtfilewriter", "parameter": {"path": %q, "fileName": "luohw", "writeMode": "truncate"}}}]}}`,
		user, url, dir))
	assert.Equal(t, int64(2), res[0].RecordsWritten)
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	var lines []string
	for _, name := range names { // a file per split, as DataX writes a file per task
		assert.Regexp(t, `^luohw__[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$`, filepath.Base(name))
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		lines = append(lines, strings.SplitAfter(string(data), "\n")...)
	}
	slices.Sort(lines)
	assert.Equal(t, "1,say \"hi\",2024-01-02,2024-01-02 03:04:05,2024-01-02 03:04:05,10:11:12\n"+
		"2,\\N,\\N,\\N,\\N,\\N\n", strings.Join(lines, ""))
}

// Item 1 at the job level: DataX's engine settings beside "job" and its
// "no limit" -1 are accepted with warnings.
func TestDataXEngineSettingsAndUnlimitedSpeedAreAccepted(t *testing.T) {
	j, res := runDataXJob(t, `{
		"core": {"transport": {"channel": {"speed": {"byte": 1048576}}}},
		"common": {"column": {"datetimeFormat": "yyyy-MM-dd HH:mm:ss"}},
		"job": {"setting": {"speed": {"channel": 2, "byte": -1, "record": -1}},
			"content": [{
				"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 5}},
				"writer": {"name": "streamwriter", "parameter": {"print": false}}}]}}`)
	assert.Equal(t, int64(10), res[0].RecordsWritten)
	assert.Equal(t, []string{"core", "common", "job.setting.speed.byte", "job.setting.speed.record"}, warningPaths(j))
	assert.Empty(t, j.LimitsNote())
}
