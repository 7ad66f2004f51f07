package file_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/internal/texttest"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// columnsOf reads back every column of schema by name.
func columnsOf(schema datasync.Schema) []text.ColumnSpec {
	cols := make([]text.ColumnSpec, len(schema))
	for i, c := range schema {
		cols[i] = text.ColumnNamed(c.Name, c.Kind)
	}
	return cols
}

func run(t testing.TB, src datasync.Source, dst datasync.Sink, opts ...datasync.Option) (datasync.Result, error) {
	t.Helper()
	p, err := datasync.NewPipeline(src, dst, append([]datasync.Option{datasync.WithRetry(3, time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return p.Run(context.Background())
}

// listDir returns the names in dir, sorted, hidden ones included.
func listDir(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestRoundTripEveryKind(t *testing.T) {
	for _, format := range []string{"csv", "text", "jsonl"} {
		for _, compress := range []string{"none", "gzip", "zstd"} {
			for _, encoding := range []string{"UTF-8", "GBK"} {
				t.Run(format+"/"+compress+"/"+encoding, func(t *testing.T) {
					dir := t.TempDir()
					rows := texttest.Rows(300, encoding != "GBK")
					f := text.Format{FileFormat: text.FileFormat(format), Compression: text.Compression(compress), Encoding: encoding, FieldDelimiter: "|"}
					dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "out", WriteOptions: text.WriteOptions{Format: f, WriteHeader: true}})
					require.NoError(t, err)
					res, err := run(t, source.FromRecords(texttest.AllKinds, rows, source.Splits(3)), dst, datasync.WithParallelism(2))
					require.NoError(t, err)
					require.EqualValues(t, len(rows), res.RecordsWritten)
					files := listDir(t, dir)
					require.Len(t, files, 3, "one file per split, no temporary file left")
					for _, name := range files {
						assert.True(t, strings.HasPrefix(name, "out_records-"), name)
					}

					f.Compression = "" // detected on read
					src, err := file.NewSource(file.SourceConfig{Path: []string{filepath.Join(dir, "out_*")},
						ReadOptions: text.ReadOptions{Format: f, SkipHeader: format != "jsonl", Column: columnsOf(texttest.AllKinds)}})
					require.NoError(t, err)
					got := sink.Collect()
					res, err = run(t, src, got, datasync.WithParallelism(2))
					require.NoError(t, err)
					require.Zero(t, res.RecordsDirty)
					texttest.RequireSameRows(t, rows, got.Records())
				})
			}
		}
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestDirtyLinesAreCountedWithFileAndLine(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	b := filepath.Join(dir, "b.csv")
	writeFile(t, a, "id,amount,day\n1,1.5,2024-01-01\n2,x,2024-01-02\n3,2.5,2024-01-03\n")
	writeFile(t, b, "id,amount,day\n4,1,2024-13-01\n5,1\n6,7,2024-01-06\n")
	src, err := file.NewSource(file.SourceConfig{Path: []string{filepath.Join(dir, "*.csv")}, ReadOptions: text.ReadOptions{
		SkipHeader: true,
		Column:     []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("amount", datasync.KindDecimal), text.ColumnNamed("day", datasync.KindDate)},
	}})
	require.NoError(t, err)
	var dirty []datasync.DirtyRecord
	got := sink.Collect()
	res, err := run(t, src, got, datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 10,
		Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error {
			dirty = append(dirty, d)
			return nil
		})}))
	require.NoError(t, err)
	assert.EqualValues(t, 3, res.RecordsDirty)
	assert.EqualValues(t, 6, res.RecordsRead)
	assert.Equal(t, 3, got.Len())
	slices.SortFunc(dirty, func(x, y datasync.DirtyRecord) int { return strings.Compare(x.Split+x.Value, y.Split+y.Value) })
	require.Len(t, dirty, 3)
	for i, want := range []struct {
		split, path, column, value, reason string
		line                               int64
	}{
		{"file-00000", a, "amount", "x", "Decimal", 3},
		{"file-00001", b, "day", "2024-13-01", "month 13 out of range", 2},
		{"file-00001", b, "", "5,1", "has 2 fields, want 3", 3},
	} {
		d := dirty[i]
		assert.Equal(t, want.split, d.Split)
		assert.Equal(t, datasync.StageRead, d.Stage)
		assert.Equal(t, want.line, d.Row)
		assert.Equal(t, want.column, d.Column)
		assert.Equal(t, want.value, d.Value)
		assert.ErrorContains(t, d.Err, want.reason)
		assert.ErrorContains(t, d.Err, fmt.Sprintf("%s:%d:", want.path, want.line))
		var le *text.LineError
		require.ErrorAs(t, d.Err, &le)
		assert.Equal(t, want.path, le.Name)
	}

	// The default policy allows none: the job stops, naming the first one.
	_, err = run(t, src, sink.Collect(), datasync.WithParallelism(1))
	require.ErrorIs(t, err, datasync.ErrDirtyLimit)
	assert.ErrorContains(t, err, "a.csv:3")
}

func TestPathErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x.csv"), "1\n")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "empty"), 0o755))
	for _, tc := range []struct {
		path []string
		want string
	}{
		{[]string{filepath.Join(dir, "*.tsv")}, `path "` + filepath.Join(dir, "*.tsv") + `" matches no file`},
		{[]string{filepath.Join(dir, "nope.csv")}, `path "` + filepath.Join(dir, "nope.csv") + `" does not exist`},
		{[]string{filepath.Join(dir, "empty")}, `directory "` + filepath.Join(dir, "empty") + `" holds no file`},
		{[]string{filepath.Join(dir, "[x")}, "syntax error in pattern"},
	} {
		src, err := file.NewSource(file.SourceConfig{Path: tc.path, ReadOptions: text.ReadOptions{Column: []text.ColumnSpec{text.ColumnAt(0, datasync.KindInt)}}})
		require.NoError(t, err)
		_, err = src.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
		assert.ErrorContains(t, err, tc.want)
		assert.ErrorContains(t, src.Check(context.Background()), tc.want)
		_, err = run(t, src, sink.Collect())
		assert.ErrorContains(t, err, tc.want)
	}
	_, err := file.NewSource(file.SourceConfig{})
	assert.ErrorContains(t, err, "path is empty")
}

func TestDirectoriesGlobsAndHiddenFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in", "b.csv"), "2\n")
	writeFile(t, filepath.Join(dir, "in", "a.csv"), "1\n")
	writeFile(t, filepath.Join(dir, "in", "sub", "c.csv"), "3\n")
	writeFile(t, filepath.Join(dir, "in", ".hidden.csv"), "99\n")
	writeFile(t, filepath.Join(dir, "in", ".tmpdir", "d.csv"), "98\n")
	for _, path := range [][]string{{filepath.Join(dir, "in")}, {filepath.Join(dir, "in", "*.csv"), filepath.Join(dir, "in", "sub", "*")}} {
		src, err := file.NewSource(file.SourceConfig{Path: path, ReadOptions: text.ReadOptions{Column: []text.ColumnSpec{text.ColumnAt(0, datasync.KindInt)}}})
		require.NoError(t, err)
		splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
		require.NoError(t, err)
		require.Len(t, splits, 3)
		got := sink.Collect()
		_, err = run(t, src, got, datasync.WithParallelism(1))
		require.NoError(t, err)
		var ids []int64
		for _, r := range got.Records() {
			n, _ := r[0].AsInt()
			ids = append(ids, n)
		}
		assert.Equal(t, []int64{1, 2, 3}, ids, "sorted by path, hidden files skipped")
	}
}

func TestByteRangeSplitsReadEveryLineOnce(t *testing.T) {
	dir := t.TempDir()
	const n = 200_000
	var b strings.Builder
	b.WriteString("id\tname\tnote\n")
	for i := range n {
		fmt.Fprintf(&b, "%d\tname-%d\t%s\n", i, i, strings.Repeat(`a\tb\\c`, i%9))
	}
	path := filepath.Join(dir, "big.txt")
	writeFile(t, path, b.String())
	src, err := file.NewSource(file.SourceConfig{Path: []string{path}, ReadOptions: text.ReadOptions{
		Format: text.Format{FileFormat: "text", FieldDelimiter: `\t`}, SkipHeader: true, SplitSize: 256 << 10,
		Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("note", datasync.KindString)},
	}})
	require.NoError(t, err)
	splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	require.Greater(t, len(splits), 10)
	assert.Equal(t, "file-00000-0000", splits[0].ID)
	got := sink.Collect()
	res, err := run(t, src, got, datasync.WithParallelism(2))
	require.NoError(t, err)
	require.EqualValues(t, n, res.RecordsWritten)
	seen := make([]bool, n)
	for _, r := range got.Records() {
		id, err := r[0].AsInt()
		require.NoError(t, err)
		require.False(t, seen[id], "line %d read twice", id)
		seen[id] = true
		require.Equal(t, strings.Repeat("a\tb\\c", int(id)%9), r[1].String())
	}
}

