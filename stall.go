package datasync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// StallError is the error of a split attempt that moved nothing for the
// stall timeout (see WithStallTimeout): no batch read, written or flushed,
// typically because a connection hangs with the server up but no bytes
// moving. It matches ErrStalled and is retryable: the split is reopened from
// its last checkpoint, on fresh connections.
type StallError struct {
	Split   string        // the split's ID
	Idle    time.Duration // how long nothing moved
	Waiting string        // the calls that had not returned, such as "the sink's Write"; "" if none
}

func (e *StallError) Error() string {
	msg := fmt.Sprintf("datasync: split %q stalled: nothing read or written for %v", e.Split, e.Idle.Round(time.Millisecond))
	if e.Waiting != "" {
		msg += " (waiting for " + e.Waiting + ")"
	}
	return msg
}

// Is matches ErrStalled.
func (e *StallError) Is(target error) bool { return target == ErrStalled }

// Retryable reports true: a stalled split is worth reopening.
func (e *StallError) Retryable() bool { return true }

// call is a call on a reader or writer that the watchdog may find waiting.
type call int32

const (
	callNone call = iota
	callOpenSource
	callRead
	callThrottle // waiting for the rate limit: on purpose, never a stall
	callOpenSink
	callWrite
	callFlush
	callCommit
)

var callNames = [...]string{
	callOpenSource: "the source's Open",
	callRead:       "the source's Read",
	callOpenSink:   "the sink's Open",
	callWrite:      "the sink's Write",
	callFlush:      "the sink's Flush",
	callCommit:     "the sink's Commit",
}

// A split attempt has two sides, each making one call at a time: the reader
// goroutine and the writer's.
const (
	sideReader = iota
	sideWriter
)

// watchdog fails a split attempt that moves nothing for its timeout: every
// call on the reader or the writer that returns counts as movement, waiting
// for the rate limit counts as movement, and waiting for the other side does
// not. A nil *watchdog watches nothing.
type watchdog struct {
	split   string
	timeout time.Duration
	start   time.Time
	last    atomic.Int64    // time since start of the last movement
	calls   [2]atomic.Int32 // the call each side is in
}

// newWatchdog returns a watchdog for split, or nil when timeout disables it.
func newWatchdog(split string, timeout time.Duration) *watchdog {
	if timeout <= 0 {
		return nil
	}
	return &watchdog{split: split, timeout: timeout, start: time.Now()}
}

// enter records that side is calling c.
func (d *watchdog) enter(side int, c call) {
	if d != nil {
		d.calls[side].Store(int32(c))
	}
}

// leave records that side's call returned, which is movement.
func (d *watchdog) leave(side int) {
	if d != nil {
		d.calls[side].Store(int32(callNone))
		d.moved()
	}
}

func (d *watchdog) moved() { d.last.Store(int64(time.Since(d.start))) }

// watch cancels ctx with a *StallError when nothing moves for the timeout,
// and returns then or when ctx ends.
func (d *watchdog) watch(ctx context.Context, cancel context.CancelCauseFunc) {
	t := time.NewTimer(d.timeout)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if call(d.calls[sideReader].Load()) == callThrottle {
			d.moved()
		}
		idle := time.Since(d.start) - time.Duration(d.last.Load())
		if idle < d.timeout {
			t.Reset(d.timeout - idle)
			continue
		}
		var waiting []string
		for i := range d.calls {
			if c := call(d.calls[i].Load()); c != callNone && c != callThrottle {
				waiting = append(waiting, callNames[c])
			}
		}
		cancel(&StallError{Split: d.split, Idle: idle, Waiting: strings.Join(waiting, " and ")})
		return
	}
}

// ErrStalled is matched by the error of a split that moved nothing for
// the stall timeout (see WithStallTimeout; the error itself is a
// *StallError, and is retryable).
var ErrStalled = errors.New("datasync: split stalled")
