package datax_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
)

// FuzzStreamColumnSpec builds streamreader columns from DataX column specs
// (type and one of value, random "min,max", incr "start,step") and reads
// a few records: a spec is refused with a message naming the column, or
// generates values of its type within its range, without panicking.
// Seed corpora are under testdata/fuzz.
func FuzzStreamColumnSpec(f *testing.F) {
	for _, s := range [][3]string{
		{"long", "random", "1,100"}, {"long", "random", "-9e18,9e18"}, {"long", "random", "0,1e19"},
		{"long", "random", "NaN,NaN"}, {"double", "random", "-Inf,Inf"}, {"string", "random", "0,10"},
		{"string", "random", "5,1e15"}, {"bytes", "random", "-3,2"}, {"long", "incr", "1,1"}, {"double", "incr", "0.5,-0.25"},
		{"long", "incr", "1e30,1"}, {"long", "value", `"12"`}, {"date", "value", `"2024-02-29 10:00:00"`},
		{"json", "value", `{"a":[1]}`}, {"bool", "random", "0,1"}, {"decimal", "value", "1.50"}, {"long", "random", "1.5,2.5"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, typ, which, spec string) {
		c := dataxColumn{Type: typ}
		switch which {
		case "random":
			c.Random = spec
		case "incr":
			c.Incr = spec
		default:
			if !json.Valid([]byte(spec)) {
				return
			}
			c.Value = json.RawMessage(spec)
		}
		src, err := streamReader(c, 5)
		if err != nil {
			if !strings.Contains(err.Error(), "column[0]") {
				t.Fatalf("%+v: error %q names no column", c, err)
			}
			return
		}
		if _, hi, _ := strings.Cut(c.Random, ","); strings.Contains("string bytes", strings.ToLower(typ)) {
			if n, err := strconv.ParseFloat(strings.TrimSpace(hi), 64); err == nil && n > 1e5 {
				return // long strings: too slow to make here
			}
		}
		schema, _ := src.Schema(context.Background())
		splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
		if err != nil {
			t.Fatal(err)
		}
		r, err := src.Open(context.Background(), splits[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		b := datasync.NewBatch(schema, 10, 1<<20)
		if err := r.Read(context.Background(), b); !errors.Is(err, io.EOF) {
			t.Fatalf("%+v: read: %v", c, err)
		}
		if b.Len() != 5 {
			t.Fatalf("%+v: %d records, want 5", c, b.Len())
		}
		for i := range b.Len() {
			v := b.Row(i)[0]
			if !v.IsNull() && v.Kind() != schema[0].Kind {
				t.Fatalf("%+v: a %s value in a %s column", c, v.Kind(), schema[0].Kind)
			}
			if c.Random != "" {
				checkInRange(t, c, v)
			}
		}
	})
}

// checkInRange checks that a random value is within its spec's bounds:
// the number for numbers, the length for strings.
func checkInRange(t *testing.T, c dataxColumn, v datasync.Value) {
	t.Helper()
	a, b, _ := strings.Cut(c.Random, ",")
	lo, _ := strconv.ParseFloat(strings.TrimSpace(a), 64)
	hi, _ := strconv.ParseFloat(strings.TrimSpace(b), 64)
	var x float64
	switch v.Kind() {
	case datasync.KindInt:
		n, _ := v.AsInt()
		x = float64(n)
	case datasync.KindFloat:
		x, _ = v.AsFloat()
	case datasync.KindString, datasync.KindBytes:
		x = float64(len(v.Raw()))
		lo = math.Max(lo, 0)
	default:
		return
	}
	if x < math.Floor(lo) || x > hi || math.IsNaN(x) {
		t.Fatalf("%+v: %v is outside [%v, %v]", c, v, lo, hi)
	}
}

// TestRandomAndIncrSpecsOutOfRange builds columns whose ranges do not fit
// their type: random longs over more than 2^63 panicked when read
// (rand.Int64N of a wrapped width), NaN and infinite bounds did likewise
// or produced NaN, string lengths of 1e15 exhausted memory, and an incr
// start beyond a long wrapped silently. Each is refused when built; the
// widest valid ranges work.
func TestRandomAndIncrSpecsOutOfRange(t *testing.T) {
	for _, c := range []dataxColumn{
		{Type: "long", Random: "0,1e19"}, {Type: "long", Random: "-1e19,0"}, {Type: "long", Random: "NaN,1"},
		{Type: "double", Random: "-Inf,Inf"}, {Type: "double", Random: "-1.7e308,1.7e308"}, {Type: "string", Random: "5,1e15"},
		{Type: "long", Incr: "1e30,1"}, {Type: "long", Incr: "0,Inf"}, {Type: "long", Random: "1.2,1.8"},
	} {
		if _, err := streamReader(c, 1); err == nil {
			t.Errorf("%+v: accepted", c)
		}
	}
	for _, c := range []dataxColumn{
		{Type: "long", Random: "-9223372036854775808,9223372036854775807"}, {Type: "long", Random: "-9e18,9e18"},
		{Type: "long", Random: "7,7"}, {Type: "long", Random: "1.5,2.5"}, {Type: "double", Random: "-8e307,8e307"},
	} {
		src, err := streamReader(c, 50)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		schema, _ := src.Schema(context.Background())
		splits, _ := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 1})
		r, err := src.Open(context.Background(), splits[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		b := datasync.NewBatch(schema, 64, 1<<20)
		if err := r.Read(context.Background(), b); !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		for i := range b.Len() {
			checkInRange(t, c, b.Row(i)[0])
			if c.Random == "1.5,2.5" {
				if n, _ := b.Row(i)[0].AsInt(); n != 2 {
					t.Errorf("%+v: %d", c, n)
				}
			}
		}
	}
}

// dataxColumn is one column of DataX's streamreader, as a job file gives it.
type dataxColumn struct {
	Type   string
	Random string // "min,max"
	Incr   string // "start,step"
	Value  json.RawMessage
}

// streamReader builds DataX's streamreader of one column c, through the
// job-file translation, with count records per split.
func streamReader(c dataxColumn, count int) (datasync.Source, error) {
	col := map[string]any{"type": c.Type}
	switch {
	case c.Random != "":
		col["random"] = c.Random
	case c.Incr != "":
		col["incr"] = c.Incr
	case c.Value != nil:
		col["value"] = c.Value
	}
	raw, err := json.Marshal(map[string]any{"column": []any{col}, "sliceRecordCount": count})
	if err != nil {
		return nil, err
	}
	conn, _ := job.DefaultRegistry.Lookup("streamreader")
	params, err := conn.Source.Decode(raw)
	if err != nil {
		return nil, err
	}
	return conn.Source.Build(params)
}
