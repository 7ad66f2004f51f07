package datasync

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Option configures a Pipeline. Options are made by the With functions of
// this package; invalid ones make NewPipeline fail with ErrInvalidOption.
type Option interface {
	apply(*config) error
}

type optionFunc func(*config) error

func (f optionFunc) apply(c *config) error { return f(c) }

// The defaults.
const (
	DefaultParallelism  = 4
	DefaultBatchRows    = 4096
	DefaultBatchBytes   = 4 << 20
	DefaultRetries      = 3
	DefaultRetryBackoff = time.Second
	DefaultFlushBytes   = 32 << 20
	DefaultFlushEvery   = 5 * time.Second
	DefaultStallTimeout = 2 * time.Minute

	// batchesPerWorker is how many batches a worker has in flight: one being
	// read, one waiting, one being written.
	batchesPerWorker = 3
	// maxRetryBackoff caps the doubling backoff.
	maxRetryBackoff = time.Minute
)

type config struct {
	parallelism   int
	rate          Rate
	dirty         DirtyPolicy
	batchRows     int
	batchBytes    int
	retries       int
	retryBackoff  time.Duration
	progress      func(Progress)
	progressEvery time.Duration
	logger        *slog.Logger
	flushBytes    int64
	flushEvery    time.Duration
	stallTimeout  time.Duration
	checkpoints   CheckpointStore
	transforms    []Transformer // WithTransform
	ops           opsConfig     // logging and metrics (opsconfig.go)
}

func defaultConfig() config {
	return config{
		parallelism:  DefaultParallelism,
		batchRows:    DefaultBatchRows,
		batchBytes:   DefaultBatchBytes,
		retries:      DefaultRetries,
		retryBackoff: DefaultRetryBackoff,
		logger:       slog.New(slog.DiscardHandler),
		flushBytes:   DefaultFlushBytes,
		flushEvery:   DefaultFlushEvery,
		stallTimeout: DefaultStallTimeout,
	}
}

func invalid(option string, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidOption, option, fmt.Sprintf(format, args...))
}

// WithParallelism sets how many splits run at once (default 4). n must be at
// least 1.
func WithParallelism(n int) Option {
	return optionFunc(func(c *config) error {
		if n < 1 {
			return invalid("WithParallelism", "parallelism %d must be at least 1", n)
		}
		c.parallelism = n
		return nil
	})
}

// WithRateLimit limits the job's speed, for all workers together (see Rate).
// Negative or non-finite rates are invalid.
func WithRateLimit(r Rate) Option {
	return optionFunc(func(c *config) error {
		if err := r.validate(); err != nil {
			return invalid("WithRateLimit", "%v", err)
		}
		c.rate = r
		return nil
	})
}

// WithDirtyPolicy sets how many dirty records are tolerated and where they go
// (see DirtyPolicy; the default tolerates none). MaxRatio must be between 0
// and 1, and a policy that tolerates dirty records must have a Collector.
func WithDirtyPolicy(p DirtyPolicy) Option {
	return optionFunc(func(c *config) error {
		if err := p.validate(); err != nil {
			return invalid("WithDirtyPolicy", "%v", err)
		}
		c.dirty = p
		return nil
	})
}

// WithBatchSize bounds each batch by rows and by bytes (as Value.Size counts
// them; default 4096 rows, 4 MiB). A worker has three batches in flight, so
// memory stays near parallelism x 3 x bytes whatever the size of the data.
// Both must be at least 1.
func WithBatchSize(rows, bytes int) Option {
	return optionFunc(func(c *config) error {
		if rows < 1 || bytes < 1 {
			return invalid("WithBatchSize", "rows %d and bytes %d must both be at least 1", rows, bytes)
		}
		c.batchRows, c.batchBytes = rows, bytes
		return nil
	})
}

// WithRetry sets how many times a split that failed with a retryable error
// (see IsRetryable) is reopened from its last checkpoint (default 3), and
// the wait before the first retry (default 1s), doubled before each further
// one up to a minute. attempts 0 disables retries; negative values are
// invalid.
func WithRetry(attempts int, backoff time.Duration) Option {
	return optionFunc(func(c *config) error {
		if attempts < 0 || backoff < 0 {
			return invalid("WithRetry", "attempts %d and backoff %v must not be negative", attempts, backoff)
		}
		c.retries, c.retryBackoff = attempts, backoff
		return nil
	})
}

// WithProgress calls fn every interval while the job runs, and once more
// with Progress.Done set when it ends. fn is called from one goroutine at a
// time and should return quickly. fn must not be nil and interval must be
// positive.
func WithProgress(fn func(Progress), interval time.Duration) Option {
	return optionFunc(func(c *config) error {
		if fn == nil || interval <= 0 {
			return invalid("WithProgress", "needs a function and a positive interval (got interval %v)", interval)
		}
		c.progress, c.progressEvery = fn, interval
		return nil
	})
}

// WithLogger sets the logger for job events: start and end, retries with
// their causes, failed splits (Info and Warn), dirty records (Warn, as
// WithDirtyLog says), and at Debug level what helps find out why a job is
// slow or failing: the schema, the plan and its split boundaries, sink
// preparation, each split's connection setup, flushes and figures. The
// default discards. l must not be nil.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) error {
		if l == nil {
			return invalid("WithLogger", "logger is nil")
		}
		c.logger = l
		return nil
	})
}

// WithFlushEvery sets when a split's writer is flushed, the durability point
// that checkpoints advance to: once bytes have been written since the last
// flush or interval has passed, whichever comes first (default 32 MiB or 5s),
// and always at the end of the split. A retried split replays what was
// written after its last flush. Zero disables that trigger; negative values
// are invalid.
func WithFlushEvery(bytes int64, interval time.Duration) Option {
	return optionFunc(func(c *config) error {
		if bytes < 0 || interval < 0 {
			return invalid("WithFlushEvery", "bytes %d and interval %v must not be negative", bytes, interval)
		}
		c.flushBytes, c.flushEvery = bytes, interval
		return nil
	})
}

// WithStallTimeout sets how long a split may move nothing before it fails
// with a *StallError (errors.Is(err, ErrStalled)), which is retryable: the
// split is reopened from its last checkpoint, as WithRetry says, on fresh
// connections. Moving means a call on the split's reader or writer (Open,
// Read, Write, Flush, Commit) returning; waiting for the rate limit counts
// as moving too. The default is 2 minutes: a connection that hangs with the
// server up (a dead route, a stuck proxy) then fails the split instead of
// holding the job for ever. Raise it for a source whose first rows take
// longer to come (a heavy QuerySQL) or a sink whose Flush or Commit does
// long work. Zero disables the watchdog; negative values are invalid.
//
// The watchdog cancels the context of the calls in flight, so it frees a
// split only from readers and writers that honour their context, as the
// connectors of this module do.
func WithStallTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) error {
		if d < 0 {
			return invalid("WithStallTimeout", "timeout %v must not be negative (0 disables the watchdog)", d)
		}
		c.stallTimeout = d
		return nil
	})
}

// newConfig applies opts to the defaults and reports every invalid option.
func newConfig(opts []Option) (config, error) {
	c := defaultConfig()
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, invalid("Option", "nil option"))
			continue
		}
		if err := o.apply(&c); err != nil {
			errs = append(errs, err)
		}
	}
	return c, errors.Join(errs...)
}

// ErrInvalidOption is matched by the errors NewPipeline returns for
// options it cannot accept.
var ErrInvalidOption = errors.New("datasync: invalid option")
