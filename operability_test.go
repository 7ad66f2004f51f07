package datasync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// jsonLog is a logger writing JSON lines, and the lines it wrote.
type jsonLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *jsonLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *jsonLog) logger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: level}))
}

// records returns the logged records whose msg is msg.
func (l *jsonLog) records(t *testing.T, msg string) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// oddsRejected is a sink rejecting every record with an odd id, saying so
// with the id in the reason (as a database names the value).
func oddsRejected() *sink.Collection {
	return sink.Collect(sink.RejectIf(func(r ds.Record) error {
		id, _ := r[0].AsInt()
		if id%2 == 1 {
			return fmt.Errorf("value %d breaks constraint \"even_ids\"", id)
		}
		return nil
	}))
}

func TestDirtyRecordsAreLoggedFirstFewPerSplitThenSummarized(t *testing.T) {
	var log jsonLog
	var collected int
	p, err := ds.NewPipeline(numbered(2000, source.Splits(2)), oddsRejected(),
		ds.WithParallelism(2), ds.WithLogger(log.logger(slog.LevelInfo)), ds.WithDirtyLog(3, time.Hour),
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: -1, Collector: ds.DirtyFunc(func(context.Context, ds.DirtyRecord) error {
			collected++
			return nil
		})}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, int64(1000), res.RecordsDirty)
	assert.Equal(t, 1000, collected, "the collector still gets every record")

	lines := log.records(t, "dirty record")
	assert.Len(t, lines, 6, "3 per split, 2 splits: not 1000 lines")
	perSplit := map[any]int{}
	for _, l := range lines {
		perSplit[l["split"]]++
		assert.Contains(t, l["reason"], "breaks constraint")
		assert.Equal(t, "a DirtyFunc", l["records_to"])
	}
	for _, n := range perSplit {
		assert.Equal(t, 3, n)
	}
	summaries := log.records(t, "dirty records summary (final)")
	require.Len(t, summaries, 1)
	s := summaries[0]
	assert.EqualValues(t, 1000, s["dirty"])
	assert.EqualValues(t, 994, s["not_logged"])
	assert.Equal(t, "a DirtyFunc", s["records_to"])
	byReason := s["by_reason"].(map[string]any)
	assert.Equal(t, map[string]any{`write: value N breaks constraint "…"`: float64(1000)}, byReason, "one reason, the values taken out")
	bySplit := s["by_split"].(map[string]any)
	assert.Len(t, bySplit, 2)
	for _, n := range bySplit {
		assert.EqualValues(t, 500, n)
	}
	assert.Equal(t, map[string]int64{`write: value N breaks constraint "…"`: 1000}, res.DirtyReasons)
	assert.Equal(t, "a DirtyFunc", res.DirtyDestination)
}

func TestDirtySummariesComeAtTheIntervalWhileTheJobRuns(t *testing.T) {
	var log jsonLog
	// One batch of 10 records every 20ms, 5 of each dirty: summaries every 50ms.
	src := source.Func(idName, func(ctx context.Context, out *source.Emitter) error {
		for i := range int64(200) {
			if i%10 == 0 {
				time.Sleep(20 * time.Millisecond)
			}
			if err := out.Record(ds.Record{ds.Int(i), ds.String("x")}); err != nil {
				return err
			}
		}
		return nil
	})
	p, err := ds.NewPipeline(src, oddsRejected(), ds.WithBatchSize(10, 1<<20),
		ds.WithLogger(log.logger(slog.LevelInfo)), ds.WithDirtyLog(1, 50*time.Millisecond),
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: -1, Collector: ds.DirtyToJSONLines(&bytes.Buffer{})}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	assert.Len(t, log.records(t, "dirty record"), 1)
	periodic := log.records(t, "dirty records summary")
	assert.GreaterOrEqual(t, len(periodic), 3, "a summary about every 50ms of a 400ms job")
	assert.LessOrEqual(t, len(periodic), int(res.Elapsed/(50*time.Millisecond))+1, "never more often than every 50ms")
	last := periodic[len(periodic)-1]
	assert.Equal(t, "JSON lines to a *bytes.Buffer", last["records_to"])
	require.Len(t, log.records(t, "dirty records summary (final)"), 1)
}

