package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/encoded"
)

// TestCopyPages copies tables PG -> PG with pass-through, pages read with
// COPY and, for comparison, with queries: both give the source's rows,
// each once, and COPY serves exactly the tables it is meant for (a unique
// key of integer columns that are read); the others page with queries.
func TestCopyPages(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	tables := []struct {
		name, ddl, fill string
		cfg             SourceConfig
		copyPages       bool
	}{
		{"int8", `(id bigint PRIMARY KEY, v text, n numeric, d timestamptz)`,
			`SELECT i * 7 - 3000, CASE WHEN i % 5 = 0 THEN NULL ELSE md5(i::text) || E'\n,"\\' END, i / 7.0, now() FROM generate_series(1, 2500) i`,
			SourceConfig{}, true},
		{"int2", `(id smallint PRIMARY KEY, v text)`, `SELECT i - 600, 'x' FROM generate_series(1, 1200) i`, SourceConfig{}, true},
		{"composite", `(a int, b bigint, v text, PRIMARY KEY (a, b))`,
			`SELECT i % 13, i, repeat('y', i % 50) FROM generate_series(1, 2000) i`, SourceConfig{}, true},
		{"filtered", `(id int PRIMARY KEY, v int)`, `SELECT i, i % 3 FROM generate_series(1, 2000) i`,
			SourceConfig{Where: "v <> 1"}, true},
		{"unique nullable", `(id int UNIQUE, v text)`, `SELECT CASE WHEN i % 10 = 0 THEN NULL ELSE i END, 'z' FROM generate_series(1, 1500) i`,
			SourceConfig{}, false}, // tableoid and ctid are read for the NULL keys' split
		{"text key", `(id text PRIMARY KEY, v int)`, `SELECT md5(i::text), i FROM generate_series(1, 800) i`, SourceConfig{}, false},
		{"key not read", `(id int PRIMARY KEY, v int)`, `SELECT i, i FROM generate_series(1, 800) i`, SourceConfig{Column: []string{"v"}}, false},
		{"not unique", `(g int, v int)`, `SELECT i % 7, i FROM generate_series(1, 800) i`, SourceConfig{SplitPK: "g"}, false},
	}
	for i, tc := range tables {
		name := fmt.Sprintf("t%d", i)
		src.exec(`CREATE TABLE `+name+` `+tc.ddl, `INSERT INTO `+name+` `+tc.fill, `ANALYZE `+name)
		ddl := tc.ddl
		if len(tc.cfg.Column) > 0 {
			ddl = `(id int, v int)`
		}
		dst.exec(`CREATE TABLE ` + name + ` ` + ddl)
	}
	for i, tc := range tables {
		name := fmt.Sprintf("t%d", i)
		t.Run(tc.name, func(t *testing.T) {
			want := src.rows(`SELECT t::text FROM ` + name + ` t WHERE ` + cmp(tc.cfg.Where, "true") + ` ORDER BY 1`)
			for _, disable := range []bool{false, true} {
				disableCopyPages = disable
				t.Cleanup(func() { disableCopyPages = false })
				dst.exec(`TRUNCATE ` + name)
				cfg := tc.cfg
				cfg.DSN, cfg.Table = src.dsn, name
				s := newSource(t, cfg)
				k := newSink(t, SinkConfig{DSN: dst.dsn, Table: name, Column: cfg.Column})
				res, err := run(t, s, k, datasync.WithParallelism(2), datasync.WithBatchSize(300, 1<<20))
				require.NoError(t, err)
				assert.Equal(t, int64(len(want)), res.RecordsWritten)
				assert.Equal(t, int64(len(want)), k.passedThrough.Load(), "every row passed through")
				if len(cfg.Column) == 0 {
					assert.Equal(t, want, dst.rows(`SELECT t::text FROM `+name+` t ORDER BY 1`))
				} else {
					assert.Equal(t, src.rows(`SELECT v::text FROM `+name+` WHERE id IS NOT NULL ORDER BY 1`), dst.rows(`SELECT v::text FROM `+name+` ORDER BY 1`))
				}
				if tc.copyPages && !disable {
					assert.Positive(t, s.copyPages.Load(), "pages read with COPY")
				} else {
					assert.Zero(t, s.copyPages.Load(), "pages read with queries")
				}
			}
		})
	}
}

