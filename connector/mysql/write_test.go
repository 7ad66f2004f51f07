package mysql_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/source"
)

// TestWriteChecks writes values of every kind into columns of every type,
// at and past their limits: each is stored exactly (as the expected text)
// or rejected with the expected reason, never changed. Both write paths.
func TestWriteChecks(t *testing.T) {
	dec := func(s string) ds.Value { v, err := ds.Decimal(s); require.NoError(t, err); return v }
	ts := func(s string) ds.Value {
		v, err := ds.ParseTimestamp(s)
		require.NoError(t, err)
		return ds.TimestampValue(v)
	}
	tod := func(s string) ds.Value {
		v, err := ds.ParseTimeOfDay(s)
		require.NoError(t, err)
		return ds.TimeValue(v)
	}
	wkbPoint := []byte{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40}
	wkbLine := []byte{1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40}
	type c struct {
		v    ds.Value
		want string // stored text (HEX for binary types), or "!reason"
	}
	cases := []struct {
		typ   string
		expr  string // how to show the stored value
		cases []c
	}{
		{"tinyint", "v", []c{{ds.Int(127), "127"}, {ds.Int(-128), "-128"}, {ds.Int(128), "!out of the range"}, {ds.Int(-129), "!out of the range"},
			{ds.String("12"), "12"}, {ds.Float(1.5), "!fractional"}, {dec("3.0"), "3"}, {ds.Bool(true), "1"}, {ds.String("x"), "!cannot convert"}}},
		{"tinyint unsigned", "v", []c{{ds.Int(255), "255"}, {ds.Int(-1), "!out of the range"}, {ds.Int(256), "!out of the range"}}},
		{"bigint unsigned", "v", []c{{dec("18446744073709551615"), "18446744073709551615"}, {dec("18446744073709551616"), "!out of the range"},
			{ds.Int(-1), "!negative"}, {ds.Int(math.MaxInt64), "9223372036854775807"}, {dec("1.5"), "!fractional"}}},
		{"decimal(5,2)", "v", []c{{dec("999.99"), "999.99"}, {dec("1000.00"), "!digits before the point"}, {dec("1.005"), "!(MySQL would round it)"},
			{dec("1.500"), "1.50"}, {ds.Float(0.1), "0.10"}, {ds.Int(12), "12.00"}, {ds.String("abc"), "!cannot convert"}, {dec("-0.01"), "-0.01"},
			{dec("NaN"), "!no NaN"}}},
		{"decimal(4,2) unsigned", "v", []c{{dec("-1"), "!negative"}, {dec("0"), "0.00"}}},
		{"float", "v + 0e0", []c{{ds.Float(3.5e38), "!out of the range of a FLOAT"}, {ds.Float(1e-50), "!out of the range of a FLOAT"},
			{ds.Float(0.5), "0.5"}, {ds.Float(math.NaN()), "!no NaN"}, {ds.Float(math.Inf(1)), "!no NaN"}}},
		{"double", "v", []c{{dec("0.1"), "0.1"}, {dec("0.10000000000000000001"), "!float64 cannot hold it exactly"}, {ds.Int(1 << 53), "9.007199254740992e15"},
			{ds.Int(1<<53 + 1), "!float64 cannot hold it exactly"}, {ds.Float(-0.0), "0"}}},
		{"year", "v", []c{{ds.Int(0), "0000"}, {ds.Int(1900), "!out of the range of YEAR"}, {ds.Int(2155), "2155"}, {ds.String("2024"), "2024"}}},
		{"date", "v", []c{{ts("2024-01-01 00:00:00"), "2024-01-01"}, {ts("2024-01-01 00:00:01"), "!has a time of day"},
			{ds.String("2024-13-01"), "!month 13"}, {ds.DateValue(ds.DateOf(10000, 1, 1)), "!out of the range of DATE"},
			{ds.DateValue(ds.DateFromDays(math.MaxInt64)), "!out of the range of DATE"}}},
		{"datetime", "v", []c{{ts("2024-01-01 10:00:00.5"), "!fractional-second digits"}, {ts("2024-01-01 10:00:00+08:00"), "2024-01-01 02:00:00"},
			{ds.DateValue(ds.DateOf(2024, 2, 29)), "2024-02-29 00:00:00"}}},
		{"datetime(6)", "v", []c{{ts("9999-12-31 23:59:59.999999"), "9999-12-31 23:59:59.999999"}}},
		{"timestamp(3) NULL", "v", []c{{ts("1970-01-01 00:00:00"), "!out of the range of TIMESTAMP"}, {ts("2038-01-19 03:14:08"), "!out of the range of TIMESTAMP"},
			{ts("2038-01-19 03:14:07.999"), "2038-01-19 03:14:07.999"}, {ts("2024-06-01 12:00:00.123-02:00"), "2024-06-01 14:00:00.123"},
			{ts("2024-06-01 12:00:00.1234"), "!fractional-second digits"}}},
		{"time", "v", []c{{tod("839:00:00"), "!out of the range of TIME"}, {tod("-838:59:59"), "-838:59:59"}, {tod("00:00:00.5"), "!fractional-second digits"},
			{ts("2024-01-01 10:00:00"), "!cannot convert"}}},
		{"enum('x','y')", "v", []c{{ds.String("x"), "x"}, {ds.String("X"), "!is not one of"}, {ds.String(""), "!is not one of"}}},
		{"set('a','b')", "v", []c{{ds.String("b,a"), "a,b"}, {ds.String("a,a"), "!twice"}, {ds.String("c"), "!not a member"}, {ds.String(""), ""}}},
		{"json", "v", []c{{ds.String("{"), "!not valid JSON"}, {ds.String(`{"a":1}`), `{"a":1}`}, {ds.Int(5), "5"}, {ds.JSON(`[true]`), "[true]"}}},
		{"varchar(3) CHARACTER SET latin1", "v", []c{{ds.String("€ab"), "€ab"}, {ds.String("日"), "!not in latin1"}, {ds.String("äbcd"), "!4 characters"}}},
		{"varchar(3) CHARACTER SET ascii", "v", []c{{ds.String("abc"), "abc"}, {ds.String("é"), "!ascii"}}},
		{"tinytext CHARACTER SET latin1", "LENGTH(v)", []c{{ds.String(repeat("é", 255)), "255"}, {ds.String(repeat("é", 256)), "!256 bytes"}}},
		{"varchar(10)", "v", []c{{ds.Int(-42), "-42"}, {ds.Float(0.25), "0.25"}, {ds.Bool(false), "false"}, {ds.DateValue(ds.DateOf(2024, 1, 2)), "2024-01-02"},
			{dec("1.50"), "1.50"}, {ds.Bytes([]byte{0xc3, 0xa9}), "é"}, {ds.Bytes([]byte{0xc3}), "!not valid UTF-8"}}},
		{"bit(3)", "v + 0", []c{{ds.Int(7), "7"}, {ds.Int(8), "!more than the 3 bits"}, {ds.Bytes([]byte{0x08}), "!more than the 3 bits"},
			{ds.Bool(true), "1"}, {ds.Bytes([]byte{0, 0, 5}), "5"}}},
		{"binary(3)", "HEX(v)", []c{{ds.Bytes([]byte("ab")), "616200"}, {ds.Bytes([]byte("abcd")), "!4 bytes"}, {ds.String("é"), "C3A900"}}},
		{"point", "HEX(ST_AsBinary(v))", []c{{ds.Bytes(wkbPoint), fmt.Sprintf("%X", wkbPoint)}, {ds.Bytes(wkbLine), "!cannot go into a point"},
			{ds.Bytes([]byte{1, 2, 3}), "!truncated"}, {ds.String("POINT(1 2)"), "!WKB or EWKB bytes only"}}},
		{"int NOT NULL", "v", []c{{ds.Null(), "!NULL cannot go into NOT NULL"}, {ds.Int(1), "1"}}},
		{"int NOT NULL AUTO_INCREMENT UNIQUE", "v > 0", []c{{ds.Null(), "1"}}},
	}
	for _, loadData := range []mysql.LoadData{mysql.LoadDataAuto, mysql.LoadDataOff} {
		t.Run("loadData="+string(loadData), func(t *testing.T) {
			e := newEnv(t)
			for n, tc := range cases {
				table := fmt.Sprintf("t%d", n)
				e.exec(fmt.Sprintf("CREATE TABLE %s (id int PRIMARY KEY, v %s)", table, tc.typ))
				schema := ds.Schema{{Name: "id", Kind: ds.KindInt}, {Name: "v", Kind: tc.cases[0].v.Kind()}}
				var recs []ds.Record
				for i, k := range tc.cases {
					recs = append(recs, ds.Record{ds.Int(int64(i)), k.v})
				}
				var dirty dirtyCollector
				run(t, source.FromRecords(schema, recs), e.sink(mysql.SinkConfig{Table: table, LoadData: loadData}), allowDirty(&dirty))
				reasons := map[int64]string{}
				for _, d := range dirty.recs {
					id, _ := d.Record[0].AsInt()
					reasons[id] = d.Err.Error()
				}
				for i, k := range tc.cases {
					if k.want != "" && k.want[0] == '!' {
						assert.Contains(t, reasons[int64(i)], k.want[1:], "%s: %v", tc.typ, k.v)
						assert.Zero(t, e.count(fmt.Sprintf("%s WHERE id = %d", table, i)), "%s: %v was written", tc.typ, k.v)
						continue
					}
					assert.Empty(t, reasons[int64(i)], "%s: %v", tc.typ, k.v)
					var got string
					err := e.db.QueryRow(fmt.Sprintf("SELECT CAST(%s AS CHAR) FROM %s WHERE id = %d", tc.expr, table, i)).Scan(&got)
					if assert.NoError(t, err, "%s: %v", tc.typ, k.v) {
						assert.Equal(t, k.want, got, "%s: %v", tc.typ, k.v)
					}
				}
			}
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}