func TestDirtyToJSONLinesNamesItsFile(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "dirty.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	c := ds.DirtyToJSONLines(f)
	assert.Equal(t, "JSON lines in "+f.Name(), c.(ds.DirtyDestination).DirtyDestination())
}

func TestReasonKeyGroupsRowsFailingTheSameWay(t *testing.T) {
	a := ds.DirtyRecord{Stage: ds.StageConvert, Column: "amount",
		Err: &ds.ConversionError{From: ds.KindString, To: ds.KindInt, Text: "abc", Err: errors.New("invalid syntax")}}
	b := a
	b.Err = &ds.ConversionError{From: ds.KindString, To: ds.KindInt, Text: "x17", Err: errors.New("invalid syntax")}
	assert.Equal(t, a.ReasonKey(), b.ReasonKey())
	assert.Equal(t, `convert amount: cannot convert String "…" to Int: invalid syntax`, a.ReasonKey())
	c := ds.DirtyRecord{Stage: ds.StageRead, Err: errors.New("line 12: 3 fields, want 4")}
	assert.Equal(t, "read: line N: N fields, want N", c.ReasonKey())
}

func TestWithDirtyLogRejectsNonsense(t *testing.T) {
	_, err := ds.NewPipeline(numbered(1), sink.Discard(), ds.WithDirtyLog(-1, time.Second))
	require.ErrorIs(t, err, ds.ErrInvalidOption)
	_, err = ds.NewPipeline(numbered(1), sink.Discard(), ds.WithDirtyLog(1, 0))
	require.ErrorIs(t, err, ds.ErrInvalidOption)
	_, err = ds.NewPipeline(numbered(1), sink.Discard(), ds.WithMeterProvider(nil))
	require.ErrorIs(t, err, ds.ErrInvalidOption)
}

func TestDebugLogSaysWhereTheTimeWent(t *testing.T) {
	var log jsonLog
	p, err := ds.NewPipeline(numbered(1000, source.Splits(2)), sink.Discard(), ds.WithParallelism(2),
		ds.WithLogger(log.logger(slog.LevelDebug)), ds.WithFlushEvery(1, 0), ds.WithBatchSize(100, 1<<20))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, log.records(t, "source schema read"), 1)
	planned := log.records(t, "source planned")
	require.Len(t, planned, 1)
	assert.EqualValues(t, 2, planned[0]["splits"])
	assert.EqualValues(t, 1000, planned[0]["estimated_records"])
	splits := log.records(t, "split planned")
	require.Len(t, splits, 2)
	assert.NotEmpty(t, splits[0]["spec"], "the boundaries, as the source gives them")
	assert.Len(t, log.records(t, "sink prepared"), 1)
	assert.Len(t, log.records(t, "source opened"), 2)
	assert.Len(t, log.records(t, "sink opened"), 2)
	assert.GreaterOrEqual(t, len(log.records(t, "sink flushed")), 10, "a flush after every batch")
	done := log.records(t, "split done")
	require.Len(t, done, 2)
	assert.EqualValues(t, 500, done[0]["records_written"])

	// At Info, none of it.
	var quiet jsonLog
	p, err = ds.NewPipeline(numbered(1000), sink.Discard(), ds.WithLogger(quiet.logger(slog.LevelInfo)))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	assert.Empty(t, quiet.records(t, "split planned"))
	assert.Empty(t, quiet.records(t, "sink flushed"))
}

func TestJobFinishedLogsTheResultAsSeparateAttributes(t *testing.T) {
	var log jsonLog
	p, err := ds.NewPipeline(numbered(1234), sink.Discard(), ds.WithLogger(log.logger(slog.LevelInfo)))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	fin := log.records(t, "job finished")
	require.Len(t, fin, 1)
	assert.EqualValues(t, 1234, fin[0]["records_written"])
	assert.EqualValues(t, 1234, fin[0]["records_read"])
	assert.EqualValues(t, 0, fin[0]["records_dirty"])
	for _, key := range []string{"bytes_written", "elapsed", "records_per_sec", "read_wait_share", "throttle_wait", "worker_time", "splits_done"} {
		assert.Contains(t, fin[0], key)
	}
	assert.NotContains(t, fin[0], "result", "no summary packed in one string")
}

