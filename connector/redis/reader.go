package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	goredis "github.com/redis/go-redis/v9"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/jsontext"
)

// reader reads one split: it SCANs the key space page by page, keeps the
// keys of its hash slots, reads their types, expiries and values in two
// pipelined round trips per page, and hands the rows out as batches fill.
type reader struct {
	s        *Source
	split    string
	from, to int // the split's hash slots, [from, to)

	cursor    uint64 // the next SCAN cursor
	pageStart uint64 // the cursor of the page whose rows are pending
	done      bool   // SCAN is complete: cursor came back 0
	pending   []pendingRow
}

// pendingRow is a row read but not yet handed out, or a key that could not
// be read as a row.
type pendingRow struct {
	values []datasync.Value
	err    *datasync.RowError
}

// Read appends rows to b until it is full or the scan is done.
func (r *reader) Read(ctx context.Context, b *datasync.Batch) error {
	var dirty []*datasync.RowError
	for !b.Full() {
		if len(r.pending) > 0 {
			p := r.pending[0]
			r.pending[0] = pendingRow{}
			r.pending = r.pending[1:]
			if p.err != nil {
				dirty = append(dirty, p.err)
				continue
			}
			rec := b.Append()
			for i, v := range p.values {
				rec[i] = b.Copy(v)
			}
			continue
		}
		if r.done {
			break
		}
		if err := r.nextPage(ctx); err != nil {
			return err
		}
	}
	switch {
	case len(dirty) > 0:
		return &datasync.RowErrors{Errors: dirty}
	case r.done && len(r.pending) == 0:
		return io.EOF
	}
	return nil
}

// Checkpoint returns the cursor of the page being handed out (its rows are
// read again on resuming), or of the next page, or done.
func (r *reader) Checkpoint() datasync.Checkpoint {
	var cp checkpoint
	switch {
	case len(r.pending) > 0:
		cp.Cursor = r.pageStart
	case r.done:
		cp.Done = true
	default:
		cp.Cursor = r.cursor
	}
	out, _ := json.Marshal(cp)
	return out
}

// Close does nothing: the client is the source's.
func (r *reader) Close() error { return nil }

// nextPage SCANs one page and reads the split's keys on it into pending.
func (r *reader) nextPage(ctx context.Context) error {
	cfg := &r.s.cfg
	match := cmpOr(cfg.Match, "*")
	count := int64(cmpOr(cfg.ScanCount, defaultScanCount))
	var keys []string
	var next uint64
	var err error
	if len(cfg.Types) == 1 {
		keys, next, err = r.s.client.ScanType(ctx, r.cursor, match, count, string(cfg.Types[0])).Result()
	} else {
		keys, next, err = r.s.client.Scan(ctx, r.cursor, match, count).Result()
	}
	if err != nil {
		return fmt.Errorf("redis source %s: SCAN %d MATCH %q: %w", cfg.where(), r.cursor, match, err)
	}
	r.pageStart, r.cursor, r.done = r.cursor, next, next == 0
	mine := keys[:0]
	for _, k := range keys {
		if s := keySlot(k); s >= r.from && s < r.to {
			mine = append(mine, k)
		}
	}
	if len(mine) == 0 {
		return nil
	}
	slices.Sort(mine) // SCAN may return a key twice; and a stable order
	mine = slices.Compact(mine)
	return r.load(ctx, mine)
}

// load reads the type, expiry and value of each key, in two pipelines.
func (r *reader) load(ctx context.Context, keys []string) error {
	cfg := &r.s.cfg
	pipe := r.s.client.Pipeline()
	types := make([]*goredis.StatusCmd, len(keys))
	ttls := make([]*goredis.DurationCmd, len(keys))
	for i, k := range keys {
		types[i] = pipe.Type(ctx, k)
		ttls[i] = pipe.PTTL(ctx, k)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("redis source %s: TYPE and PTTL: %w", cfg.where(), err)
	}
	pipe = r.s.client.Pipeline()
	values := make([]goredis.Cmder, len(keys))
	for i, k := range keys {
		switch t := ValueType(types[i].Val()); {
		case len(cfg.Types) > 0 && !slices.Contains(cfg.Types, t):
		case t == TypeString:
			values[i] = pipe.Get(ctx, k)
		case t == TypeList:
			values[i] = pipe.LRange(ctx, k, 0, -1)
		case t == TypeSet:
			values[i] = pipe.SMembers(ctx, k)
		case t == TypeZSet:
			values[i] = pipe.ZRangeWithScores(ctx, k, 0, -1)
		case t == TypeHash:
			values[i] = pipe.HGetAll(ctx, k)
		}
	}
	if _, err := pipe.Exec(ctx); err != nil && !isServerError(err) {
		return fmt.Errorf("redis source %s: read values: %w", cfg.where(), err)
	}
	for i, k := range keys {
		t := types[i].Val()
		switch {
		case t == "none":
			continue // deleted since SCAN saw it
		case values[i] == nil && (len(cfg.Types) > 0 && !slices.Contains(cfg.Types, ValueType(t))):
			continue
		case values[i] == nil:
			r.reject(k, "type", t, fmt.Errorf("key %q is a %s, which the source does not read (set types to skip it)", k, t))
			continue
		}
		if err := values[i].Err(); err != nil {
			if errors.Is(err, goredis.Nil) {
				continue // deleted between the two round trips
			}
			r.reject(k, "value", "", fmt.Errorf("key %q: %w", k, err))
			continue
		}
		if emptyCollection(values[i]) {
			continue // deleted between the two round trips: Redis keeps no empty collection
		}
		ttl := datasync.Null()
		if d := ttls[i].Val(); d >= 0 {
			ttl = datasync.Int(int64((d + 999_999_999) / 1_000_000_000)) // whole seconds, rounded up
		}
		r.rows(k, t, values[i], ttl)
	}
	return nil
}