func cmp(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// TestCopyPagesFromCheckpoint opens a split at a checkpoint: its COPY
// pages start after the checkpoint's key, within the split's bounds.
func TestCopyPagesFromCheckpoint(t *testing.T) {
	src := newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`, `INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1, 3000) i`, `ANALYZE t`)
	s := newSource(t, SourceConfig{DSN: src.dsn, Table: "t", Where: "v <> ''"})
	ctx := context.Background()
	splits, err := s.Plan(ctx, datasync.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	require.Greater(t, len(splits), 2)
	sp := splits[1]
	cp, _ := json.Marshal(position{Last: [][]byte{{0, 0, 0x05, 0xdc}}}) // 1500
	rd, err := s.Open(ctx, sp, cp)
	require.NoError(t, err)
	defer rd.Close()
	r := rd.(*reader)
	require.True(t, r.copyPages())
	sql, err := r.copyPageSQL(70)
	require.NoError(t, err)
	assert.Contains(t, sql, `WHERE (v <> '') AND "id" > 1500::integer AND "id" <= `)
	assert.Regexp(t, `^COPY \(SELECT "id", "v" FROM .* ORDER BY "id" LIMIT 70\) TO STDOUT \(FORMAT binary\)$`, sql)

	r.hasLast = false
	sql, err = r.copyPageSQL(5)
	require.NoError(t, err)
	assert.Contains(t, sql, `"id" > `, "the split's lower bound")
	assert.NotContains(t, sql, "1500")
	for _, v := range [][]byte{{0x80, 0}, {0xff, 0xff, 0xff, 0xfe}, {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} {
		lit, err := intLiteral(v)
		require.NoError(t, err)
		assert.Contains(t, []string{"-32768", "-2", "9223372036854775807"}, lit)
	}
	_, err = intLiteral([]byte{1, 2, 3})
	assert.Error(t, err)
}

// TestTupleStreamChunks feeds a real binary COPY stream to tupleStream cut
// at every byte, and in one piece: the rows appended are the same.
func TestTupleStreamChunks(t *testing.T) {
	src := newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text, n numeric)`,
		`INSERT INTO t SELECT i, CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('a', i) END, i * 1.5 FROM generate_series(1, 12) i`)
	s := newSource(t, SourceConfig{DSN: src.dsn, Table: "t"})
	ctx := context.Background()
	m, err := s.metadata(ctx)
	require.NoError(t, err)
	conn, err := s.conns.acquire(ctx)
	require.NoError(t, err)
	var stream bytes.Buffer
	_, err = conn.Conn().PgConn().CopyTo(ctx, &stream, "COPY ("+m.query+" ORDER BY id) TO STDOUT (FORMAT binary)")
	conn.Release()
	require.NoError(t, err)

	read := func(chunks ...[]byte) ([][]byte, *reader, *tupleStream) {
		r := &reader{s: s, m: m, keyAt: []int{0}}
		ts := &tupleStream{}
		rows := throughPipeline(t, m.encoding, func(b *datasync.Batch) {
			ts.reset(r, b)
			for _, c := range chunks {
				n, err := ts.Write(c)
				require.NoError(t, err)
				require.Equal(t, len(c), n)
			}
		})
		return rows, r, ts
	}
	all := stream.Bytes()
	whole, r, ts := read(all)
	require.NoError(t, ts.err)
	require.True(t, ts.ended)
	require.Len(t, whole, 12)
	assert.Equal(t, int64(12), ts.got)
	assert.Equal(t, []byte{0, 0, 0, 12}, r.last[0], "the last key kept")
	for cut := 1; cut < len(all); cut++ {
		rows, _, ts := read(all[:cut], all[cut:])
		require.NoError(t, ts.err, "cut at %d", cut)
		require.True(t, ts.ended && len(ts.carry) == 0, "cut at %d", cut)
		require.Equal(t, whole, rows, "cut at %d", cut)
	}
	bytewise := make([][]byte, len(all))
	for i := range all {
		bytewise[i] = all[i : i+1]
	}
	rows, _, _ := read(bytewise...)
	assert.Equal(t, whole, rows, "one byte at a time")

	_, _, ts = read([]byte("NOTACOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	assert.ErrorContains(t, ts.err, "signature")
	bad := slices.Clone(all)
	bad[19+1] = 5 // the first tuple's field count
	_, _, ts = read(bad)
	assert.ErrorContains(t, ts.err, "5 fields, want 3")
}

// throughPipeline runs a one-batch pipeline whose writer accepts encoding:
// fill appends rows to the batch the pipeline offers it; the encoded rows
// the writer got are returned.
func throughPipeline(t *testing.T, encoding string, fill func(b *datasync.Batch)) [][]byte {
	sink := &collectSink{encoding: encoding}
	p, err := datasync.NewPipeline(&fillSource{fill: fill}, sink, datasync.WithParallelism(1), datasync.WithBatchSize(1000, 1<<24))
	require.NoError(t, err)
	_, err = p.Run(context.Background())
	require.NoError(t, err)
	return sink.rows
}

type fillSource struct{ fill func(b *datasync.Batch) }

func (s *fillSource) Schema(context.Context) (datasync.Schema, error) {
	return datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}, {Name: "n", Kind: datasync.KindDecimal}}, nil
}
func (s *fillSource) Plan(context.Context, datasync.PlanHint) ([]datasync.Split, error) {
	return []datasync.Split{{ID: "fill"}}, nil
}
func (s *fillSource) Open(context.Context, datasync.Split, datasync.Checkpoint) (datasync.Reader, error) {
	return &fillReader{s: s}, nil
}

type fillReader struct{ s *fillSource }

func (r *fillReader) Read(_ context.Context, b *datasync.Batch) error {
	r.s.fill(b)
	return io.EOF
}
func (r *fillReader) Checkpoint() datasync.Checkpoint { return nil }
func (r *fillReader) Close() error                    { return nil }

type collectSink struct {
	encoding string
	rows     [][]byte
}

func (s *collectSink) Prepare(context.Context, datasync.Schema) error { return nil }
func (s *collectSink) Open(context.Context, datasync.Split) (datasync.Writer, error) {
	return &collectWriter{s: s}, nil
}

type collectWriter struct{ s *collectSink }

func (w *collectWriter) AcceptedEncoding() string { return w.s.encoding }
func (w *collectWriter) Write(_ context.Context, b *datasync.Batch) error {
	if b.Len() > 0 && encoded.Of(b) != w.s.encoding {
		return fmt.Errorf("rows as values, not encoded")
	}
	for i := range b.Len() {
		w.s.rows = append(w.s.rows, slices.Clone(encoded.Row(b, i)))
	}
	return nil
}
func (w *collectWriter) Flush(context.Context) error { return nil }
func (w *collectWriter) Close() error                { return nil }