func TestRetriesAreLoggedWithTheirCauses(t *testing.T) {
	p, err := ds.NewPipeline(numbered(1000, source.Splits(1)), sink.Discard(), ds.WithRetry(2, 0))
	require.NoError(t, err)
	splits, err := p.Plan(context.Background())
	require.NoError(t, err)
	var log jsonLog
	p, err = ds.NewPipeline(numbered(1000, source.Splits(1)),
		sink.Collect(sink.FailSplit(sink.Failure{Split: splits[0].ID, AfterRecords: 300, Times: 2})),
		ds.WithRetry(2, time.Millisecond), ds.WithLogger(log.logger(slog.LevelInfo)))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, res.RetryLog, 2)
	for i, r := range res.RetryLog {
		assert.Equal(t, splits[0].ID, r.Split)
		assert.Equal(t, i+1, r.Attempt)
		assert.ErrorIs(t, r.Err, sink.ErrInjected)
		assert.False(t, r.At.IsZero())
	}
	assert.Equal(t, 2*time.Millisecond, res.RetryLog[1].Backoff, "doubled")
	warns := log.records(t, "split failed, retrying from its last checkpoint")
	require.Len(t, warns, 2)
	assert.Contains(t, warns[0]["error"], "injected failure")
}

func TestThrottleWaitsAreNotCountedAsWaitingForTheReader(t *testing.T) {
	// 2,000 records at 4,000 records/s: about half a second, nearly all of
	// it spent waiting for the limit, none for a slow source.
	p, err := ds.NewPipeline(numbered(2000, source.Splits(2)), sink.Discard(), ds.WithParallelism(2),
		ds.WithRateLimit(ds.Rate{RecordsPerSec: 4000}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	require.GreaterOrEqual(t, res.Elapsed, 400*time.Millisecond)
	assert.Equal(t, 2, res.Workers)
	rd, wr, th := res.WaitShares()
	assert.Greater(t, th, 0.7, "the limit holds the job back: %v", res)
	assert.Less(t, rd, 0.2, "the source is not slow: %v", res)
	assert.Less(t, wr, 0.2, "the sink is not slow: %v", res)
	assert.Less(t, res.ReadWait, res.ThrottleWait/4)
	assert.LessOrEqual(t, res.ThrottleWait, res.WorkerTime())
	for _, s := range res.Splits {
		assert.Greater(t, s.ThrottleWait, time.Duration(0))
	}
	assert.Contains(t, res.String(), "on the rate limit")
}

func TestASlowSourceShowsAsWaitingForTheReader(t *testing.T) {
	src := source.Func(idName, func(ctx context.Context, out *source.Emitter) error {
		for i := range int64(20) {
			time.Sleep(10 * time.Millisecond)
			if err := out.Record(ds.Record{ds.Int(i), ds.String("x")}); err != nil {
				return err
			}
		}
		return nil
	})
	p, err := ds.NewPipeline(src, sink.Discard(), ds.WithBatchSize(1, 1<<20))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)
	rd, _, th := res.WaitShares()
	assert.Greater(t, rd, 0.7, "%v", res)
	assert.Less(t, th, 0.1, "%v", res)
}

func TestMetricsThroughTheOpenTelemetryAPI(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer mp.Shutdown(context.Background())
	p, err := ds.NewPipeline(numbered(1000, source.Splits(2)), oddsRejected(), ds.WithParallelism(2),
		ds.WithMeterProvider(mp), ds.WithRateLimit(ds.Rate{RecordsPerSec: 100_000}),
		ds.WithDirtyPolicy(ds.DirtyPolicy{MaxRecords: -1, Collector: ds.DirtyFunc(func(context.Context, ds.DirtyRecord) error { return nil })}))
	require.NoError(t, err)
	res, err := p.Run(context.Background())
	require.NoError(t, err)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	require.Len(t, rm.ScopeMetrics, 1)
	assert.Equal(t, ds.MeterName, rm.ScopeMetrics[0].Scope.Name)
	byName := map[string]metricdata.Metrics{}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		byName[m.Name] = m
	}
	sums := func(name string) map[string]int64 {
		out := map[string]int64{}
		for _, dp := range byName[name].Data.(metricdata.Sum[int64]).DataPoints {
			var key []string
			for _, kv := range dp.Attributes.ToSlice() {
				if kv.Key != "split" {
					key = append(key, kv.Value.AsString())
				}
			}
			split, _ := dp.Attributes.Value("split")
			out[split.AsString()+"/"+strings.Join(key, ",")] += dp.Value
		}
		return out
	}
	records := sums("datasync.records")
	require.Len(t, records, 4, "2 splits x read, written: %v", records)
	var read, written int64
	for k, v := range records {
		if strings.HasSuffix(k, "/read") {
			read += v
			assert.EqualValues(t, 500, v, k)
		} else {
			written += v
			assert.EqualValues(t, 250, v, k)
		}
	}
	assert.Equal(t, res.RecordsRead, read)
	assert.Equal(t, res.RecordsWritten, written)
	dirty := sums("datasync.dirty_records")
	require.Len(t, dirty, 2)
	for k, v := range dirty {
		assert.True(t, strings.HasSuffix(k, "/write"), k)
		assert.EqualValues(t, 250, v)
	}
	bytesByKey := sums("datasync.bytes")
	var bytesRead int64
	for k, v := range bytesByKey {
		if strings.HasSuffix(k, "/read") {
			bytesRead += v
		}
	}
	assert.Equal(t, res.BytesRead, bytesRead)
	assert.Equal(t, map[string]int64{"/": 0}, sums("datasync.splits.running"), "none running after the job")
	assert.Equal(t, map[string]int64{"/": 0}, sums("datasync.throttle.waiting"))
	hist := byName["datasync.write.duration"].Data.(metricdata.Histogram[float64])
	require.Len(t, hist.DataPoints, 1)
	assert.GreaterOrEqual(t, hist.DataPoints[0].Count, uint64(2), "one per batch written")
	waited := byName["datasync.throttle.wait"].Data.(metricdata.Sum[float64])
	require.Len(t, waited.DataPoints, 1)
	assert.Greater(t, waited.DataPoints[0].Value, 0.0)
}

