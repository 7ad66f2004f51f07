package file_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

var idName = datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "name", Kind: datasync.KindString}}

func idNameRows(from, n int) []datasync.Record {
	rows := make([]datasync.Record, n)
	for i := range rows {
		rows[i] = datasync.Record{datasync.Int(int64(from + i)), datasync.String(strings.Repeat("n", (from+i)%40))}
	}
	return rows
}

func readIDs(t *testing.T, paths ...string) []int64 {
	t.Helper()
	src, err := file.NewSource(file.SourceConfig{Path: paths, ReadOptions: text.ReadOptions{SkipHeader: true,
		Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("name", datasync.KindString)}}})
	require.NoError(t, err)
	got := sink.Collect()
	_, err = run(t, src, got, datasync.WithParallelism(1))
	require.NoError(t, err)
	var ids []int64
	for _, r := range got.Records() {
		n, _ := r[0].AsInt()
		ids = append(ids, n)
	}
	return ids
}

func seq(from, n int) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = int64(from + i)
	}
	return s
}

func TestWriteModes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "other.csv"), "keep me\n")
	cfg := file.SinkConfig{Path: dir, FileName: "out", WriteOptions: text.WriteOptions{WriteHeader: true}}
	write := func(mode text.WriteMode, from int) error {
		c := cfg
		c.WriteMode = mode
		dst, err := file.NewSink(c)
		require.NoError(t, err)
		_, err = run(t, source.FromRecords(idName, idNameRows(from, 100), source.Splits(2)), dst)
		return err
	}
	// nonConflict (the default) writes into an empty place...
	require.NoError(t, write("", 0))
	assert.Equal(t, []string{"other.csv", "out_records-0.csv", "out_records-1.csv"}, listDir(t, dir))
	// ...and refuses when a file with the prefix exists, before writing.
	err := write("nonConflict", 100)
	require.ErrorContains(t, err, `writeMode nonConflict: 2 file(s) in "`+dir+`" start with "out" (out_records-0.csv, out_records-1.csv)`)
	assert.ElementsMatch(t, seq(0, 100), readIDs(t, filepath.Join(dir, "out_*")))

	// append keeps the old files and names the new ones apart.
	require.NoError(t, write("append", 100))
	names := listDir(t, dir)
	require.Len(t, names, 5)
	assert.ElementsMatch(t, seq(0, 200), readIDs(t, filepath.Join(dir, "out_*")))

	// truncate removes every file with the prefix (not the others).
	require.NoError(t, write("truncate", 500))
	assert.Equal(t, []string{"other.csv", "out_records-0.csv", "out_records-1.csv"}, listDir(t, dir))
	assert.ElementsMatch(t, seq(500, 100), readIDs(t, filepath.Join(dir, "out_*")))

	_, err = file.NewSink(file.SinkConfig{Path: dir, FileName: "out", WriteMode: "merge"})
	assert.ErrorContains(t, err, `writeMode "merge"`)
}

func TestMaxFileBytesRolls(t *testing.T) {
	dir := t.TempDir()
	dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "roll", MaxFileBytes: 4096, WriteOptions: text.WriteOptions{WriteHeader: true}})
	require.NoError(t, err)
	_, err = run(t, source.FromRecords(idName, idNameRows(0, 3000), source.Splits(1)), dst)
	require.NoError(t, err)
	names := listDir(t, dir)
	require.Greater(t, len(names), 10)
	for i, n := range names {
		info, err := os.Stat(filepath.Join(dir, n))
		require.NoError(t, err)
		assert.LessOrEqual(t, info.Size(), int64(4096), n)
		assert.True(t, strings.HasPrefix(n, "roll_generate-0_") || strings.HasPrefix(n, "roll_records-0_"), n)
		_ = i
	}
	assert.Contains(t, names, "roll_records-0_1.csv")
	assert.Contains(t, names, "roll_records-0_2.csv")
	assert.ElementsMatch(t, seq(0, 3000), readIDs(t, filepath.Join(dir, "roll_*")))
}

func TestSingleFile(t *testing.T) {
	for _, compress := range []string{"none", "gzip"} {
		dir := t.TempDir()
		cfg := file.SinkConfig{Path: dir, FileName: "all.csv", SingleFile: true, WriteMode: "truncate",
			WriteOptions: text.WriteOptions{Format: text.Format{Compression: text.Compression(compress)}, WriteHeader: true}}
		dst, err := file.NewSink(cfg)
		require.NoError(t, err)
		_, err = run(t, source.FromRecords(idName, idNameRows(0, 1000), source.Splits(12)), dst, datasync.WithParallelism(3))
		require.NoError(t, err)
		assert.Equal(t, []string{"all.csv"}, listDir(t, dir), "no parts or temporary files left")
		content := readMaybeGzip(t, filepath.Join(dir, "all.csv"))
		assert.Equal(t, 1, strings.Count(content, "id,name\n"), "one header")
		assert.True(t, strings.HasPrefix(content, "id,name\n0,\"\"\n1,n\n"), content[:20])
		assert.Equal(t, seq(0, 1000), readIDs(t, filepath.Join(dir, "all.csv")), "rows in split order")

		// append adds to it; nonConflict refuses it.
		cfg.WriteMode = "append"
		dst, err = file.NewSink(cfg)
		require.NoError(t, err)
		_, err = run(t, source.FromRecords(idName, idNameRows(1000, 10), source.Splits(2)), dst)
		require.NoError(t, err)
		assert.Equal(t, seq(0, 1010), readIDs(t, filepath.Join(dir, "all.csv")))
		cfg.WriteMode = "nonConflict"
		dst, err = file.NewSink(cfg)
		require.NoError(t, err)
		_, err = run(t, source.FromRecords(idName, idNameRows(0, 1), source.Splits(1)), dst)
		assert.ErrorContains(t, err, "all.csv\" exists")
	}
	_, err := file.NewSink(file.SinkConfig{Path: "x", FileName: "y", SingleFile: true, MaxFileBytes: 1 << 20})
	assert.ErrorContains(t, err, "singleFile and maxFileBytes cannot be combined")
}

