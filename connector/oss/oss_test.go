package oss_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/internal/texttest"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/oss/osstest"
	"github.com/datasync-go/datasync/connector/text"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"), goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
}

const bkt = "data-bucket"

func newServer(t testing.TB, opts ...osstest.Option) *osstest.Server {
	srv := osstest.NewServer(append([]osstest.Option{osstest.WithBuckets(bkt)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// sourceConfig and sinkConfig reach srv with V1 signatures, or V4 when v4.
func sourceConfig(srv *osstest.Server, v4 bool, objects ...string) oss.SourceConfig {
	c := oss.SourceConfig{Endpoint: srv.Endpoint, Bucket: bkt, AccessID: srv.AccessKeyID, AccessKey: srv.AccessKeySecret, Object: objects}
	if v4 {
		c.Region = srv.Region
	}
	return c
}

func sinkConfig(srv *osstest.Server, v4 bool, object string) oss.SinkConfig {
	c := oss.SinkConfig{Endpoint: srv.Endpoint, Bucket: bkt, AccessID: srv.AccessKeyID, AccessKey: srv.AccessKeySecret, Object: object}
	if v4 {
		c.Region = srv.Region
	}
	return c
}

func run(t testing.TB, src datasync.Source, dst datasync.Sink, opts ...datasync.Option) (datasync.Result, error) {
	t.Helper()
	p, err := datasync.NewPipeline(src, dst, append([]datasync.Option{datasync.WithRetry(3, time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return p.Run(context.Background())
}

func columnsOf(schema datasync.Schema) []text.ColumnSpec {
	cols := make([]text.ColumnSpec, len(schema))
	for i, c := range schema {
		cols[i] = text.ColumnNamed(c.Name, c.Kind)
	}
	return cols
}

func TestRoundTripEveryKind(t *testing.T) {
	srv := newServer(t)
	i := 0
	for _, format := range []string{"csv", "text", "jsonl"} {
		for _, compress := range []string{"none", "gzip", "zstd"} {
			for _, encoding := range []string{"UTF-8", "GBK"} {
				i++
				v4 := i%2 == 0
				t.Run(fmt.Sprintf("%s/%s/%s/v4=%v", format, compress, encoding, v4), func(t *testing.T) {
					prefix := fmt.Sprintf("rt/%d/part", i)
					rows := texttest.Rows(300, encoding != "GBK")
					f := text.Format{FileFormat: text.FileFormat(format), Compression: text.Compression(compress), Encoding: encoding, FieldDelimiter: "\\t"}
					cfg := sinkConfig(srv, v4, prefix)
					cfg.WriteOptions = text.WriteOptions{Format: f, WriteHeader: true}
					dst, err := oss.NewSink(cfg)
					require.NoError(t, err)
					_, err = run(t, source.FromRecords(texttest.AllKinds, rows, source.Splits(3)), dst, datasync.WithParallelism(2))
					require.NoError(t, err)
					require.Len(t, srv.Keys(bkt, prefix), 3)

					f.Compression = ""
					scfg := sourceConfig(srv, v4, prefix+"*")
					scfg.ReadOptions = text.ReadOptions{Format: f, SkipHeader: format != "jsonl", Column: columnsOf(texttest.AllKinds)}
					src, err := oss.NewSource(scfg)
					require.NoError(t, err)
					got := sink.Collect()
					res, err := run(t, src, got, datasync.WithParallelism(2))
					require.NoError(t, err)
					require.Zero(t, res.RecordsDirty)
					texttest.RequireSameRows(t, rows, got.Records())
				})
			}
		}
	}
	for _, r := range srv.Requests() {
		require.NotEmpty(t, r.Auth)
	}
}

// idName rows, and their text.
var idName = datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "name", Kind: datasync.KindString}}

func idNameRows(from, n int) []datasync.Record {
	rows := make([]datasync.Record, n)
	for i := range rows {
		rows[i] = datasync.Record{datasync.Int(int64(from + i)), datasync.String(fmt.Sprintf("name %d %s", from+i, strings.Repeat("x", (from+i)%50)))}
	}
	return rows
}

func readIDs(t *testing.T, srv *osstest.Server, pattern string) []int64 {
	t.Helper()
	cfg := sourceConfig(srv, false, pattern)
	cfg.ReadOptions = text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("name", datasync.KindString)}}
	src, err := oss.NewSource(cfg)
	require.NoError(t, err)
	got := sink.Collect()
	_, err = run(t, src, got, datasync.WithParallelism(2))
	require.NoError(t, err)
	var ids []int64
	for _, r := range got.Records() {
		n, _ := r[0].AsInt()
		ids = append(ids, n)
	}
	slices.Sort(ids)
	return ids
}

func seq(from, n int) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = int64(from + i)
	}
	return s
}

func TestLargeObjectsUseMultipartUploads(t *testing.T) {
	srv := newServer(t)
	cfg := sinkConfig(srv, true, "big/table")
	cfg.PartSize = oss.MinPartSize
	cfg.WriteOptions = text.WriteOptions{WriteHeader: true, Format: text.Format{Compression: "gzip"}}
	dst, err := oss.NewSink(cfg)
	require.NoError(t, err)
	_, err = run(t, source.FromRecords(idName, idNameRows(0, 60_000), source.Splits(2)), dst, datasync.WithParallelism(2))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, srv.Count(osstest.OpUploadPart), 4)
	assert.Equal(t, 2, srv.Count(osstest.OpCompleteMultipartUpload))
	assert.Empty(t, srv.Uploads(bkt))
	assert.Equal(t, seq(0, 60_000), readIDs(t, srv, "big/"))
}

func TestMaxFileBytesRollsObjects(t *testing.T) {
	srv := newServer(t)
	cfg := sinkConfig(srv, false, "roll/t")
	cfg.MaxFileBytes = 300 << 10
	cfg.PartSize = oss.MinPartSize
	cfg.WriteOptions = text.WriteOptions{WriteHeader: true}
	dst, err := oss.NewSink(cfg)
	require.NoError(t, err)
	_, err = run(t, source.FromRecords(idName, idNameRows(0, 40_000), source.Splits(1)), dst)
	require.NoError(t, err)
	keys := srv.Keys(bkt, "roll/")
	require.Greater(t, len(keys), 5)
	assert.Equal(t, "roll/t_records-0_1.csv", keys[0])
	for _, k := range keys {
		data, _ := srv.Object(bkt, k)
		assert.LessOrEqual(t, len(data), 300<<10, k)
		assert.True(t, bytes.HasPrefix(data, []byte("id,name\n")), k)
	}
	assert.Empty(t, srv.Uploads(bkt))
	assert.Equal(t, seq(0, 40_000), readIDs(t, srv, "roll/*"))
}

func TestADroppedGetResumes(t *testing.T) {
	srv := newServer(t)
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := range 50_000 {
		fmt.Fprintf(&b, "%d,name %d\n", i, i)
	}
	srv.PutObject(bkt, "in/data.csv", []byte(b.String()))
	// Three cuts in a row, each mid-body.
	srv.Inject(osstest.Fault{Op: osstest.OpGetObject, KeyPrefix: "in/", DropAfter: 100_000, Times: 3})
	assert.Equal(t, seq(0, 50_000), readIDs(t, srv, "in/data.csv"))
	var ranges []string
	for _, r := range srv.Requests() {
		if r.Op == osstest.OpGetObject {
			ranges = append(ranges, r.Range)
		}
	}
	require.Len(t, ranges, 4, "one GET and three resumed ones")
	assert.Equal(t, []string{"", "bytes=100000-", "bytes=200000-", "bytes=300000-"}, ranges)
}

func TestAGetThatKeepsFailingRetriesTheSplit(t *testing.T) {
	srv := newServer(t)
	srv.PutObject(bkt, "in/a.csv", []byte("id,name\n1,a\n2,b\n"))
	srv.Inject(osstest.Fault{Op: osstest.OpGetObject, Status: 503, Times: 7})
	// 7 failures: the reader's own 5 reconnections are spent, the pipeline
	// retries the split, whose GETs then succeed.
	cfg := sourceConfig(srv, false, "in/a.csv")
	cfg.ReadOptions = text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt)}}
	src, err := oss.NewSource(cfg)
	require.NoError(t, err)
	got := sink.Collect()
	res, err := run(t, src, got)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Len())
	assert.GreaterOrEqual(t, res.Retries, 1)
}

