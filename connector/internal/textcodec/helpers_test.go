package textcodec

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// memOpener serves a file from memory.
type memOpener []byte

func (m memOpener) OpenAt(_ context.Context, off int64) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(m[off:])), nil
}

// memOutputs keeps a writer's outputs in memory.
type memOutputs struct{ files []*bytes.Buffer }

func (m *memOutputs) Open(int) (io.Writer, error) {
	m.files = append(m.files, &bytes.Buffer{})
	return m.files[len(m.files)-1], nil
}

func (m *memOutputs) Close() error { return nil }

// allKinds is a schema with a column of every kind.
var allKinds = datasync.Schema{
	{Name: "id", Kind: datasync.KindInt},
	{Name: "s", Kind: datasync.KindString},
	{Name: "b", Kind: datasync.KindBytes},
	{Name: "f", Kind: datasync.KindFloat},
	{Name: "d", Kind: datasync.KindDecimal},
	{Name: "bo", Kind: datasync.KindBool},
	{Name: "da", Kind: datasync.KindDate},
	{Name: "t", Kind: datasync.KindTime},
	{Name: "ts", Kind: datasync.KindTimestamp},
	{Name: "j", Kind: datasync.KindJSON},
}

// hardStrings are strings that test quoting, escaping and encodings.
var hardStrings = []string{
	"", "plain", "comma,inside", `quote"inside`, "\"", "\"\"", "new\nline", "cr\r\nlf", "\r", "tab\tsep",
	`\N`, `\\N`, "NULL", "null", " padded ", `back\slash`, `\n literal`, `\`, "中文字符", "semi;colon|pipe",
	"trailing,", ",leading", "a\u0001b",
}

var emojiStrings = []string{"emoji 😀", "👍🏽 family 👨‍👩‍👧"}

// allKindRows returns n rows of allKinds: every column cycles through hard
// values and NULL.
func allKindRows(n int, emoji bool) []datasync.Record {
	strs := append([]string(nil), hardStrings...)
	if emoji {
		strs = append(strs, emojiStrings...)
	}
	floats := []float64{0, 0.1, -2.5e-300, 1e21, 123456.789, math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, math.MaxFloat64}
	decs := []string{"0", "123.4500", "-0.000001", "99999999999999999999999999999999.123456789", "NaN", "-7"}
	dates := []datasync.Date{datasync.DateOf(2024, 2, 29), datasync.DateOf(1, 1, 1), datasync.DateOf(9999, 12, 31), datasync.DateOf(1969, 12, 31), datasync.DateFromDays(math.MaxInt64)}
	times := []datasync.TimeOfDay{0, datasync.TimeOfDayOf(23, 59, 59, 999999), datasync.TimeOfDayOf(24, 0, 0, 0), datasync.TimeOfDayOf(838, 59, 59, 0), -datasync.TimeOfDayOf(1, 2, 3, 4)}
	stamps := []datasync.Timestamp{
		datasync.WallClockOf(time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)),
		datasync.InstantOf(time.Date(2024, 5, 6, 7, 8, 9, 1000, time.FixedZone("x", 8*3600))),
		datasync.TimestampFromMicros(0, true),
		datasync.TimestampFromMicros(-1, false),
		datasync.TimestampFromMicros(math.MinInt64, false),
	}
	jsons := []string{`{"a":[1,2,"x,y"],"b":"q\"uote"}`, `[1,"two",null]`, `"just a string"`, `12.5`, `true`}
	bytesVals := [][]byte{{}, {0, 1, 2, 255, '\n', ','}, []byte("text"), bytes.Repeat([]byte{0xAB}, 40)}
	rows := make([]datasync.Record, n)
	for i := range rows {
		r := datasync.Record{
			datasync.Int(int64(i)),
			datasync.String(strs[i%len(strs)]),
			datasync.Bytes(bytesVals[i%len(bytesVals)]),
			datasync.Float(floats[i%len(floats)]),
			must(datasync.Decimal(decs[i%len(decs)])),
			datasync.Bool(i%2 == 0),
			datasync.DateValue(dates[i%len(dates)]),
			datasync.TimeValue(times[i%len(times)]),
			datasync.TimestampValue(stamps[i%len(stamps)]),
			datasync.JSON(jsons[i%len(jsons)]),
		}
		// NULLs on a diagonal, and a whole NULL row (but the id).
		if i%7 == 3 {
			r[1+i%(len(r)-1)] = datasync.Null()
		}
		if i%11 == 5 {
			for j := 1; j < len(r); j++ {
				r[j] = datasync.Null()
			}
		}
		rows[i] = r
	}
	return rows
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// kindOf returns the kind named typ, "long" being an Int as in DataX; it
// panics on other names, a mistake in the test.
func kindOf(typ string) datasync.Kind {
	if typ == "long" {
		return datasync.KindInt
	}
	k, ok := datasync.ParseKind(typ)
	if !ok {
		panic("no kind " + typ)
	}
	return k
}

// colAt, colNamed and colConst are text.ColumnAt, ColumnNamed and
// ColumnConst with the kind given by name.
func colAt(i int, typ string) text.ColumnSpec { return text.ColumnAt(i, kindOf(typ)) }

func colNamed(name, typ string) text.ColumnSpec { return text.ColumnNamed(name, kindOf(typ)) }

func colConst(name, typ, value string) text.ColumnSpec {
	return text.ColumnConst(name, kindOf(typ), value)
}

// columnsFor returns the read columns for a schema: by index, or by name.
func columnsFor(s datasync.Schema, byName bool) []text.ColumnSpec {
	cols := make([]text.ColumnSpec, len(s))
	for i, c := range s {
		if byName {
			cols[i] = text.ColumnNamed(c.Name, c.Kind)
		} else {
			cols[i] = text.ColumnAt(i, c.Kind)
			cols[i].Name = c.Name
		}
	}
	return cols
}

// encodeAll writes rows with a stream writer and returns the outputs.
func encodeAll(t testing.TB, ws *WriteSpec, schema datasync.Schema, rows []datasync.Record, cfg StreamConfig) ([][]byte, error) {
	t.Helper()
	outs := &memOutputs{}
	cfg.Schema = schema
	w := ws.NewStreamWriter(outs, cfg)
	b := datasync.NewBatch(schema, 100, 1<<20)
	var rowErrs []*datasync.RowError
	flush := func() {
		if b.Len() == 0 {
			return
		}
		err := w.Write(b)
		var re *datasync.RowErrors
		if errors.As(err, &re) {
			rowErrs = append(rowErrs, re.Errors...)
		} else {
			require.NoError(t, err)
		}
		b.Reset()
	}
	for _, r := range rows {
		b.AppendRecord(r)
		if b.Full() {
			flush()
		}
	}
	flush()
	require.NoError(t, w.Close())
	var files [][]byte
	for _, f := range outs.files {
		files = append(files, f.Bytes())
	}
	if len(rowErrs) > 0 {
		return files, &datasync.RowErrors{Errors: rowErrs}
	}
	return files, nil
}

// decodeAll reads a file whole and returns its rows and dirty lines.
func decodeAll(t testing.TB, rs *ReadSpec, data []byte, sp SplitSpec) ([]datasync.Record, []*datasync.RowError) {
	t.Helper()
	schema, err := rs.Resolve(probeOf(t, rs, data))
	require.NoError(t, err)
	if sp.Name == "" {
		sp = SplitSpec{Name: "mem.txt", Size: int64(len(data))}
	}
	r, err := rs.OpenReader(context.Background(), memOpener(data), sp, nil, ReaderOptions{})
	require.NoError(t, err)
	defer r.Close()
	return readAll(t, r, schema)
}

func probeOf(t testing.TB, rs *ReadSpec, data []byte) *Probe {
	if !rs.NeedsProbe() {
		return nil
	}
	p, err := rs.ProbeStream(bytes.NewReader(data), "mem.txt")
	require.NoError(t, err)
	return p
}

func readAll(t testing.TB, r *Reader, schema datasync.Schema) ([]datasync.Record, []*datasync.RowError) {
	t.Helper()
	var rows []datasync.Record
	var dirty []*datasync.RowError
	b := datasync.NewBatch(schema, 37, 1<<20)
	for {
		b.Reset()
		err := r.Read(context.Background(), b)
		for i := range b.Len() {
			rows = append(rows, b.Row(i).Clone())
		}
		var re *datasync.RowErrors
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			return rows, dirty
		case errors.As(err, &re):
			dirty = append(dirty, re.Errors...)
		default:
			require.NoError(t, err)
		}
	}
}

// requireRowsEqual compares rows value by value, saying where they differ.
func requireRowsEqual(t testing.TB, want, got []datasync.Record) {
	t.Helper()
	require.Equal(t, len(want), len(got), "row count")
	for i := range want {
		for j := range want[i] {
			if !want[i][j].Equal(got[i][j]) {
				t.Fatalf("row %d column %d: want %s %s, got %s %s", i, j,
					want[i][j].Kind(), strconv.Quote(want[i][j].String()), got[i][j].Kind(), strconv.Quote(got[i][j].String()))
			}
		}
	}
}