func readMaybeGzip(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		data, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	return string(data)
}

func TestChecks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in", "a.csv"), "id,name\n1,x\n")
	ctx := context.Background()

	src, err := file.NewSource(file.SourceConfig{Path: []string{filepath.Join(dir, "in", "*.csv")}, ReadOptions: text.ReadOptions{SkipHeader: true,
		Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("missing", datasync.KindString)}}})
	require.NoError(t, err)
	assert.ErrorContains(t, src.Check(ctx), `the header has no column "missing" (it has "id", "name")`)

	dst, err := file.NewSink(file.SinkConfig{Path: filepath.Join(dir, "new", "deeper"), FileName: "out"})
	require.NoError(t, err)
	assert.NoError(t, dst.Check(ctx, idName), "a missing directory can be created")
	_, err = os.Stat(filepath.Join(dir, "new"))
	assert.ErrorIs(t, err, os.ErrNotExist, "Check created nothing")

	dst, err = file.NewSink(file.SinkConfig{Path: filepath.Join(dir, "in"), FileName: "a"})
	require.NoError(t, err)
	assert.ErrorContains(t, dst.Check(ctx, idName), "writeMode nonConflict")

	dst, err = file.NewSink(file.SinkConfig{Path: filepath.Join(dir, "in", "a.csv"), FileName: "x"})
	require.NoError(t, err)
	assert.ErrorContains(t, dst.Check(ctx, idName), "is not a directory")

	dst, err = file.NewSink(file.SinkConfig{Path: dir, FileName: "x", WriteOptions: text.WriteOptions{Header: []string{"just-one"}}})
	require.NoError(t, err)
	assert.ErrorContains(t, dst.Check(ctx, idName), "header has 1 names but the source has 2 columns")

	if os.Getuid() != 0 {
		ro := filepath.Join(dir, "ro")
		require.NoError(t, os.Mkdir(ro, 0o555))
		dst, err = file.NewSink(file.SinkConfig{Path: ro, FileName: "x"})
		require.NoError(t, err)
		assert.ErrorContains(t, dst.Check(ctx, idName), "cannot write in")
	}

	p, err := datasync.NewPipeline(src, sink.Collect())
	require.NoError(t, err)
	assert.ErrorContains(t, p.Check(ctx), "missing")

	for _, tc := range []struct {
		cfg  file.SinkConfig
		want string
	}{
		{file.SinkConfig{FileName: "x"}, "path (the directory to write to) is empty"},
		{file.SinkConfig{Path: "d"}, "fileName is empty"},
		{file.SinkConfig{Path: "d", FileName: "a/b"}, "must be a name, not a path"},
		{file.SinkConfig{Path: "d", FileName: "x", WriteOptions: text.WriteOptions{DateFormat: "dd MMM ww"}}, "dateFormat"},
	} {
		_, err := file.NewSink(tc.cfg)
		assert.ErrorContains(t, err, tc.want)
	}
}

func TestDirtyRowsOnWrite(t *testing.T) {
	dir := t.TempDir()
	dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "gbk", WriteOptions: text.WriteOptions{Format: text.Format{Encoding: "GBK"}}})
	require.NoError(t, err)
	rows := []datasync.Record{
		{datasync.Int(1), datasync.String("中文")},
		{datasync.Int(2), datasync.String("emoji 😀")},
		{datasync.Int(3), datasync.String("ok")},
	}
	var dirty []datasync.DirtyRecord
	res, err := run(t, source.FromRecords(idName, rows, source.Splits(1)), dst, datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 5,
		Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error { dirty = append(dirty, d); return nil })}))
	require.NoError(t, err)
	assert.EqualValues(t, 2, res.RecordsWritten)
	require.Len(t, dirty, 1)
	assert.Equal(t, "name", dirty[0].Column)
	assert.Equal(t, "emoji 😀", dirty[0].Value)
	assert.ErrorContains(t, dirty[0].Err, "gbk cannot encode")
	data, err := os.ReadFile(filepath.Join(dir, "gbk_records-0.csv"))
	require.NoError(t, err)
	assert.Equal(t, "1,\xd6\xd0\xce\xc4\n3,ok\n", string(data))
}