// failingSource generates rows and fails at row failAt, for good.
func failingSource(n, failAt int64) datasync.Source {
	return source.Generate(idName, n, func(i int64, r datasync.Record) error {
		if i == failAt {
			return errors.New("source broke")
		}
		r[0] = datasync.Int(i)
		r[1] = datasync.String(strings.Repeat("payload ", 10))
		return nil
	}, source.Splits(1))
}

func TestAFailedUploadIsAborted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault *osstest.Fault
		src   datasync.Source
	}{
		{"source fails midway", nil, failingSource(100_000, 60_000)},
		{"parts keep failing", &osstest.Fault{Op: osstest.OpUploadPart, Skip: 2, Status: 500, Times: osstest.Forever}, failingSource(100_000, -1)},
		{"complete fails", &osstest.Fault{Op: osstest.OpCompleteMultipartUpload, Status: 400, Code: "InvalidPart"}, failingSource(100_000, -1)},
		{"connection cut at complete", &osstest.Fault{Op: osstest.OpCompleteMultipartUpload, Times: osstest.Forever}, failingSource(100_000, -1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			if tc.fault != nil {
				srv.Inject(*tc.fault)
			}
			cfg := sinkConfig(srv, false, "out/t")
			cfg.PartSize = oss.MinPartSize
			dst, err := oss.NewSink(cfg)
			require.NoError(t, err)
			_, err = run(t, tc.src, dst, datasync.WithBatchSize(1000, 1<<20))
			require.Error(t, err)
			assert.Empty(t, srv.Keys(bkt, ""), "no object")
			assert.Empty(t, srv.Uploads(bkt), "no orphan parts")
			assert.Greater(t, srv.Count(osstest.OpUploadPart), 0, "the upload had begun")
			assert.Greater(t, srv.Count(osstest.OpAbortMultipartUpload), 0)
		})
	}
}

