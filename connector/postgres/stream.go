package postgres

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/datasync-go/datasync/connector/internal/netdial"
)

// Streaming COPY. A COPY statement costs the server far more than the
// rows it carries when it carries few: measured on PostgreSQL 15, one
// million rows of the benchmark table cost the backend 2.1 CPU-seconds in
// one COPY, 2.5 in COPYs of 4,096 rows and 3.7 in COPYs of 1,024. So a
// writer keeps one COPY open across batches: each Write hands its rows to
// the COPY and returns while the server works on them, and the COPY ends
// when its window is full (see below), at Flush, or when a batch needs the
// other format (text instead of binary).
//
// A COPY is all or nothing, and the server judges its rows as they arrive,
// so a row of an earlier batch may be rejected while a later one is written:
// it is reported late, from that Write or from Flush, with its record
// (decoded from what was sent, see late.go), as datasync.Writer allows.
//
// Savepoints. The COPYs of a window (a few MiB) run under one savepoint,
// and the writer keeps every row sent since (rowBuf): when a COPY fails, the
// transaction is rolled back to the savepoint, the earlier COPYs of the
// window are sent again and the failed one is narrowed down to the rows at
// fault (narrow.go). One savepoint per window, not per COPY or per batch,
// because a transaction with more than 64 subtransactions overflows the
// server's per-backend cache of them (PGPROC_MAX_CACHED_SUBXIDS; released
// subtransactions count until the transaction ends), and then every
// snapshot taken on the server has to look them up in pg_subtrans while it
// lasts. With the pipeline's default flushes (every 32 MiB), a transaction
// holds from four to sixteen.

// How much COPY data a window sends under one savepoint, and the most one
// COPY carries: the writers of a Sink share sinkWindowBytes, each between
// minWindowBytes and maxWindowBytes (measured: one writer is faster with 8
// MiB windows than with 4, as the server's verdict on each COPY is waited
// for less often).
const (
	sinkWindowBytes = 12 << 20
	minWindowBytes  = 2 << 20
	maxWindowBytes  = 8 << 20
)

// windowBytesForTests, when set, is every writer's window.
var windowBytesForTests = 0

// windowBytes returns a writer's share of sinkWindowBytes.
func (s *Sink) windowBytes() int {
	if windowBytesForTests > 0 {
		return windowBytesForTests
	}
	return min(max(sinkWindowBytes/max(int(s.writers.Load()), 1), minWindowBytes), maxWindowBytes)
}

// windowCopy is one COPY of the current window: the rows spans[first:end]
// of w.rows, of one format (binary COPYs carry encoded and pass-through
// rows alike, but a window's COPY holds one kind).
type windowCopy struct {
	format     copyFormat
	first, end int
}

// copyStream is a COPY in progress: pgconn's CopyFrom runs in a goroutine,
// reading what the writer hands it until the stream is closed.
type copyStream struct {
	format copyFormat // its wire format
	// The COPY outlives the Write that opened it, so it has a context of
	// its own, cancelled when a Write or Flush waiting on it is cancelled.
	ctx    context.Context
	cancel context.CancelFunc
	segs   chan []byte   // what the writer hands to the COPY
	abort  chan struct{} // closed to make the COPY fail
	done   chan struct{} // closed when CopyFrom returned, with err
	err    error
	closed bool // segs is closed

	// When the connection fails, pgconn's CopyFrom can return while its
	// goroutine still reads: once stopped, Read gives nothing more, so
	// nothing reads w.rows after the writer has moved on.
	mu      sync.Mutex
	cur     []byte
	stopped bool
}

var errAbandoned = errors.New("postgres: COPY abandoned")

// startCopy opens a COPY for rows of the given format, from spans[first]
// of w.rows on; under the window's savepoint, or a new one when the window
// is empty.
func (w *writer) startCopy(ctx context.Context, format copyFormat, first int) {
	newSavepoint := len(w.window) == 0 || w.tx != txClean
	if newSavepoint {
		w.window = w.window[:0] // a rollback would take the window's COPYs too
	}
	sql := w.copyStatements(format, newSavepoint)
	cp := &copyStream{format: format.wire(), segs: make(chan []byte), abort: make(chan struct{}), done: make(chan struct{})}
	cp.ctx, cp.cancel = context.WithCancel(context.WithoutCancel(ctx))
	conn := w.conn.Conn().PgConn()
	go func() {
		_, cp.err = conn.CopyFrom(cp.ctx, cp, sql)
		cp.cancel()
		close(cp.done)
	}()
	w.window = append(w.window, windowCopy{format: format, first: first, end: first})
	w.cp = cp
	w.attempts++
	if cp.format == formatBinary {
		cp.send(ctx, binaryHeader)
	}
}

func (cp *copyStream) send(ctx context.Context, seg []byte) bool {
	select {
	case cp.segs <- seg:
		return true
	case <-cp.done:
	case <-ctx.Done():
	}
	return false
}

