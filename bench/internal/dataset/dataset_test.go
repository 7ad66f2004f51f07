package dataset

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/datasync-go/datasync"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rowsOf(g *Generator, from, to int64) []datasync.Record {
	var out []datasync.Record
	for i := from; i < to; i++ {
		r := make(datasync.Record, len(Schema()))
		g.Fill(i, r)
		out = append(out, r)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a := rowsOf(New(Spec{Rows: 500, Seed: 1}), 0, 500)
	b := rowsOf(New(Spec{Rows: 500, Seed: 1}), 0, 500)
	for i := range a {
		require.True(t, a[i].Equal(b[i]), "row %d", i)
	}
	c := rowsOf(New(Spec{Rows: 500, Seed: 2}), 0, 500)
	same := 0
	for i := range a {
		if a[i].Equal(c[i]) {
			same++
		}
	}
	assert.Zero(t, same, "another seed gives other rows")
	assert.NotEqual(t, Spec{Rows: 500, Seed: 1}.Fingerprint(), Spec{Rows: 500, Seed: 2}.Fingerprint())
	assert.NotEqual(t, Spec{Rows: 500, Seed: 1}.Fingerprint(), Spec{Rows: 501, Seed: 1}.Fingerprint())
}

// Row i does not depend on which rows were generated before, or by whom.
func TestRowIndependentOfOrder(t *testing.T) {
	g := New(Spec{Rows: 1000, Seed: 3})
	want := rowsOf(g, 0, 1000)
	got := make([]datasync.Record, 1000)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 999 - w; i >= 0; i -= 4 {
				r := make(datasync.Record, len(Schema()))
				g.Fill(int64(i), r)
				got[i] = r
			}
		})
	}
	wg.Wait()
	for i := range want {
		require.True(t, want[i].Equal(got[i]), "row %d", i)
	}
}

func TestColumnMix(t *testing.T) {
	const n = 20000
	g := New(Spec{Rows: n, Seed: 1})
	schema := Schema()
	nulls := make([]int, len(schema))
	var noteBytes int
	notes := 0
	r := make(datasync.Record, len(schema))
	for i := range int64(n) {
		g.Fill(i, r)
		require.Equal(t, datasync.Int(i+1), r[0], "the key is id = i+1, never NULL")
		for c, v := range r {
			if v.IsNull() {
				nulls[c]++
				continue
			}
			require.Equal(t, schema[c].Kind, v.Kind(), "column %s", schema[c].Name)
		}
		if s, err := r[3].AsString(); err == nil && !r[3].IsNull() {
			require.LessOrEqual(t, utf8.RuneCountInString(s), 64, "name fits varchar(64)")
		}
		if !r[4].IsNull() {
			s, _ := r[4].AsString()
			require.NotEmpty(t, s)
			require.NotEqual(t, "NULL", s)
			noteBytes += len(s)
			notes++
		}
		if !r[5].IsNull() {
			d, _ := r[5].AsDecimal()
			whole, frac, _ := strings.Cut(strings.TrimPrefix(d, "-"), ".")
			require.Len(t, frac, 4, "decimal(18,4) has four decimals: %s", d)
			require.LessOrEqual(t, len(whole), 14, "decimal(18,4) has at most 14 integer digits: %s", d)
		}
	}
	assert.Zero(t, nulls[0])
	for c := 1; c < len(schema); c++ {
		ratio := float64(nulls[c]) / n
		assert.InDelta(t, 0.10, ratio, 0.02, "NULLs in %s", schema[c].Name)
	}
	assert.InDelta(t, 100, float64(noteBytes)/float64(notes), 10, "notes are about 100 bytes")
}

func TestAppendText(t *testing.T) {
	r := datasync.Record{datasync.Int(1), datasync.Null(), datasync.String("a\tb\nc\\d\re"), datasync.Bool(true), datasync.Bool(false), datasync.String("")}
	assert.Equal(t, "1\t\\N\ta\\tb\\nc\\\\d\\re\t1\t0\t\n", string(AppendText(nil, r)))
}

func TestAppendCSV(t *testing.T) {
	r := datasync.Record{datasync.Int(1), datasync.Null(), datasync.String(""), datasync.String(`say "hi", then`), datasync.String("two\nlines"), datasync.String(`C:\x`), datasync.Bool(true)}
	assert.Equal(t, "1,,\"\",\"say \"\"hi\"\", then\",\"two\nlines\",C:\\x,true\n", string(AppendCSV(nil, r)))
	assert.Equal(t, "id,qty,big,name,note,amount,score,active,created,day\n", string(AppendCSVHeader(nil)))
}

func TestReaderStreamsEveryRow(t *testing.T) {
	g := New(Spec{Rows: 3000, Seed: 1})
	b, err := io.ReadAll(NewReader(g, []byte("header\n"), func(dst []byte, r datasync.Record) []byte {
		id, _ := r[0].AsInt()
		return fmt.Appendf(dst, "%d\n", id)
	}))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Len(t, lines, 3001)
	assert.Equal(t, "header", lines[0])
	assert.Equal(t, "1", lines[1])
	assert.Equal(t, "3000", lines[3000])
}

func TestSourceIsTheDataset(t *testing.T) {
	g := New(Spec{Rows: 10, Seed: 1})
	var n int64
	require.NoError(t, g.Each(func(i int64, r datasync.Record) error {
		assert.Equal(t, datasync.Int(i+1), r[0])
		n++
		return nil
	}))
	assert.Equal(t, int64(10), n)
	s, err := g.Source().Schema(t.Context())
	require.NoError(t, err)
	assert.Equal(t, Schema(), s)
}