func TestACancelledJobAbortsItsUploads(t *testing.T) {
	srv := newServer(t)
	cfg := sinkConfig(srv, false, "out/t")
	cfg.PartSize = oss.MinPartSize
	dst, err := oss.NewSink(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int64
	src := source.Generate(idName, 10_000_000, func(i int64, r datasync.Record) error {
		if n.Add(1) == 200_000 {
			cancel()
		}
		r[0] = datasync.Int(i)
		r[1] = datasync.String("some text to fill parts")
		return nil
	}, source.Splits(2))
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(2))
	require.NoError(t, err)
	_, err = p.Run(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Greater(t, srv.Count(osstest.OpUploadPart), 0)
	assert.Empty(t, srv.Uploads(bkt))
	assert.Empty(t, srv.Keys(bkt, ""))
}

func TestARetriedSplitStartsItsObjectOver(t *testing.T) {
	srv := newServer(t)
	// The 4th part fails for good: the split is retried from its start.
	srv.Inject(osstest.Fault{Op: osstest.OpUploadPart, Skip: 3, Status: 500, Times: 3})
	cfg := sinkConfig(srv, false, "out/t")
	cfg.PartSize = oss.MinPartSize
	cfg.WriteOptions = text.WriteOptions{WriteHeader: true}
	dst, err := oss.NewSink(cfg)
	require.NoError(t, err)
	res, err := run(t, source.FromRecords(idName, idNameRows(0, 30_000), source.Splits(1)), dst)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Retries)
	assert.Equal(t, []string{"out/t_records-0.csv"}, srv.Keys(bkt, ""))
	assert.Empty(t, srv.Uploads(bkt))
	assert.Equal(t, seq(0, 30_000), readIDs(t, srv, "out/"))
}

func TestWriteModes(t *testing.T) {
	srv := newServer(t)
	srv.PutObject(bkt, "keep/other.csv", []byte("x"))
	write := func(mode text.WriteMode, from int) error {
		cfg := sinkConfig(srv, false, "w/out")
		cfg.WriteMode = mode
		cfg.WriteOptions = text.WriteOptions{WriteHeader: true}
		dst, err := oss.NewSink(cfg)
		require.NoError(t, err)
		_, err = run(t, source.FromRecords(idName, idNameRows(from, 100), source.Splits(2)), dst)
		return err
	}
	require.NoError(t, write("", 0))
	assert.Equal(t, []string{"w/out_records-0.csv", "w/out_records-1.csv"}, srv.Keys(bkt, "w/"))
	err := write("nonConflict", 100)
	require.ErrorContains(t, err, `writeMode nonConflict: objects in bucket "data-bucket" start with "w/out" (w/out_records-0.csv, w/out_records-1.csv)`)

	require.NoError(t, write("append", 100))
	assert.Len(t, srv.Keys(bkt, "w/"), 4)
	assert.Equal(t, seq(0, 200), readIDs(t, srv, "w/"))

	// truncate also aborts uploads a crashed job left under the prefix.
	b, err := srv.Bucket(bkt)
	require.NoError(t, err)
	_, err = b.InitiateMultipartUpload("w/out_crashed.csv")
	require.NoError(t, err)
	require.NoError(t, write("truncate", 500))
	assert.Equal(t, []string{"w/out_records-0.csv", "w/out_records-1.csv"}, srv.Keys(bkt, "w/"))
	assert.Equal(t, seq(500, 100), readIDs(t, srv, "w/"))
	assert.Empty(t, srv.Uploads(bkt))
	assert.Equal(t, []string{"keep/other.csv"}, srv.Keys(bkt, "keep/"))
}

