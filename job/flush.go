package job

import (
	"errors"
	"fmt"
	"time"

	"github.com/datasync-go/datasync"
)

// Flush is job.setting.flush: when a split's writer commits (see
// datasync.WithFlushEvery). Each commit is a durability point: a resumed or
// retried split restarts after the last one, and with a progress table it
// is the unit of exactly-once.
type Flush struct {
	// Bytes commits once this many bytes were written since the last commit
	// (default 32 MiB; 0 keeps the default).
	Bytes int64 `json:"bytes"`
	// Every commits once this long has passed since the last commit, a Go
	// duration such as "1s" (default 5s; "" keeps the default).
	Every string `json:"every"`
}

func (f *Flush) check(prefix string) []error {
	if f == nil {
		return nil
	}
	var errs []error
	if f.Bytes < 0 {
		errs = append(errs, errors.New(prefix+".flush.bytes: cannot be negative"))
	}
	if f.Every != "" {
		if d, err := time.ParseDuration(f.Every); err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s.flush.every: %q is not a positive duration such as \"1s\"", prefix, f.Every))
		}
	}
	return errs
}

// option returns the pipeline option of f; ok is false when f is absent.
func (f *Flush) option() (o datasync.Option, ok bool) {
	if f == nil {
		return nil, false
	}
	bytes, every := int64(datasync.DefaultFlushBytes), datasync.DefaultFlushEvery
	if f.Bytes > 0 {
		bytes = f.Bytes
	}
	if f.Every != "" {
		every, _ = time.ParseDuration(f.Every) // checked by Parse
	}
	return datasync.WithFlushEvery(bytes, every), true
}