// reject queues a dirty row for key.
func (r *reader) reject(key, column, value string, err error) {
	r.pending = append(r.pending, pendingRow{err: &datasync.RowError{Split: r.split, Row: -1, Column: column, Value: cmpOr(value, key), Err: err}})
}

// text makes s a value of the value column's kind, or reports that it is
// not UTF-8 (for String).
func (r *reader) text(s string) (datasync.Value, bool) {
	if r.s.cfg.Binary {
		return datasync.Bytes([]byte(s)), true
	}
	return datasync.String(s), utf8.ValidString(s)
}

// rows queues the rows of one key.
func (r *reader) rows(key, typ string, cmd goredis.Cmder, ttl datasync.Value) {
	k, t := datasync.String(key), datasync.String(typ)
	if !utf8.ValidString(key) {
		r.reject(key, "key", strconv.Quote(key), errors.New("the key is not UTF-8"))
		return
	}
	notUTF8 := func(what string) {
		r.reject(key, "value", "", fmt.Errorf("key %q: %s is not UTF-8 (set binary to read it as bytes)", key, what))
	}
	if r.s.cfg.Layout != LayoutElement {
		var v datasync.Value
		var ok bool
		if typ == string(TypeString) {
			v, ok = r.text(cmd.(*goredis.StringCmd).Val())
		} else {
			var j []byte
			j, ok = collectionJSON(cmd)
			if r.s.cfg.Binary {
				v = datasync.Bytes(j)
			} else {
				v = datasync.String(string(j))
			}
		}
		if !ok {
			notUTF8("the value")
			return
		}
		r.pending = append(r.pending, pendingRow{values: []datasync.Value{k, t, v, ttl}})
		return
	}
	add := func(field, value string, hasField bool) bool {
		f := datasync.Null()
		ok := true
		if hasField {
			f, ok = r.text(field)
		}
		v, vok := r.text(value)
		if !ok || !vok {
			notUTF8("an element")
			return false
		}
		r.pending = append(r.pending, pendingRow{values: []datasync.Value{k, t, f, v, ttl}})
		return true
	}
	switch c := cmd.(type) {
	case *goredis.StringCmd:
		add("", c.Val(), false)
	case *goredis.StringSliceCmd: // list (in order) or set
		members := c.Val()
		if typ == string(TypeSet) {
			slices.Sort(members)
		}
		for i, m := range members {
			field, hasField := "", false
			if typ == string(TypeList) {
				field, hasField = strconv.Itoa(i), true
			}
			if !add(field, m, hasField) {
				return
			}
		}
	case *goredis.ZSliceCmd:
		for _, z := range c.Val() {
			if !add(z.Member.(string), formatScore(z.Score), true) {
				return
			}
		}
	case *goredis.MapStringStringCmd:
		m := c.Val()
		for _, f := range slices.Sorted(maps.Keys(m)) {
			if !add(f, m[f], true) {
				return
			}
		}
	}
}

// formatScore writes a score as Redis does: the shortest text that reads
// back as the same float64.
func formatScore(f float64) string { return string(datasync.Float(f).AppendTo(nil)) }

// collectionJSON writes a list or set as a JSON array of strings (a set
// sorted), a sorted set as an array of {"member": m, "score": s} in score
// order, and a hash as an object (fields sorted). ok is false when an
// element is not UTF-8.
func collectionJSON(cmd goredis.Cmder) (out []byte, ok bool) {
	ok = true
	str := func(s string) {
		var valid bool
		out, valid = jsontext.AppendString(out, s)
		ok = ok && valid
	}
	switch c := cmd.(type) {
	case *goredis.StringSliceCmd:
		members := c.Val()
		if c.Name() == "smembers" {
			slices.Sort(members)
		}
		out = append(out, '[')
		for i, m := range members {
			if i > 0 {
				out = append(out, ',')
			}
			str(m)
		}
		out = append(out, ']')
	case *goredis.ZSliceCmd:
		out = append(out, '[')
		for i, z := range c.Val() {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, `{"member":`...)
			str(z.Member.(string))
			out = append(out, `,"score":`...)
			j, _ := datasync.Float(z.Score).MarshalJSON()
			out = append(out, j...)
			out = append(out, '}')
		}
		out = append(out, ']')
	case *goredis.MapStringStringCmd:
		m := c.Val()
		out = append(out, '{')
		for i, f := range slices.Sorted(maps.Keys(m)) {
			if i > 0 {
				out = append(out, ',')
			}
			str(f)
			out = append(out, ':')
			str(m[f])
		}
		out = append(out, '}')
	}
	return out, ok
}

// emptyCollection reports whether a collection read came back empty, which
// means the key was deleted after its TYPE was read.
func emptyCollection(cmd goredis.Cmder) bool {
	switch c := cmd.(type) {
	case *goredis.StringSliceCmd:
		return len(c.Val()) == 0
	case *goredis.ZSliceCmd:
		return len(c.Val()) == 0
	case *goredis.MapStringStringCmd:
		return len(c.Val()) == 0
	}
	return false
}