func TestObjectPatterns(t *testing.T) {
	srv := newServer(t, osstest.WithMaxKeys(3)) // listings come in pages of 3
	for _, k := range []string{"logs/2024-01/a.csv", "logs/2024-01/b.csv", "logs/2024-02/a.csv", "logs/2024-02/sub/c.csv",
		"logs/readme.txt", "logs/dir/", "other/a.csv", "logs/2024-01/a.csv.bak"} {
		srv.PutObject(bkt, k, []byte("1\n"))
	}
	for _, tc := range []struct {
		patterns []string
		want     []string
	}{
		{[]string{"logs/*.csv"}, []string{"logs/2024-01/a.csv", "logs/2024-01/b.csv", "logs/2024-02/a.csv", "logs/2024-02/sub/c.csv"}},
		{[]string{"logs/2024-0?/a.csv"}, []string{"logs/2024-01/a.csv", "logs/2024-02/a.csv"}},
		{[]string{"logs/2024-02/"}, []string{"logs/2024-02/a.csv", "logs/2024-02/sub/c.csv"}},
		{[]string{"logs/readme.txt", "other/*"}, []string{"logs/readme.txt", "other/a.csv"}},
		{[]string{"logs/2024-01/a.csv"}, []string{"logs/2024-01/a.csv"}},
	} {
		cfg := sourceConfig(srv, false, tc.patterns...)
		cfg.Column = []text.ColumnSpec{text.ColumnAt(0, datasync.KindInt)}
		src, err := oss.NewSource(cfg)
		require.NoError(t, err)
		splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
		require.NoError(t, err)
		var keys []string
		for _, s := range splits {
			var spec struct{ Name string }
			require.NoError(t, s.DecodeSpec(&spec))
			keys = append(keys, spec.Name)
		}
		assert.Equal(t, tc.want, keys, "%q", tc.patterns)
	}
	for _, tc := range []struct {
		patterns []string
		want     string
	}{
		{[]string{"logs/*.tsv"}, `object pattern "logs/*.tsv" matches no object in bucket "data-bucket"`},
		{[]string{"logs/nope.csv"}, `object "logs/nope.csv" does not exist in bucket "data-bucket"`},
		{[]string{"nothing/"}, `object pattern "nothing/" matches no object`},
	} {
		cfg := sourceConfig(srv, false, tc.patterns...)
		cfg.Column = []text.ColumnSpec{text.ColumnAt(0, datasync.KindInt)}
		src, err := oss.NewSource(cfg)
		require.NoError(t, err)
		_, err = src.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
		assert.ErrorContains(t, err, tc.want)
		assert.ErrorContains(t, src.Check(context.Background()), tc.want)
	}
	assert.Greater(t, srv.Count(osstest.OpListObjectsV2), 10, "listings were paged")
}