// ended reports whether the COPY ended before the writer closed it: the
// server rejected it, or the connection failed.
func (cp *copyStream) ended() bool {
	select {
	case <-cp.done:
		return true
	default:
		return false
	}
}

// close ends the stream: the server finishes the COPY, and the statements
// after it, while the writer goes on.
func (cp *copyStream) close() {
	if cp.closed {
		return
	}
	if cp.format == formatBinary {
		cp.send(cp.ctx, binaryTrailer)
	}
	close(cp.segs)
	cp.closed = true
}

// finish closes the stream, waits for the server's verdict and returns it;
// when ctx ends first, the COPY is cancelled.
func (cp *copyStream) finish(ctx context.Context) error {
	cp.close()
	select {
	case <-cp.done:
	case <-ctx.Done():
		cp.cancel()
		<-cp.done
	}
	cp.stop()
	return cp.err
}

// fail makes the COPY fail (the server discards it) and waits for it.
func (cp *copyStream) fail() {
	close(cp.abort)
	go func() { // a COPY stuck on a stalled or dead server holds Close for seconds at most
		t := time.NewTimer(netdial.CloseWait)
		defer t.Stop()
		select {
		case <-cp.done:
		case <-t.C:
			cp.cancel()
		}
	}()
	<-cp.done
	cp.stop()
}

func (cp *copyStream) stop() {
	cp.mu.Lock()
	cp.stopped = true
	cp.cur = nil
	cp.mu.Unlock()
}

// Read gives pgconn what the writer handed over, blocking until there is
// some; io.EOF once the stream is closed.
func (cp *copyStream) Read(p []byte) (int, error) {
	for {
		cp.mu.Lock()
		if cp.stopped {
			cp.mu.Unlock()
			return 0, errAbandoned
		}
		if len(cp.cur) > 0 {
			n := copy(p, cp.cur)
			cp.cur = cp.cur[n:]
			cp.mu.Unlock()
			return n, nil
		}
		cp.mu.Unlock()
		select {
		case seg, ok := <-cp.segs:
			if !ok {
				return 0, io.EOF
			}
			cp.mu.Lock()
			cp.cur = seg
			cp.mu.Unlock()
		case <-cp.abort:
			return 0, errAbandoned
		case <-cp.ctx.Done():
			return 0, cp.ctx.Err()
		}
	}
}

// endCopy ends the open COPY. When the server rejected a row of it, the
// window is rolled back and written again, narrowed down to the rows at
// fault, which become rejects; any other failure is returned.
func (w *writer) endCopy(ctx context.Context) error {
	cp := w.cp
	w.cp = nil
	err := cp.finish(ctx)
	if err == nil {
		w.tx = txClean
		return nil
	}
	w.tx = txAborted // BEGIN ran, or a transaction was already open
	err = classify(err)
	pgErr := rowLevel(err)
	if pgErr == nil {
		return err
	}
	window := w.window
	w.window = nil // what follows runs under savepoints of its own
	last := len(window) - 1
	end := window[last].end
	w.indexes = w.indexes[:0]
	for k := range end {
		w.indexes = append(w.indexes, k)
	}
	// The window's earlier COPYs were accepted: send them again as they
	// were, under the savepoint. Should one fail now (a row another
	// session wrote meanwhile), every COPY of the window is narrowed down.
	from := last
	for _, c := range window[:last] {
		if err := w.attempt(ctx, w.indexes[c.first:c.end], c.format, true); err != nil {
			if rowLevel(err) == nil {
				return err
			}
			from = 0
			break
		}
	}
	for i := from; i <= last; i++ {
		var failed *pgconn.PgError
		if i == last {
			failed = pgErr
		}
		c := window[i]
		if err := w.narrow(ctx, w.indexes[c.first:c.end], c.format, failed); err != nil {
			return err
		}
	}
	w.dropRows(end)
	return nil
}

// dropRows forgets the first k rows of w.rows, which the server has taken
// or rejected for good, and notes in w.dropped how many bytes went.
func (w *writer) dropRows(k int) {
	off := w.rows.dropFirst(k)
	w.dropped = off
	w.batchFirst, w.batchStart = max(w.batchFirst-k, 0), max(w.batchStart-off, 0)
	w.pendingFirst, w.pendingStart = max(w.pendingFirst-k, 0), max(w.pendingStart-off, 0)
	for i := range w.window {
		w.window[i].first -= k
		w.window[i].end -= k
	}
}

// newWindow ends the window once it is full, before rows from
// spans[first], data[start] of w.rows go into a new COPY: that COPY sets a
// savepoint of its own, and the rows before them are forgotten. It returns
// where those rows are then.
func (w *writer) newWindow(first, start int) (int, int) {
	if len(w.window) == 0 || start < w.s.windowBytes() {
		return first, start
	}
	w.window = w.window[:0]
	w.dropRows(first)
	return 0, 0
}