func TestResumeMidFileFromACheckpoint(t *testing.T) {
	dir := t.TempDir()
	for _, compress := range []string{"none", "gzip"} {
		rows := texttest.Rows(1000, true)
		dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: compress, WriteOptions: text.WriteOptions{Format: text.Format{Compression: text.Compression(compress)}, WriteHeader: true}})
		require.NoError(t, err)
		_, err = run(t, source.FromRecords(texttest.AllKinds, rows, source.Splits(1)), dst)
		require.NoError(t, err)

		src, err := file.NewSource(file.SourceConfig{Path: []string{filepath.Join(dir, compress+"_*")},
			ReadOptions: text.ReadOptions{SkipHeader: true, Column: columnsOf(texttest.AllKinds)}})
		require.NoError(t, err)
		schema, err := src.Schema(context.Background())
		require.NoError(t, err)
		splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
		require.NoError(t, err)
		require.Len(t, splits, 1)

		// Read 3 batches, then resume from the checkpoint in a new reader.
		var got []datasync.Record
		r, err := src.Open(context.Background(), splits[0], nil)
		require.NoError(t, err)
		b := datasync.NewBatch(schema, 100, 1<<20)
		for range 3 {
			b.Reset()
			require.NoError(t, r.Read(context.Background(), b))
			for i := range b.Len() {
				got = append(got, b.Row(i).Clone())
			}
		}
		cp := r.Checkpoint()
		require.NoError(t, r.Close())
		rest := sink.Collect()
		p, err := datasync.NewPipeline(src, rest)
		require.NoError(t, err)
		_, err = p.RunSplit(context.Background(), splits[0], cp, nil)
		require.NoError(t, err)
		got = append(got, rest.Records()...)
		texttest.RequireSameRows(t, rows, got)
	}
}

// failingSource generates n rows of (id) and fails at row failAt: once
// (retryably) or always.
func failingSource(n, failAt int64, always bool) datasync.Source {
	var failed atomic.Bool
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}}
	return source.Generate(schema, n, func(i int64, r datasync.Record) error {
		if i == failAt && (always || !failed.Swap(true)) {
			if always {
				return errors.New("source broke")
			}
			return datasync.Retryable(errors.New("source hiccup"))
		}
		r[0] = datasync.Int(i)
		return nil
	}, source.Splits(1))
}

func TestAFailedJobLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "out"})
	require.NoError(t, err)
	_, err = run(t, failingSource(100_000, 50_000, true), dst, datasync.WithBatchSize(1000, 1<<20), datasync.WithFlushEvery(1, 0))
	require.ErrorContains(t, err, "source broke")
	assert.Empty(t, listDir(t, dir), "no file, final or temporary")
}

func TestARetriedSplitStartsItsFileOver(t *testing.T) {
	dir := t.TempDir()
	dst, err := file.NewSink(file.SinkConfig{Path: dir, FileName: "out"})
	require.NoError(t, err)
	res, err := run(t, failingSource(100_000, 50_000, false), dst, datasync.WithBatchSize(1000, 1<<20), datasync.WithFlushEvery(1, 0))
	require.NoError(t, err)
	assert.Equal(t, 1, res.Retries)
	require.Equal(t, []string{"out_generate-0.csv"}, listDir(t, dir))
	src, err := file.NewSource(file.SourceConfig{Path: []string{dir}, ReadOptions: text.ReadOptions{Column: []text.ColumnSpec{text.ColumnAt(0, datasync.KindInt)}}})
	require.NoError(t, err)
	got := sink.Collect()
	_, err = run(t, src, got)
	require.NoError(t, err)
	require.Equal(t, 100_000, got.Len())
	for i, r := range got.Records() {
		require.Equal(t, datasync.Int(int64(i)), r[0])
	}
}

func TestSymlinkedFilesAreRead(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "real", "a.csv"), "1\n")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "in"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(dir, "real", "a.csv"), filepath.Join(dir, "in", "link.csv")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "in", "dirlink")))
	src, err := file.NewSource(file.SourceConfig{Path: []string{filepath.Join(dir, "in")}, ReadOptions: text.ReadOptions{Column: []text.ColumnSpec{text.ColumnAt(0, datasync.KindInt)}}})
	require.NoError(t, err)
	splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
	require.NoError(t, err)
	assert.Len(t, splits, 1, "the file link, not the directory link")
}