func TestByteRangeSplitsOfALargeObject(t *testing.T) {
	srv := newServer(t)
	const n = 100_000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"id":%d,"name":"name %d"}`+"\n", i, i)
	}
	srv.PutObject(bkt, "big.jsonl", []byte(b.String()))
	cfg := sourceConfig(srv, false, "big.jsonl")
	cfg.ReadOptions = text.ReadOptions{Format: text.Format{FileFormat: "jsonl"}, SplitSize: 200 << 10,
		Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("name", datasync.KindString)}}
	src, err := oss.NewSource(cfg)
	require.NoError(t, err)
	splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	require.Greater(t, len(splits), 5)
	got := sink.Collect()
	res, err := run(t, src, got, datasync.WithParallelism(2))
	require.NoError(t, err)
	require.EqualValues(t, n, res.RecordsWritten)
	seen := make([]bool, n)
	for _, r := range got.Records() {
		id, _ := r[0].AsInt()
		require.False(t, seen[id], "line %d read twice", id)
		seen[id] = true
		require.Equal(t, fmt.Sprintf("name %d", id), r[1].String())
	}
}

func TestDirtyLinesNameTheObject(t *testing.T) {
	srv := newServer(t)
	srv.PutObject(bkt, "in/x.csv", []byte("id,day\n1,2024-01-01\n2,2024-02-31\nthree,2024-01-03\n"))
	cfg := sourceConfig(srv, false, "in/x.csv")
	cfg.ReadOptions = text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{text.ColumnNamed("id", datasync.KindInt), text.ColumnNamed("day", datasync.KindDate)}}
	src, err := oss.NewSource(cfg)
	require.NoError(t, err)
	var dirty []datasync.DirtyRecord
	res, err := run(t, src, sink.Collect(), datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 5,
		Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error { dirty = append(dirty, d); return nil })}))
	require.NoError(t, err)
	assert.EqualValues(t, 2, res.RecordsDirty)
	require.Len(t, dirty, 2)
	assert.Equal(t, int64(3), dirty[0].Row)
	assert.Equal(t, "day", dirty[0].Column)
	assert.ErrorContains(t, dirty[0].Err, "in/x.csv:3:")
	assert.Equal(t, int64(4), dirty[1].Row)
	assert.Equal(t, "three", dirty[1].Value)
	var le *text.LineError
	require.ErrorAs(t, dirty[1].Err, &le)
	assert.Equal(t, "in/x.csv", le.Name)
}

func TestCredentialsStaySecret(t *testing.T) {
	srv := newServer(t)
	srv.PutObject(bkt, "in/a.csv", []byte("1\n"))
	cfg := sourceConfig(srv, false, "in/a.csv")
	cfg.AccessKey = "THE-WRONG-SECRET-1234"
	cfg.Column = []text.ColumnSpec{text.ColumnAt(0, datasync.KindInt)}
	src, err := oss.NewSource(cfg)
	require.NoError(t, err)
	_, err = run(t, src, sink.Collect())
	require.ErrorContains(t, err, "the access key secret is wrong")
	for _, text := range []string{err.Error(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), src.String()} {
		assert.NotContains(t, text, "THE-WRONG-SECRET")
		assert.NotContains(t, text, srv.AccessKeyID)
	}
	assert.False(t, datasync.IsRetryable(err))

	scfg := sinkConfig(srv, true, "x")
	for _, text := range []string{fmt.Sprint(scfg), fmt.Sprintf("%#v", scfg)} {
		assert.NotContains(t, text, srv.AccessKeySecret)
		assert.NotContains(t, text, srv.AccessKeyID)
	}

	// From the environment.
	t.Setenv("OSS_ACCESS_KEY_ID", srv.AccessKeyID)
	t.Setenv("OSS_ACCESS_KEY_SECRET", srv.AccessKeySecret)
	cfg = oss.SourceConfig{Endpoint: srv.Endpoint, Bucket: bkt, Object: []string{"in/a.csv"}, ReadOptions: text.ReadOptions{Column: []text.ColumnSpec{text.ColumnAt(0, datasync.KindInt)}}}
	src, err = oss.NewSource(cfg)
	require.NoError(t, err)
	require.NoError(t, src.Check(context.Background()))
	assert.Contains(t, cfg.String(), "from the environment")
	assert.NotContains(t, cfg.String(), srv.AccessKeySecret)

	t.Setenv("OSS_ACCESS_KEY_ID", "")
	t.Setenv("OSS_ACCESS_KEY_SECRET", "")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
	_, err = oss.NewSource(cfg)
	assert.ErrorContains(t, err, "no credentials: set accessId and accessKey, or the environment variables OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET")
}

func TestAGivenClientAndChecks(t *testing.T) {
	srv := newServer(t)
	srv.PutObject(bkt, "in/a.csv", []byte("id,name\n1,x\n"))
	client, err := srv.Bucket(bkt, alioss.AuthVersion(alioss.AuthV4), alioss.Region(srv.Region))
	require.NoError(t, err)
	src, err := oss.NewSource(oss.SourceConfig{Client: client, Object: []string{"in/*"}, ReadOptions: text.ReadOptions{SkipHeader: true}})
	require.NoError(t, err)
	schema, err := src.Schema(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"id", "name"}, schema.Names())
	require.NoError(t, src.Check(context.Background()))

	dst, err := oss.NewSink(oss.SinkConfig{Client: client, Object: "in/a"})
	require.NoError(t, err)
	assert.ErrorContains(t, dst.Check(context.Background(), schema), "writeMode nonConflict")
	dst, err = oss.NewSink(oss.SinkConfig{Client: client, Object: "out/a", WriteOptions: text.WriteOptions{Header: []string{"one"}}})
	require.NoError(t, err)
	assert.ErrorContains(t, dst.Check(context.Background(), schema), "header has 1 names but the source has 2 columns")

	nob, err := srv.Bucket("no-such-bucket")
	require.NoError(t, err)
	dst, err = oss.NewSink(oss.SinkConfig{Client: nob, Object: "x"})
	require.NoError(t, err)
	assert.ErrorContains(t, dst.Check(context.Background(), schema), "the bucket does not exist")

	for _, tc := range []struct {
		cfg  oss.SinkConfig
		want string
	}{
		{oss.SinkConfig{Client: client}, "object (the key prefix to write) is empty"},
		{oss.SinkConfig{Client: client, Object: "x", PartSize: 1000}, "partSize 1000"},
		{oss.SinkConfig{Object: "x", AccessID: "a", AccessKey: "b"}, "endpoint is empty"},
		{oss.SinkConfig{Object: "x", Endpoint: "e", Bucket: "b", AccessID: "a", AccessKey: "b", AuthVersion: "v4"}, "authVersion v4 needs a region"},
	} {
		_, err := oss.NewSink(tc.cfg)
		assert.ErrorContains(t, err, tc.want)
	}
}

// TestRealBucket round-trips through a real OSS bucket when
// OSS_TEST_ENDPOINT, OSS_TEST_ACCESS_KEY_ID, OSS_TEST_ACCESS_KEY_SECRET and
// OSS_TEST_BUCKET are set (and OSS_TEST_REGION for V4 signatures).
func TestRealBucket(t *testing.T) {
	endpoint, id, secret, bucket := os.Getenv("OSS_TEST_ENDPOINT"), os.Getenv("OSS_TEST_ACCESS_KEY_ID"), os.Getenv("OSS_TEST_ACCESS_KEY_SECRET"), os.Getenv("OSS_TEST_BUCKET")
	if endpoint == "" || id == "" || secret == "" || bucket == "" {
		t.Skip("no real OSS bucket: set OSS_TEST_ENDPOINT, OSS_TEST_ACCESS_KEY_ID, OSS_TEST_ACCESS_KEY_SECRET and OSS_TEST_BUCKET to run this test")
	}
	prefix := fmt.Sprintf("datasync-test/%d/", time.Now().UnixNano())
	conn := oss.SinkConfig{Endpoint: endpoint, Bucket: bucket, AccessID: id, AccessKey: secret, Region: os.Getenv("OSS_TEST_REGION"),
		Object: prefix + "t", WriteMode: "truncate", PartSize: oss.MinPartSize,
		WriteOptions: text.WriteOptions{Format: text.Format{Compression: "gzip"}, WriteHeader: true}}
	dst, err := oss.NewSink(conn)
	require.NoError(t, err)
	rows := texttest.Rows(20_000, true)
	_, err = run(t, source.FromRecords(texttest.AllKinds, rows, source.Splits(2)), dst, datasync.WithParallelism(2))
	require.NoError(t, err)
	defer func() {
		cleanup := conn
		cleanup.Object = prefix
		if d, err := oss.NewSink(cleanup); err == nil {
			d.Prepare(context.Background(), nil) // truncate: deletes the test's objects
		}
	}()
	src, err := oss.NewSource(oss.SourceConfig{Endpoint: endpoint, Bucket: bucket, AccessID: id, AccessKey: secret, Region: conn.Region,
		Object: []string{prefix}, ReadOptions: text.ReadOptions{SkipHeader: true, Column: columnsOf(texttest.AllKinds)}})
	require.NoError(t, err)
	got := sink.Collect()
	_, err = run(t, src, got, datasync.WithParallelism(2))
	require.NoError(t, err)
	texttest.RequireSameRows(t, rows, got.Records())
}

func TestADirectoryPrefix(t *testing.T) {
	srv := newServer(t)
	dst, err := oss.NewSink(sinkConfig(srv, false, "exports/2024/"))
	require.NoError(t, err)
	_, err = run(t, source.FromRecords(idName, idNameRows(0, 10), source.Splits(2)), dst)
	require.NoError(t, err)
	assert.Equal(t, []string{"exports/2024/records-0.csv", "exports/2024/records-1.csv"}, srv.Keys(bkt, ""))
}
