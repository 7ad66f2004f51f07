package datasync

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"time"
)

// The defaults of WithDirtyLog.
const (
	DefaultDirtyLogFirst = 5
	DefaultDirtyLogEvery = 10 * time.Second
)

// maxDirtyReasons bounds the distinct reasons counted; further ones are
// counted under "other reasons".
const maxDirtyReasons = 100

// WithDirtyLog sets how dirty records are logged (WithLogger): the first
// firstPerSplit of each split one Warn line each, with their reason, then
// none, but a summary line (Warn, "dirty records summary") at most every
// interval while new ones come, and once when the job ends: the count by
// reason and by split, and where the records went (the collector's
// DirtyDestination). The default is 5 per split and 10s. firstPerSplit 0
// logs summaries only; negative values and a non-positive interval are
// invalid. Whatever is logged, the collector receives every dirty record.
func WithDirtyLog(firstPerSplit int, interval time.Duration) Option {
	return optionFunc(func(c *config) error {
		if firstPerSplit < 0 || interval <= 0 {
			return invalid("WithDirtyLog", "firstPerSplit %d must not be negative and interval %v must be positive", firstPerSplit, interval)
		}
		c.ops.dirtyLogFirst, c.ops.dirtyLogEvery, c.ops.dirtyLogSet = firstPerSplit, interval, true
		return nil
	})
}

// DirtyDestination is an optional capability of a DirtyCollector: it says
// where the records go ("JSON lines in dirty.jsonl"), for logs and reports.
// The collectors of this package implement it.
type DirtyDestination interface {
	DirtyDestination() string
}

// describeDirtyDestination says where c sends dirty records.
func describeDirtyDestination(c DirtyCollector) string {
	switch c := c.(type) {
	case nil:
		return ""
	case DirtyDestination:
		return c.DirtyDestination()
	}
	return fmt.Sprintf("a collector of type %T", c)
}

// DirtyDestination says where the lines go: the file's name when the writer
// has a Name() string method (an *os.File).
func (c *jsonLinesCollector) DirtyDestination() string {
	if n, ok := c.w.(interface{ Name() string }); ok {
		return "JSON lines in " + n.Name()
	}
	return fmt.Sprintf("JSON lines to a %T", c.w)
}

// DirtyDestination names the sink, by its String method when it has one.
func (c *sinkCollector) DirtyDestination() string {
	if s, ok := c.sink.(fmt.Stringer); ok {
		return "the sink " + s.String()
	}
	return fmt.Sprintf("a sink of type %T", c.sink)
}

// DirtyDestination says the records go to a function.
func (f dirtyFunc) DirtyDestination() string { return "a DirtyFunc" }

var (
	quotedText = regexp.MustCompile(`"(?:[^"\\]|\\.)*"(?:\.\.\.\(\d+ bytes\))?|'(?:[^'\\]|\\.)*'`)
	numberText = regexp.MustCompile(`\b\d+(?:\.\d+)?\b`)
)

// ReasonKey returns the record's reason for counting: the stage, the column
// and the reason with quoted values replaced by "…" and numbers by N, so
// that rows failing the same way count together, as in
//
//	convert amount: cannot convert String "…" to Int: invalid syntax
func (d DirtyRecord) ReasonKey() string {
	reason := quotedText.ReplaceAllString(d.Reason(), `"…"`)
	reason = numberText.ReplaceAllString(reason, "N")
	if len(reason) > 200 {
		reason = reason[:200] + "…"
	}
	head := string(d.Stage)
	if d.Column != "" {
		head += " " + d.Column
	}
	return head + ": " + reason
}

// dirtyLog logs a job's dirty records: the first few of each split, then
// periodic summaries. Its methods are called with the dirtyAccount's lock
// held, so it needs none of its own.
type dirtyLog struct {
	logger      *slog.Logger
	first       int
	every       time.Duration
	destination string

	logged      map[string]int // lines logged, by split
	byReason    map[string]int64
	bySplit     map[string]int64
	total       int64
	unlogged    int64 // records counted but not logged one by one
	summarized  int64 // total at the last summary
	lastSummary time.Time
}

func newDirtyLog(cfg *config) *dirtyLog {
	first, every := DefaultDirtyLogFirst, DefaultDirtyLogEvery
	if cfg.ops.dirtyLogSet {
		first, every = cfg.ops.dirtyLogFirst, cfg.ops.dirtyLogEvery
	}
	return &dirtyLog{logger: cfg.logger, first: first, every: every,
		destination: describeDirtyDestination(cfg.dirty.Collector),
		logged:      map[string]int{}, byReason: map[string]int64{}, bySplit: map[string]int64{},
		lastSummary: time.Now()}
}

// record counts d and logs it if it is among the first of its split.
func (l *dirtyLog) record(ctx context.Context, d *DirtyRecord) {
	l.total++
	l.bySplit[d.Split]++
	key := d.ReasonKey()
	if _, ok := l.byReason[key]; !ok && len(l.byReason) >= maxDirtyReasons {
		key = "other reasons"
	}
	l.byReason[key]++
	n := l.logged[d.Split]
	if n >= l.first {
		l.unlogged++
		return
	}
	l.logged[d.Split] = n + 1
	attrs := []slog.Attr{slog.String("split", d.Split), slog.String("stage", string(d.Stage)),
		slog.Int64("row", d.Row), slog.String("column", d.Column), slog.String("reason", d.Reason())}
	if n+1 == l.first {
		attrs = append(attrs, slog.String("note", fmt.Sprintf("the first %d dirty records of this split are logged; "+
			"further ones are counted in periodic summaries", l.first)))
	}
	if l.destination != "" {
		attrs = append(attrs, slog.String("records_to", l.destination))
	}
	l.logger.LogAttrs(ctx, slog.LevelWarn, "dirty record", attrs...)
}

// maybeSummarize logs a summary when new records came since the last one
// and the interval has passed.
func (l *dirtyLog) maybeSummarize(ctx context.Context) {
	if l.total > l.summarized && l.unlogged > 0 && time.Since(l.lastSummary) >= l.every {
		l.summarize(ctx, false)
	}
}

// summarize logs the counts so far; final marks the one at the job's end.
func (l *dirtyLog) summarize(ctx context.Context, final bool) {
	l.summarized, l.lastSummary = l.total, time.Now()
	attrs := []slog.Attr{slog.Int64("dirty", l.total), slog.Int64("not_logged", l.unlogged),
		slog.Any("by_reason", countAttrs(l.byReason)), slog.Any("by_split", countAttrs(l.bySplit))}
	if l.destination != "" {
		attrs = append(attrs, slog.String("records_to", l.destination))
	}
	msg := "dirty records summary"
	if final {
		msg = "dirty records summary (final)"
	}
	l.logger.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
}

// finish logs the final summary when some records were not logged one by
// one (when all were, the lines already say everything).
func (l *dirtyLog) finish(ctx context.Context) {
	if l.unlogged > 0 {
		l.summarize(ctx, true)
	}
}

// reasons returns a copy of the counts by reason, nil when there are none.
func (l *dirtyLog) reasons() map[string]int64 {
	if len(l.byReason) == 0 {
		return nil
	}
	out := make(map[string]int64, len(l.byReason))
	for k, v := range l.byReason {
		out[k] = v
	}
	return out
}

// countAttrs returns counts as a group value, largest first, ties by name.
func countAttrs(m map[string]int64) slog.Value {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	attrs := make([]slog.Attr, len(keys))
	for i, k := range keys {
		attrs[i] = slog.Int64(k, m[k])
	}
	return slog.GroupValue(attrs...)
}
