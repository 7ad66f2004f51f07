package texttest

import (
	"fmt"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// TenColumns is the benchmark table of the core's bench_test.go: the mix of
// types a business table has, with about 10% NULLs.
var TenColumns = datasync.Schema{
	{Name: "id", Kind: datasync.KindInt, Key: 1},
	{Name: "qty", Kind: datasync.KindInt, Nullable: true},
	{Name: "big", Kind: datasync.KindInt, Nullable: true},
	{Name: "name", Kind: datasync.KindString, Length: 64, Nullable: true},
	{Name: "note", Kind: datasync.KindString, Nullable: true},
	{Name: "amount", Kind: datasync.KindDecimal, Precision: 18, Scale: 4, Nullable: true},
	{Name: "score", Kind: datasync.KindFloat, Nullable: true},
	{Name: "active", Kind: datasync.KindBool, Nullable: true},
	{Name: "created", Kind: datasync.KindTimestamp, Precision: 6, Nullable: true},
	{Name: "day", Kind: datasync.KindDate, Nullable: true},
}

// TenColumnSource generates n rows of TenColumns without allocating, in
// the given number of splits.
func TenColumnSource(n int64, splits int) datasync.Source {
	const pool = 1024
	names := make([]datasync.Value, pool)
	notes := make([]datasync.Value, pool)
	amounts := make([]datasync.Value, pool)
	for i := range pool {
		names[i] = datasync.String(fmt.Sprintf("customer-%06d", i*7919%1000003))
		notes[i] = datasync.String(strings.Repeat(fmt.Sprintf("note %d; ", i), 20)[:100])
		amounts[i], _ = datasync.Decimal(fmt.Sprintf("%d.%04d", i*37, i%10000))
	}
	const base = 1704067200000000 // 2024-01-01 in microseconds
	return source.Generate(TenColumns, n, func(i int64, r datasync.Record) error {
		r[0] = datasync.Int(i)
		r[1] = datasync.Int(i % 1000)
		r[2] = datasync.Int(i * 1_000_003)
		r[3] = names[i%pool]
		r[4] = notes[(i*13)%pool]
		r[5] = amounts[(i*31)%pool]
		r[6] = datasync.Float(float64(i) / 7)
		r[7] = datasync.Bool(i%2 == 0)
		r[8] = datasync.TimestampValue(datasync.TimestampFromMicros(base+i*1_000_001, true))
		r[9] = datasync.DateValue(datasync.DateFromDays(19000 + i%2000))
		if k := i % 10; k != 0 {
			r[k] = datasync.Null() // about 10% NULLs, never the key
		}
		return nil
	}, source.Splits(splits))
}
