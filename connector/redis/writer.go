package redis

import (
	"context"
	"fmt"

	goredis "github.com/redis/go-redis/v9"

	"github.com/datasync-go/datasync"
)

// writer sends each batch as pipelines of at most BatchRows rows. Writes
// reach Redis in Write; Flush has nothing left to do.
type writer struct {
	s     *Sink
	split string
	plan  *rowPlan
	of    datasync.Schema // the schema plan was made for
	buf   []byte
	args  []any
	rows  []int // the row of each command sent, in order
}

// Write sends the rows of b. Rows that cannot become a key and a value, and
// rows whose command the server refuses (WRONGTYPE, OOM), come back as a
// *datasync.RowErrors; every other row is written.
func (w *writer) Write(ctx context.Context, b *datasync.Batch) error {
	if w.plan == nil || !sameNames(w.of, b.Schema()) {
		p, err := newRowPlan(&w.s.cfg, b.Schema())
		if err != nil {
			return datasync.Permanent(fmt.Errorf("redis sink: %w", err))
		}
		w.plan, w.of = p, b.Schema()
	}
	var dirty []*datasync.RowError
	limit := cmpOr(w.s.cfg.BatchRows, defaultBatchRows)
	for start := 0; start < b.Len(); start += limit {
		end := min(start+limit, b.Len())
		d, err := w.send(ctx, b, start, end)
		if err != nil {
			return err
		}
		dirty = append(dirty, d...)
	}
	if len(dirty) > 0 {
		return &datasync.RowErrors{Errors: dirty}
	}
	return nil
}

// send writes rows [start, end) of b in one pipeline.
func (w *writer) send(ctx context.Context, b *datasync.Batch, start, end int) ([]*datasync.RowError, error) {
	var dirty []*datasync.RowError
	reject := func(row int, d *dirtyCell) {
		dirty = append(dirty, &datasync.RowError{Split: w.split, Row: int64(row), Column: d.column, Value: d.value, Err: d.err})
	}
	pipe := w.s.client.Pipeline()
	w.rows = w.rows[:0]
	p := w.plan
	for i := start; i < end; i++ {
		rec := b.Row(i)
		var d *dirtyCell
		w.buf, d = p.appendKey(w.buf[:0], rec)
		if d != nil {
			reject(i, d)
			continue
		}
		key := string(w.buf)
		at, d := p.expiry(rec)
		if d != nil {
			reject(i, d)
			continue
		}
		var score float64
		if p.typ == TypeZSet {
			if score, d = p.score(rec); d != nil {
				reject(i, d)
				continue
			}
		}
		var value string
		if p.typ != TypeHash {
			value = string(p.appendValue(w.buf[:0], rec))
		}
		switch p.typ {
		case TypeString:
			args := goredis.SetArgs{TTL: p.ttl, ExpireAt: at}
			pipe.SetArgs(ctx, key, value, args)
			w.rows = append(w.rows, i)
			continue // the expiry went with SET
		case TypeList:
			if w.s.cfg.ListPush == LPush {
				pipe.LPush(ctx, key, value)
			} else {
				pipe.RPush(ctx, key, value)
			}
		case TypeSet:
			pipe.SAdd(ctx, key, value)
		case TypeZSet:
			pipe.ZAdd(ctx, key, goredis.Z{Score: score, Member: value})
		case TypeHash:
			w.args = w.args[:0]
			for j, c := range p.valueCols {
				if v := rec[c]; !v.IsNull() {
					w.args = append(w.args, p.fieldNames[j], string(v.AppendTo(nil)))
				}
			}
			if len(w.args) == 0 {
				continue // every field NULL: nothing to set
			}
			pipe.HSet(ctx, key, w.args...)
		}
		w.rows = append(w.rows, i)
		switch {
		case p.ttl > 0:
			pipe.PExpire(ctx, key, p.ttl)
			w.rows = append(w.rows, i)
		case !at.IsZero():
			pipe.PExpireAt(ctx, key, at)
			w.rows = append(w.rows, i)
		}
	}
	if len(w.rows) == 0 {
		return dirty, nil
	}
	cmds, err := pipe.Exec(ctx)
	if err != nil && len(cmds) != len(w.rows) {
		return nil, fmt.Errorf("redis sink %s: %w", w.s.cfg.where(), err)
	}
	last := -1
	for k, cmd := range cmds {
		cerr := cmd.Err()
		if cerr == nil {
			continue
		}
		if !isServerError(cerr) {
			return nil, fmt.Errorf("redis sink %s: %s: %w", w.s.cfg.where(), cmd.Name(), cerr)
		}
		row := w.rows[k]
		if row == last {
			continue // one reason per row
		}
		last = row
		dirty = append(dirty, &datasync.RowError{Split: w.split, Row: int64(row), Value: argKey(cmd),
			Err: fmt.Errorf("redis refused %s: %w", cmd.Name(), cerr)})
	}
	sortRowErrors(dirty)
	return dirty, nil
}

// argKey returns the key a command was sent for.
func argKey(cmd goredis.Cmder) string {
	if args := cmd.Args(); len(args) > 1 {
		if s, ok := args[1].(string); ok {
			return s
		}
	}
	return ""
}

// sortRowErrors orders row errors by row (rows refused before sending and
// rows refused by the server come from two passes).
func sortRowErrors(errs []*datasync.RowError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Row < errs[j-1].Row; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// sameNames reports whether two schemas have the same column names and
// kinds, so that a plan made for one fits the other.
func sameNames(a, b datasync.Schema) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Kind != b[i].Kind {
			return false
		}
	}
	return true
}

// Flush does nothing: Write has sent everything.
func (w *writer) Flush(context.Context) error { return nil }

// Close does nothing: the client is the sink's.
func (w *writer) Close() error { return nil }
