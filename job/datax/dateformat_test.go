package datax_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/sink"
)

// DataX's dateFormat is a Java SimpleDateFormat pattern for every date
// type: a timestamp written with yyyy-MM-dd HH:mm:ss gets no Z, and 12-hour
// clocks, month names and zones are written and read as Java does.
func TestDateFormatJobs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(in, []byte(
		"1,04-Jul-2001 12:08 PM,2001-07-04T12:08:56.235-07:00,Wed 2001/07/04\n"+
			"2,01-Jan-1999 12:00 AM,1999-01-01T00:00:00.000Z,Fri 1999/01/01\n"), 0o644))
	runOne := func(writer string) string {
		t.Helper()
		out := filepath.Join(dir, "out")
		require.NoError(t, os.RemoveAll(out))
		n := runJob(t, `{"job": {"setting": {"speed": {"channel": 1}}, "content": [{
			"reader": {"name": "txtfilereader", "parameter": {"path": [`+quote(in)+`], "fieldDelimiter": ",",
				"column": [{"index": 0, "type": "long"},
					{"index": 1, "type": "date", "format": "dd-MMM-yyyy hh:mm a"},
					{"index": 2, "type": "date", "format": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"},
					{"index": 3, "type": "date", "format": "EEE yyyy/MM/dd"}]}},
			"writer": {"name": "txtfilewriter", "parameter": {"path": `+quote(out)+`, "fileName": "r",
				"writeMode": "truncate", "fileFormat": "text", "fieldDelimiter": "|", `+writer+`}}
		}]}}`, job.Options{})
		require.Equal(t, int64(2), n)
		files, err := filepath.Glob(filepath.Join(out, "r*"))
		require.NoError(t, err)
		require.Len(t, files, 1)
		data, err := os.ReadFile(files[0])
		require.NoError(t, err)
		return string(data)
	}
	// A date written with a time of day has midnight, as in DataX.
	assert.Equal(t, "1|2001-07-04 12:08:00|2001-07-04 19:08:56|2001-07-04 00:00:00\n2|1999-01-01 00:00:00|1999-01-01 00:00:00|1999-01-01 00:00:00\n",
		runOne(`"dateFormat": "yyyy-MM-dd HH:mm:ss"`), "instants in UTC, and no Z the pattern does not ask for")
	assert.Equal(t, "1|07/04/01 12:08 PM|07/04/01 07:08 PM|07/04/01 12:00 AM\n2|01/01/99 12:00 AM|01/01/99 12:00 AM|01/01/99 12:00 AM\n",
		runOne(`"dateFormat": "MM/dd/yy hh:mm a"`))
	assert.Equal(t, "1|Wed, 4 Jul 2001 12:08:00 +0000|Wed, 4 Jul 2001 19:08:56 +0000|2001-07-04\n2|Fri, 1 Jan 1999 00:00:00 +0000|Fri, 1 Jan 1999 00:00:00 +0000|1999-01-01\n",
		runOne(`"dateFormat": "yyyy-MM-dd", "timestampFormat": "EEE, d MMM yyyy HH:mm:ss Z"`))
}

func quote(s string) string { return `"` + s + `"` }

// streamreader's date columns read their value with the column's
// dateFormat, as DataX does.
func TestStreamReaderDateFormat(t *testing.T) {
	src := newStreamSource(t, `{"column": [
		{"value": "04/07/2001 12:08 PM", "type": "date", "dateFormat": "dd/MM/yyyy hh:mm a"},
		{"value": "2001-07-04T12:08:56.235-07:00", "type": "date", "dateFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"},
		{"value": "2001-07-04 12:08:56", "type": "date"}
	], "sliceRecordCount": 1}`)
	dst := sink.Collect()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(1))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, dst.Len())
	assert.Equal(t, "(2001-07-04 12:08:00, 2001-07-04 19:08:56.235Z, 2001-07-04 12:08:56)", dst.Records()[0].String())

	for _, tc := range []struct{ column, want string }{
		{`{"value": "2001-07-04", "type": "date", "dateFormat": "dd/MM/yyyy"}`, `column[0].value: "2001-07-04" does not read with dateFormat "dd/MM/yyyy"`},
		{`{"value": "x", "type": "date", "dateFormat": "yyyy-ww"}`, "column[0].dateFormat: date pattern \"yyyy-ww\": week-based letter"},
		{`{"value": "x", "type": "string", "dateFormat": "yyyy"}`, "column[0].dateFormat: is for a date column"},
	} {
		c, _ := job.DefaultRegistry.Lookup("streamreader")
		params, err := c.Source.Decode(json.RawMessage(`{"column": [` + tc.column + `], "sliceRecordCount": 1}`))
		require.NoError(t, err)
		_, err = c.Source.Build(params)
		assert.ErrorContains(t, err, tc.want)
	}
}