func TestTheRootPackageUsesOnlyTheMetricsAPI(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	seen := false
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(path, "go.opentelemetry.io/") {
				continue
			}
			seen = true
			assert.Contains(t, []string{"go.opentelemetry.io/otel/metric", "go.opentelemetry.io/otel/attribute"}, path,
				"%s imports %s: the library must not depend on an SDK", name, path)
		}
	}
	assert.True(t, seen)
}

// mappedSink is a sink whose columns take the source's by position.
type mappedSink struct {
	*sink.Discarder
	columns []string
}

func (m mappedSink) MappedColumns(ds.Schema) ([]string, error) { return m.columns, nil }

func TestCheckWarningsNameColumnsMappedToOtherNames(t *testing.T) {
	warnings := func(cols []string) []string {
		p, err := ds.NewPipeline(numbered(1), mappedSink{sink.Discard(), cols})
		require.NoError(t, err)
		w, err := p.CheckWarnings(context.Background())
		require.NoError(t, err)
		return w
	}
	assert.Equal(t, []string{`source column 2 "name" is written to column "customer": columns are matched by position, and the names differ`},
		warnings([]string{"id", "customer"}))
	assert.Empty(t, warnings([]string{`"ID"`, "`Name`"}), "case and quotes aside, the same names")
	assert.Empty(t, warnings(nil), "matched by name")
	assert.Empty(t, warnings([]string{"id"}), "a list that does not fit is Check's error, not a warning")
	p, err := ds.NewPipeline(numbered(1), sink.Discard())
	require.NoError(t, err)
	w, err := p.CheckWarnings(context.Background())
	require.NoError(t, err)
	assert.Empty(t, w, "a sink that is no ColumnMapper")
}

func TestADerivedPipelineKeepsItsMetrics(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer mp.Shutdown(context.Background())
	p, err := ds.NewPipeline(numbered(100), sink.Discard(), ds.WithMeterProvider(mp))
	require.NoError(t, err)
	q, err := p.With(ds.WithParallelism(1))
	require.NoError(t, err)
	_, err = q.Run(context.Background())
	require.NoError(t, err)
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	require.Len(t, rm.ScopeMetrics, 1, "the derived pipeline reports through the same provider")
}
