package datasync

import (
	"time"

	"go.opentelemetry.io/otel/metric"
)

// opsConfig holds the options that serve the people and programs watching
// a job: dirty-record logging and metrics.
type opsConfig struct {
	dirtyLogFirst int
	dirtyLogEvery time.Duration
	dirtyLogSet   bool // WithDirtyLog was given; the defaults apply otherwise
	meterProvider metric.MeterProvider
}
