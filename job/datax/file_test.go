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
)

// build decodes DataX parameters for the reader and the writer registered
// under the given names and builds them.
func build(t *testing.T, readerName, reader, writerName, writer string) (datasync.Source, datasync.Sink) {
	t.Helper()
	r, ok := job.DefaultRegistry.Lookup(readerName)
	require.True(t, ok, readerName)
	rp, err := r.Source.Decode(json.RawMessage(reader))
	require.NoError(t, err)
	src, err := r.Source.Build(rp)
	require.NoError(t, err)
	w, ok := job.DefaultRegistry.Lookup(writerName)
	require.True(t, ok, writerName)
	wp, err := w.Sink.Decode(json.RawMessage(writer))
	require.NoError(t, err)
	dst, err := w.Sink.Build(wp)
	require.NoError(t, err)
	return src, dst
}

func runPipeline(t *testing.T, src datasync.Source, dst datasync.Sink) {
	t.Helper()
	p, err := datasync.NewPipeline(src, dst)
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
}

// A DataX txtfilereader / txtfilewriter job's parameters, with DataX's type
// names, nullFormat, csvReaderConfig and maxFileSize in MiB.
func TestTxtFileParameters(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "in"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "in", "a.txt"), []byte("1|true|3.14|hello|2014.12.31\n2|false|0.5|\\N|2015.01.01\n"), 0o644))
	reader := `{
		"path": ["` + filepath.Join(dir, "in") + `/*"],
		"encoding": "UTF-8",
		"column": [
			{"index": 0, "type": "long"},
			{"index": 1, "type": "boolean"},
			{"index": 2, "type": "double"},
			{"index": 3, "type": "string"},
			{"index": 4, "type": "date", "format": "yyyy.MM.dd"},
			{"type": "string", "value": "alibaba"}
		],
		"fieldDelimiter": "|",
		"csvReaderConfig": {"safetySwitch": false}
	}`
	writer := `{
		"path": "` + filepath.Join(dir, "out") + `",
		"fileName": "datax_result",
		"writeMode": "truncate",
		"fieldDelimiter": "\\t",
		"fileFormat": "text",
		"header": ["id", "ok", "score", "word", "day", "const"],
		"dateFormat": "yyyy-MM-dd",
		"nullFormat": "NULL",
		"maxFileSize": 1
	}`
	src, dst := build(t, "txtfilereader", reader, "txtfilewriter", writer)
	schema, err := src.Schema(context.Background())
	require.NoError(t, err)
	kinds := make([]datasync.Kind, len(schema))
	for i, c := range schema {
		kinds[i] = c.Kind
	}
	assert.Equal(t, []datasync.Kind{datasync.KindInt, datasync.KindBool, datasync.KindFloat, datasync.KindString, datasync.KindDate, datasync.KindString}, kinds)
	runPipeline(t, src, dst)
	// DataX's names: fileName__<random>, rolled parts numbered, no extension.
	names, err := filepath.Glob(filepath.Join(dir, "out", "datax_result__*_1"))
	require.NoError(t, err)
	require.Len(t, names, 1, "maxFileSize rolls: parts are numbered")
	assert.Regexp(t, `^datax_result__[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}_1$`, filepath.Base(names[0]))
	data, err := os.ReadFile(names[0])
	require.NoError(t, err)
	assert.Equal(t, "id\tok\tscore\tword\tday\tconst\n1\ttrue\t3.14\thello\t2014-12-31\talibaba\n2\tfalse\t0.5\tNULL\t2015-01-01\talibaba\n", string(data))

	// A bare "*" column, and an empty nullFormat (empty unquoted fields are NULL).
	src, _ = build(t, "txtfilereader", `{"path": ["`+filepath.Join(dir, "in")+`"], "column": ["*"], "nullFormat": "", "fieldDelimiter": "|"}`,
		"txtfilewriter", `{"path": "x", "fileName": "y"}`)
	schema, err = src.Schema(context.Background())
	require.NoError(t, err)
	assert.Len(t, schema, 5)
}

func TestTxtFileParameterErrors(t *testing.T) {
	c, _ := job.DefaultRegistry.Lookup("txtfilereader")
	p, err := c.Source.Decode(json.RawMessage(`{"path": ["x"], "column": [{"index": 0, "type": "long"}, {"index": 1, "type": "widget"}]}`))
	require.NoError(t, err)
	_, err = c.Source.Build(p)
	assert.ErrorContains(t, err, `column[1].type: "widget" is not a type`)

	w, _ := job.DefaultRegistry.Lookup("txtfilewriter")
	p, err = w.Sink.Decode(json.RawMessage(`{"path": "x", "fileName": "y", "maxFileSize": -1}`))
	require.NoError(t, err)
	_, err = w.Sink.Build(p)
	assert.ErrorContains(t, err, `maxFileSize: -1 MiB is negative`)
}
