package datasync

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// MeterName is the instrumentation scope of the pipeline's metrics.
const MeterName = "github.com/datasync-go/datasync"

// WithMeterProvider makes the pipeline report OpenTelemetry metrics through
// mp while it runs. The library uses only the OpenTelemetry metrics API:
// the caller chooses the SDK and the exporter (Prometheus, OTLP, ...). The
// instruments, under the scope MeterName, are:
//
//	datasync.records          counter, {record}: records moved, by split and direction ("read", "written")
//	datasync.bytes            counter, By: their size (Value.Size), by split and direction
//	datasync.dirty_records    counter, {record}: dirty records, by split and stage ("read", "convert", "write")
//	datasync.write.duration   histogram, s: how long each batch's Write took
//	datasync.splits.running   up-down counter (a gauge), {split}: splits running now
//	datasync.throttle.waiting up-down counter (a gauge), {worker}: workers waiting for the rate limit now
//	datasync.throttle.wait    counter, s: time spent waiting for the rate limit
//
// The counters count work as it happens: what a retried split replays is
// counted again, and rows a writer rejects late (at Flush) stay counted as
// written; Result has the exact figures of the job. mp must not be nil.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) error {
		if mp == nil {
			return invalid("WithMeterProvider", "meter provider is nil")
		}
		c.ops.meterProvider = mp
		return nil
	})
}

// meters are the pipeline's instruments; a nil *meters records nothing.
type meters struct {
	records      metric.Int64Counter
	bytes        metric.Int64Counter
	dirty        metric.Int64Counter
	writeSeconds metric.Float64Histogram
	running      metric.Int64UpDownCounter
	throttled    metric.Int64UpDownCounter
	throttleWait metric.Float64Counter
}

// newMeters makes the instruments, or returns nil without a provider.
func newMeters(mp metric.MeterProvider) (*meters, error) {
	if mp == nil {
		return nil, nil
	}
	m := mp.Meter(MeterName)
	var ms meters
	var err error
	if ms.records, err = m.Int64Counter("datasync.records", metric.WithUnit("{record}"),
		metric.WithDescription("Records moved, by split and direction (read, written).")); err != nil {
		return nil, err
	}
	if ms.bytes, err = m.Int64Counter("datasync.bytes", metric.WithUnit("By"),
		metric.WithDescription("Size of the records moved, by split and direction.")); err != nil {
		return nil, err
	}
	if ms.dirty, err = m.Int64Counter("datasync.dirty_records", metric.WithUnit("{record}"),
		metric.WithDescription("Dirty records, by split and stage.")); err != nil {
		return nil, err
	}
	if ms.writeSeconds, err = m.Float64Histogram("datasync.write.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of each batch's Write."),
		metric.WithExplicitBucketBoundaries(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)); err != nil {
		return nil, err
	}
	if ms.running, err = m.Int64UpDownCounter("datasync.splits.running", metric.WithUnit("{split}"),
		metric.WithDescription("Splits running now.")); err != nil {
		return nil, err
	}
	if ms.throttled, err = m.Int64UpDownCounter("datasync.throttle.waiting", metric.WithUnit("{worker}"),
		metric.WithDescription("Workers waiting for the rate limit now.")); err != nil {
		return nil, err
	}
	if ms.throttleWait, err = m.Float64Counter("datasync.throttle.wait", metric.WithUnit("s"),
		metric.WithDescription("Time spent waiting for the rate limit.")); err != nil {
		return nil, err
	}
	return &ms, nil
}

// splitMeters are the attribute sets of one split, made once per split
// (worker.runSplit), not per batch.
type splitMeters struct {
	m       *meters
	read    metric.MeasurementOption
	written metric.MeasurementOption
	split   metric.MeasurementOption
}

func (m *meters) forSplit(id string) *splitMeters {
	if m == nil {
		return nil
	}
	s := attribute.String("split", id)
	return &splitMeters{m: m,
		read:    metric.WithAttributeSet(attribute.NewSet(s, attribute.String("direction", "read"))),
		written: metric.WithAttributeSet(attribute.NewSet(s, attribute.String("direction", "written"))),
		split:   metric.WithAttributeSet(attribute.NewSet(s)),
	}
}

func (s *splitMeters) readBatch(ctx context.Context, records, bytes int64) {
	if s == nil {
		return
	}
	s.m.records.Add(ctx, records, s.read)
	s.m.bytes.Add(ctx, bytes, s.read)
}

func (s *splitMeters) wroteBatch(ctx context.Context, records, bytes int64, took time.Duration) {
	if s == nil {
		return
	}
	s.m.records.Add(ctx, records, s.written)
	s.m.bytes.Add(ctx, bytes, s.written)
	s.m.writeSeconds.Record(ctx, took.Seconds())
}

func (s *splitMeters) running(ctx context.Context, delta int64) {
	if s == nil {
		return
	}
	s.m.running.Add(ctx, delta)
}

func (s *splitMeters) throttling(ctx context.Context, delta int64) {
	if s == nil {
		return
	}
	s.m.throttled.Add(ctx, delta)
}

// throttlingDone counts a wait for the rate limit as over, even when ctx
// has ended (it must not leave the gauge up). Without meters it does
// nothing: context.WithoutCancel would allocate on every batch.
func (s *splitMeters) throttlingDone(ctx context.Context) {
	if s == nil {
		return
	}
	s.m.throttled.Add(context.WithoutCancel(ctx), -1)
}

func (s *splitMeters) throttled(ctx context.Context, d time.Duration) {
	if s == nil {
		return
	}
	s.m.throttleWait.Add(ctx, d.Seconds())
}

func (m *meters) dirtyRecord(ctx context.Context, d *DirtyRecord) {
	if m == nil {
		return
	}
	m.dirty.Add(ctx, 1, metric.WithAttributes(attribute.String("split", d.Split), attribute.String("stage", string(d.Stage))))
}
