package textcodec

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

func compileRead(t testing.TB, o text.ReadOptions) *ReadSpec {
	t.Helper()
	rs, err := CompileRead(o)
	require.NoError(t, err)
	return rs
}

var idNameAmountDay = []text.ColumnSpec{colAt(0, "long"), colAt(1, "string"), colAt(2, "decimal"), colAt(3, "date")}

func TestDirtyLinesNameTheFileLineColumnAndText(t *testing.T) {
	data := "id,name,amount,day\n" +
		"1,ann,1.50,2024-01-01\n" +
		"2,\"multi\nline\",2.00,2024-01-02\n" + // lines 3-4
		"3,bob,1.00\n" + // line 5: wrong field count
		"x4,carl,3.00,2024-01-04\n" + // line 6: bad number
		"5,dan,4.00,2024-02-30\n" + // line 7: bad date
		"6,eve,abc,2024-01-06\n" + // line 8: bad decimal
		"7,\"unterminated,5.00,2024-01-07\n" // line 9: to the end
	rs := compileRead(t, text.ReadOptions{SkipHeader: true, Column: idNameAmountDay})
	rows, dirty := decodeAll(t, rs, []byte(data), SplitSpec{Name: "orders.csv"})
	require.Len(t, rows, 2)
	assert.Equal(t, "multi\nline", rows[1][1].String())
	require.Len(t, dirty, 5)

	want := []struct {
		line   int64
		column string
		value  string
		reason string
	}{
		{5, "", "3,bob,1.00", "has 3 fields, want 4"},
		{6, "id", "x4", "Int"},
		{7, "day", "2024-02-30", "day 30 out of range"},
		{8, "amount", "abc", "Decimal"},
		{9, "", "7,\"unterminated,5.00,2024-01-07", "unterminated quoted field"},
	}
	for i, w := range want {
		d := dirty[i]
		assert.Equal(t, w.line, d.Row, "dirty %d", i)
		assert.Equal(t, w.column, d.Column, "dirty %d", i)
		assert.Equal(t, w.value, d.Value, "dirty %d", i)
		assert.Contains(t, d.Error(), w.reason, "dirty %d", i)
		assert.Contains(t, d.Error(), fmt.Sprintf("orders.csv:%d:", w.line), "dirty %d", i)
		var le *text.LineError
		require.ErrorAs(t, d, &le)
		assert.Equal(t, "orders.csv", le.Name)
	}
	var conv *datasync.ConversionError
	assert.ErrorAs(t, dirty[1], &conv)
}

func TestBadEncodingIsDirty(t *testing.T) {
	// GBK: 0xFF is never valid.
	gbk := []byte("1,\xd6\xd0\xce\xc4\n2,bad\xff\n3,ok\n")
	rs := compileRead(t, text.ReadOptions{Format: text.Format{Encoding: "GBK"}, Column: []text.ColumnSpec{colAt(0, "int"), colAt(1, "string")}})
	rows, dirty := decodeAll(t, rs, gbk, SplitSpec{Name: "gbk.csv"})
	require.Len(t, rows, 2)
	assert.Equal(t, "中文", rows[0][1].String())
	require.Len(t, dirty, 1)
	assert.Equal(t, int64(2), dirty[0].Row)
	assert.Contains(t, dirty[0].Error(), "invalid byte sequence")

	// UTF-8: a String field must be valid.
	rs = compileRead(t, text.ReadOptions{Column: []text.ColumnSpec{colAt(0, "int"), colAt(1, "string")}})
	rows, dirty = decodeAll(t, rs, []byte("1,fine\n2,bad\xc3\x28\n"), SplitSpec{Name: "u.csv"})
	require.Len(t, rows, 1)
	require.Len(t, dirty, 1)
	assert.Equal(t, "col1", dirty[0].Column)
	assert.Contains(t, dirty[0].Error(), "UTF-8")
}

func TestNullFormatEmpty(t *testing.T) {
	empty := ""
	f := text.Format{NullText: &empty}
	ws, err := CompileWrite(text.WriteOptions{Format: f})
	require.NoError(t, err)
	schema := datasync.Schema{{Name: "a", Kind: datasync.KindString}, {Name: "b", Kind: datasync.KindString}}
	rows := []datasync.Record{
		{datasync.String(""), datasync.Null()},
		{datasync.Null(), datasync.String("")},
		{datasync.String(`\N`), datasync.String("x")},
	}
	files, err := encodeAll(t, ws, schema, rows, StreamConfig{})
	require.NoError(t, err)
	assert.Equal(t, "\"\",\n,\"\"\n\\N,x\n", string(files[0]))
	rs := compileRead(t, text.ReadOptions{Format: f, Column: columnsFor(schema, false)})
	got, dirty := decodeAll(t, rs, files[0], SplitSpec{})
	require.Empty(t, dirty)
	requireRowsEqual(t, rows, got)
}

func TestTextWithoutEscapeRejectsWhatItCannotHold(t *testing.T) {
	none := ""
	ws, err := CompileWrite(text.WriteOptions{Format: text.Format{FileFormat: "text", Escape: &none}})
	require.NoError(t, err)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "s", Kind: datasync.KindString}}
	rows := []datasync.Record{
		{datasync.Int(1), datasync.String("ok")},
		{datasync.Int(2), datasync.String("a,b")},
		{datasync.Int(3), datasync.String(`\N`)},
		{datasync.Int(4), datasync.String("two\nlines")},
		{datasync.Int(5), datasync.String(`C:\dir`)},
	}
	files, err := encodeAll(t, ws, schema, rows, StreamConfig{})
	var re *datasync.RowErrors
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Errors, 3)
	for i, row := range []int64{1, 2, 3} {
		assert.Equal(t, row, re.Errors[i].Row)
		assert.Equal(t, "s", re.Errors[i].Column)
	}
	assert.Equal(t, "1,ok\n5,C:\\dir\n", string(files[0]))
}

func TestUnencodableCharacterIsADirtyRow(t *testing.T) {
	ws, err := CompileWrite(text.WriteOptions{Format: text.Format{Encoding: "GBK"}})
	require.NoError(t, err)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "s", Kind: datasync.KindString}}
	rows := []datasync.Record{{datasync.Int(1), datasync.String("中文")}, {datasync.Int(2), datasync.String("emoji 😀")}}
	files, err := encodeAll(t, ws, schema, rows, StreamConfig{})
	var re *datasync.RowErrors
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Errors, 1)
	assert.Equal(t, int64(1), re.Errors[0].Row)
	assert.Equal(t, "s", re.Errors[0].Column)
	assert.Contains(t, re.Errors[0].Error(), "gbk cannot encode")
	assert.Equal(t, []byte("1,\xd6\xd0\xce\xc4\n"), files[0])
}

func TestBOMCRLFAndBlankLines(t *testing.T) {
	data := "\xEF\xBB\xBFid,name\r\n1,a\r\n\r\n2,\"b\r\nc\"\r\n\n3,\r\n"
	rs := compileRead(t, text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{colNamed("id", "int"), colNamed("name", "string")}})
	rows, dirty := decodeAll(t, rs, []byte(data), SplitSpec{})
	require.Empty(t, dirty)
	require.Len(t, rows, 3)
	assert.Equal(t, "a", rows[0][1].String())
	assert.Equal(t, "b\r\nc", rows[1][1].String())
	assert.Equal(t, datasync.String(""), rows[2][1])

	// A single column keeps its blank lines: they are empty strings.
	rs = compileRead(t, text.ReadOptions{Column: []text.ColumnSpec{colAt(0, "string")}})
	rows, dirty = decodeAll(t, rs, []byte("a\n\n\\N\nb\n"), SplitSpec{})
	require.Empty(t, dirty)
	require.Len(t, rows, 4)
	assert.Equal(t, datasync.String(""), rows[1][0])
	assert.True(t, rows[2][0].IsNull())
}

func TestStarColumnsAndHeaderNames(t *testing.T) {
	rs := compileRead(t, text.ReadOptions{SkipHeader: true})
	rows, dirty := decodeAll(t, rs, []byte("x,y\n1,2\n3,4\n"), SplitSpec{})
	require.Empty(t, dirty)
	schema, _ := rs.Resolve(nil)
	assert.Equal(t, []string{"x", "y"}, schema.Names())
	require.Len(t, rows, 2)
	assert.Equal(t, datasync.String("4"), rows[1][1])

	rs = compileRead(t, text.ReadOptions{Column: []text.ColumnSpec{{Name: "*"}}})
	_, _ = decodeAll(t, rs, []byte("1,2,3\n"), SplitSpec{})
	schema, _ = rs.Resolve(nil)
	assert.Equal(t, []string{"col0", "col1", "col2"}, schema.Names())

	// By name: each file's own header order.
	rs = compileRead(t, text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{colNamed("b", "int"), colNamed("a", "string"), colConst("src", "string", "f1")}})
	rows, dirty = decodeAll(t, rs, []byte("a,b\nx,1\n"), SplitSpec{})
	require.Empty(t, dirty)
	assert.Equal(t, datasync.Record{datasync.Int(1), datasync.String("x"), datasync.String("f1")}, rows[0])
	rows, _ = decodeAll(t, rs, []byte("B,A\n2,y\n"), SplitSpec{})
	assert.Equal(t, datasync.Record{datasync.Int(2), datasync.String("y"), datasync.String("f1")}, rows[0])

	// A header without the column fails the split, naming both.
	r, err := rs.OpenReader(context.Background(), memOpener("a,c\nx,1\n"), SplitSpec{Name: "f.csv"}, nil, ReaderOptions{})
	require.NoError(t, err)
	err = r.Read(context.Background(), datasync.NewBatch(nil, 10, 100))
	var fe *text.FileError
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, err.Error(), `f.csv: the header has no column "b" (it has "a", "c")`)
	assert.False(t, datasync.IsRetryable(err))
}

func TestColumnConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		opts text.ReadOptions
		want string
	}{
		{text.ReadOptions{Column: []text.ColumnSpec{colNamed("a", "int")}}, "needs a header line"},
		{text.ReadOptions{Column: []text.ColumnSpec{{Index: new(int), Type: datasync.Kind(99)}}}, `type Kind(99) is not a kind`},
		{text.ReadOptions{Column: []text.ColumnSpec{{Index: new(int), Type: kindOf("date"), Format: "yyyy-ww"}}}, "week-based letter 'w' is not supported"},
		{text.ReadOptions{Column: []text.ColumnSpec{{Index: new(int), Type: kindOf("date"), Format: "dd MMM yyyy q"}}}, "'q' is not a pattern letter"},
		{text.ReadOptions{Column: []text.ColumnSpec{{Index: new(int), Type: kindOf("int"), Format: "yyyy"}}}, "format is for date"},
		{text.ReadOptions{Column: []text.ColumnSpec{colConst("c", "int", "abc")}}, `value "abc"`},
		{text.ReadOptions{Column: []text.ColumnSpec{{Name: "*"}, colAt(0, "int")}}, `"*" must be the only column`},
		{text.ReadOptions{Format: text.Format{FileFormat: "xml"}}, `fileFormat "xml"`},
		{text.ReadOptions{Format: text.Format{Encoding: "utf-16le"}}, "ASCII-compatible"},
		{text.ReadOptions{Format: text.Format{Encoding: "klingon"}}, `encoding "klingon" is not known`},
		{text.ReadOptions{Format: text.Format{Compression: "lzo"}}, `compress "lzo"`},
		{text.ReadOptions{Format: text.Format{FieldDelimiter: "\\q"}}, "invalid backslash escape"},
	} {
		_, err := CompileRead(tc.opts)
		require.Error(t, err, "%+v", tc.opts)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := CompileWrite(text.WriteOptions{Format: text.Format{Compression: "bzip2"}})
	assert.ErrorContains(t, err, "bzip2 is read only")
}

func TestLayouts(t *testing.T) {
	col := func(typ, format string) *column {
		c, err := (&ReadSpec{}).compileColumn(0, text.ColumnSpec{Index: new(int), Type: kindOf(typ), Format: format})
		require.NoError(t, err)
		return &c
	}
	b := datasync.NewBatch(nil, 1, 1)
	var p fieldParser
	for _, tc := range []struct {
		typ, format, text, want string
	}{
		{"date", "yyyy.MM.dd", "2014.12.31", "2014-12-31"},
		{"date", "yyyyMMdd", "20240229", "2024-02-29"},
		{"date", "d/M/yyyy", "5/3/2024", "2024-03-05"},
		{"date", "yyyy-MM-dd HH:mm:ss", "2024-01-02 03:04:05", "2024-01-02 03:04:05"}, // DataX date with a time: a timestamp
		{"timestamp", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-01-02T03:04:05.120+08:00", "2024-01-01 19:04:05.12Z"},
		{"timestamp", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-01-02T03:04:05.120Z", "2024-01-02 03:04:05.12Z"},
		{"timestamp", "yyyy-MM-dd hh:mm:ss a", "2024-01-02 12:04:05 AM", "2024-01-02 00:04:05"},
		{"timestamp", "yyyy-MM-dd hh:mm:ss a", "2024-01-02 03:04:05 PM", "2024-01-02 15:04:05"},
		{"timestamp", "dd-MMM-yy HH:mm Z", "02-Jan-24 03:04 -0130", "2024-01-02 04:34:00Z"},
		{"timestamp", "EEE, d MMM yyyy HH:mm:ss z", "Tue, 2 Jan 2024 03:04:05 GMT+08:00", "2024-01-01 19:04:05Z"},
		{"date", "yyyyMMdd", "2024022", "2024-02-02"}, // Java: the last number of a run takes what is there
		{"timestamp", "yyyyMMddHHmmss", "20240102030405", "2024-01-02 03:04:05"},
		{"timestamp", "yyyy-MM-dd HH:mm:ss.SSSSSSSSS", "2024-01-02 03:04:05.123456000", "2024-01-02 03:04:05.123456"},
		{"time", "HH:mm", "07:30", "07:30:00"},
		{"time", "HH'h'mm", "07h30", "07:30:00"},
	} {
		v, err := p.parse(b, []byte(tc.text), col(tc.typ, tc.format))
		require.NoError(t, err, "%s %q", tc.format, tc.text)
		assert.Equal(t, tc.want, v.String(), "%s %q", tc.format, tc.text)
	}
	for _, tc := range []struct{ typ, format, text string }{
		{"date", "yyyy.MM.dd", "2014-12-31"},
		{"date", "yyyy.MM.dd", "2014.02.30"},
		{"date", "yyyyMMdd", "202402"},
		{"timestamp", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-01-02T03:04:05.120"}, // the pattern's zone is missing
		{"timestamp", "yyyy-MM-dd hh:mm:ss a", "2024-01-02 13:04:05 PM"},
		{"timestamp", "EEE yyyy-MM-dd", "Mon 2024-01-02"}, // a Tuesday
		{"timestamp", "yyyy-MM-dd HH:mm:ss", "2024-01-02 25:00:00"},
		{"timestamp", "yyyy-MM-dd HH:mm:ss.SSSSSSSSS", "2024-01-02 03:04:05.123456789"},
	} {
		_, err := p.parse(b, []byte(tc.text), col(tc.typ, tc.format))
		assert.Error(t, err, "%s %q", tc.format, tc.text)
	}

	// Writing with formats.
	ws, err := CompileWrite(text.WriteOptions{DateFormat: "yyyy/MM/dd", TimestampFormat: "yyyy-MM-dd'T'HH:mm:ss.SSSX", TimeFormat: "HH.mm"})
	require.NoError(t, err)
	schema := datasync.Schema{{Name: "d", Kind: datasync.KindDate}, {Name: "ts", Kind: datasync.KindTimestamp}, {Name: "w", Kind: datasync.KindTimestamp}, {Name: "t", Kind: datasync.KindTime}}
	files, err := encodeAll(t, ws, schema, []datasync.Record{{
		datasync.DateValue(datasync.DateOf(2024, 3, 5)),
		datasync.TimestampValue(datasync.TimestampFromMicros(1_700_000_000_123_456, true)),
		datasync.TimestampValue(datasync.TimestampFromMicros(1_700_000_000_123_456, false)),
		datasync.TimeValue(datasync.TimeOfDayOf(7, 5, 0, 0)),
	}}, StreamConfig{})
	require.NoError(t, err)
	// Written in UTC: the zone letter writes UTC's Z for the wall-clock
	// timestamp too, as the pattern asks.
	assert.Equal(t, "2024/03/05,2023-11-14T22:13:20.123Z,2023-11-14T22:13:20.123Z,07.05\n", string(files[0]))

	// A TIMESTAMP written with DataX's yyyy-MM-dd HH:mm:ss gets nothing the
	// pattern does not ask for (no Z), and 12-hour clocks write AM/PM.
	ws, err = CompileWrite(text.WriteOptions{TimestampFormat: "yyyy-MM-dd HH:mm:ss", DateFormat: "MMM d, yyyy", TimeFormat: "hh:mm a"})
	require.NoError(t, err)
	files, err = encodeAll(t, ws, schema, []datasync.Record{{
		datasync.DateValue(datasync.DateOf(2024, 3, 5)),
		datasync.TimestampValue(datasync.TimestampFromMicros(1_700_000_000_123_456, true)),
		datasync.TimestampValue(datasync.TimestampFromMicros(1_700_000_000_123_456, false)),
		datasync.TimeValue(datasync.TimeOfDayOf(19, 5, 0, 0)),
	}}, StreamConfig{})
	require.NoError(t, err)
	assert.Equal(t, "\"Mar 5, 2024\",2023-11-14 22:13:20,2023-11-14 22:13:20,07:05 PM\n", string(files[0]))
}

func TestJSONLines(t *testing.T) {
	data := `{"id":1,"name":"a\u00e9\ud83d\ude00","tags":["x"],"n":null}
{"name":"missing id","extra":{"deep":[1,{"a":"}"}]}}

{"id":"3","name":5,"tags":{"k":"v"}}
{"id":4,"name":"bad" "json"}
[5,"array"]
{"id":6.0,"name":true,"tags":7}
`
	rs := compileRead(t, text.ReadOptions{Format: text.Format{FileFormat: "jsonl"}, Column: []text.ColumnSpec{
		{Name: "id", Type: kindOf("int"), Index: nil}, colNamed("name", "string"), colNamed("tags", "json"), colNamed("n", "string"),
	}})
	rows, dirty := decodeAll(t, rs, []byte(data), SplitSpec{Name: "x.jsonl"})
	require.Len(t, dirty, 1)
	assert.Equal(t, int64(5), dirty[0].Row)
	require.Len(t, rows, 5)
	assert.Equal(t, "1|aé😀|[\"x\"]|NULL", joinRow(rows[0]))
	assert.Equal(t, "NULL|missing id|NULL|NULL", joinRow(rows[1]))
	assert.Equal(t, "3|5|{\"k\":\"v\"}|NULL", joinRow(rows[2]))
	assert.Equal(t, "NULL|NULL|NULL|NULL", joinRow(rows[3])) // an array line has no keys
	assert.Equal(t, "6|true|7|NULL", joinRow(rows[4]))

	// Arrays by index.
	rs = compileRead(t, text.ReadOptions{Format: text.Format{FileFormat: "jsonl"}, Column: []text.ColumnSpec{colAt(1, "string"), colAt(0, "int")}})
	rows, dirty = decodeAll(t, rs, []byte("[5,\"five\"]\n[6]\n"), SplitSpec{})
	require.Empty(t, dirty)
	assert.Equal(t, "five|5", joinRow(rows[0]))
	assert.Equal(t, "NULL|6", joinRow(rows[1]))

	// "*" takes the keys of the first object.
	rs = compileRead(t, text.ReadOptions{Format: text.Format{FileFormat: "jsonl"}})
	rows, _ = decodeAll(t, rs, []byte(`{"b":1,"a":{"x":2}}`+"\n"+`{"a":"s"}`+"\n"), SplitSpec{})
	schema, _ := rs.Resolve(nil)
	assert.Equal(t, []string{"b", "a"}, schema.Names())
	assert.Equal(t, `1|{"x":2}`, joinRow(rows[0]))
	assert.Equal(t, "NULL|s", joinRow(rows[1]))
}

func joinRow(r datasync.Record) string {
	parts := make([]string, len(r))
	for i, v := range r {
		parts[i] = v.String()
	}
	return strings.Join(parts, "|")
}

func TestRecordTooLongFailsTheSplit(t *testing.T) {
	rs := compileRead(t, text.ReadOptions{MaxRecordSize: 1000, Column: []text.ColumnSpec{colAt(0, "string")}})
	data := "\"" + strings.Repeat("x", 5000) + "\n"
	_, err := rs.Resolve(nil)
	require.NoError(t, err)
	r, err := rs.OpenReader(context.Background(), memOpener(data), SplitSpec{Name: "big.csv"}, nil, ReaderOptions{})
	require.NoError(t, err)
	err = r.Read(context.Background(), datasync.NewBatch(nil, 10, 100))
	assert.ErrorContains(t, err, "big.csv: line 1: a record longer than 1000 bytes")
}

func TestCompressionDetectionAndMismatch(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("1,a\n"))
	zw.Close()
	// A second member: concatenated gzip reads as one stream.
	zw = gzip.NewWriter(&gz)
	zw.Write([]byte("2,b\n"))
	zw.Close()
	cols := []text.ColumnSpec{colAt(0, "int"), colAt(1, "string")}
	rows, dirty := decodeAll(t, compileRead(t, text.ReadOptions{Column: cols}), gz.Bytes(), SplitSpec{})
	require.Empty(t, dirty)
	require.Len(t, rows, 2)

	rs := compileRead(t, text.ReadOptions{Format: text.Format{Compression: "gzip"}, Column: cols})
	_, err := rs.Resolve(nil)
	require.NoError(t, err)
	_, err = rs.OpenReader(context.Background(), memOpener("1,a\n"), SplitSpec{Name: "plain.csv"}, nil, ReaderOptions{})
	assert.ErrorContains(t, err, "plain.csv: compress is gzip but the data is not gzip-compressed")

	_, err = DetectCompression([]byte("PK\x03\x04"))
	assert.ErrorContains(t, err, "zip archives are not supported")
}

// crcOpener reports the CRC-64 of the whole file, as OSS does.
type crcOpener struct {
	data []byte
	crc  uint64
}

type crcStream struct {
	io.Reader
	crc uint64
}

func (s crcStream) Close() error          { return nil }
func (s crcStream) CRC64() (uint64, bool) { return s.crc, true }
func (o crcOpener) OpenAt(_ context.Context, off int64) (io.ReadCloser, error) {
	return crcStream{Reader: bytes.NewReader(o.data[off:]), crc: o.crc}, nil
}

func TestResumeFromEveryCheckpoint(t *testing.T) {
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "s", Kind: datasync.KindString}}
	var rows []datasync.Record
	for i := range 500 {
		rows = append(rows, datasync.Record{datasync.Int(int64(i)), datasync.String(fmt.Sprintf("v%d\n%s", i, strings.Repeat("x", i%13)))})
	}
	for _, compress := range []string{"none", "gzip", "zstd"} {
		for _, format := range []string{"csv", "jsonl"} {
			t.Run(compress+"/"+format, func(t *testing.T) {
				ws, err := CompileWrite(text.WriteOptions{Format: text.Format{FileFormat: text.FileFormat(format), Compression: text.Compression(compress)}, WriteHeader: true})
				require.NoError(t, err)
				files, err := encodeAll(t, ws, schema, rows, StreamConfig{})
				require.NoError(t, err)
				data := files[0]
				rs := compileRead(t, text.ReadOptions{Format: text.Format{FileFormat: text.FileFormat(format)}, SkipHeader: format == "csv", Column: columnsFor(schema, true)})
				_, err = rs.Resolve(nil)
				require.NoError(t, err)
				op := crcOpener{data: data, crc: crc64.Checksum(data, CRCTable)}
				sp := SplitSpec{Name: "f", Size: int64(len(data))}
				// Read in batches of 7; after each, resume a fresh reader
				// from the checkpoint and check it reads the rest exactly.
				var got []datasync.Record
				var cp datasync.Checkpoint
				for step := 0; ; step++ {
					r, err := rs.OpenReader(context.Background(), op, sp, cp, ReaderOptions{VerifyCRC: true})
					require.NoError(t, err)
					b := datasync.NewBatch(schema, 7, 1<<20)
					err = r.Read(context.Background(), b)
					for i := range b.Len() {
						got = append(got, b.Row(i).Clone())
					}
					cp = r.Checkpoint()
					r.Close()
					if errors.Is(err, io.EOF) {
						break
					}
					require.NoError(t, err)
				}
				requireRowsEqual(t, rows, got)

				// A corrupted byte fails the CRC check (it still parses).
				if compress == "none" {
					bad := bytes.Clone(data)
					i := bytes.LastIndex(bad, []byte("v499"))
					bad[i+1] = '8'
					r, err := rs.OpenReader(context.Background(), crcOpener{data: bad, crc: op.crc}, sp, nil, ReaderOptions{VerifyCRC: true})
					require.NoError(t, err)
					_, err = readAllErr(r, schema)
					assert.ErrorContains(t, err, "CRC-64 mismatch")
					assert.True(t, datasync.IsRetryable(err))
				}
			})
		}
	}
}

func readAllErr(r *Reader, schema datasync.Schema) (int, error) {
	n := 0
	b := datasync.NewBatch(schema, 100, 1<<20)
	for {
		b.Reset()
		err := r.Read(context.Background(), b)
		n += b.Len()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

func TestByteRangesReadEveryLineOnce(t *testing.T) {
	for _, format := range []string{"text", "jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "s", Kind: datasync.KindString}}
			var rows []datasync.Record
			for i := range 3000 {
				s := strings.Repeat("abc,\t\\", i%17) // escapes and delimiters, varying lengths
				if format == "csv" {
					s = strings.Repeat("ab\"c,", i%17) // quotes but no newlines
				}
				rows = append(rows, datasync.Record{datasync.Int(int64(i)), datasync.String(s)})
			}
			ws, err := CompileWrite(text.WriteOptions{Format: text.Format{FileFormat: text.FileFormat(format)}, WriteHeader: true})
			require.NoError(t, err)
			files, err := encodeAll(t, ws, schema, rows, StreamConfig{})
			require.NoError(t, err)
			data := files[0]
			for _, size := range []int64{97, 4096, 65536, int64(len(data)) - 1} {
				rs := compileRead(t, text.ReadOptions{Format: text.Format{FileFormat: text.FileFormat(format)}, SkipHeader: format != "jsonl", SplitSize: size,
					NoQuotedNewlines: true, Column: columnsFor(schema, format == "jsonl")})
				_, err := rs.Resolve(nil)
				require.NoError(t, err)
				splits, err := rs.PlanFile("f", int64(len(data)), func() (*Probe, error) { return rs.ProbeStream(bytes.NewReader(data), "f") })
				require.NoError(t, err)
				if size < int64(len(data)) {
					require.Greater(t, len(splits), 1)
				}
				var got []datasync.Record
				for _, sp := range splits {
					r, err := rs.OpenReader(context.Background(), memOpener(data), sp, nil, ReaderOptions{})
					require.NoError(t, err)
					part, dirty := readAll(t, r, schema)
					require.Empty(t, dirty)
					got = append(got, part...)
					r.Close()
				}
				requireRowsEqual(t, rows, got)
			}
		})
	}
}

func TestRollingOutputs(t *testing.T) {
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "s", Kind: datasync.KindString}}
	var rows []datasync.Record
	for i := range 1000 {
		rows = append(rows, datasync.Record{datasync.Int(int64(i)), datasync.String(strings.Repeat("y", i%50))})
	}
	ws, err := CompileWrite(text.WriteOptions{WriteHeader: true})
	require.NoError(t, err)
	files, err := encodeAll(t, ws, schema, rows, StreamConfig{MaxBytes: 2000})
	require.NoError(t, err)
	require.Greater(t, len(files), 10)
	rs := compileRead(t, text.ReadOptions{SkipHeader: true, Column: columnsFor(schema, true)})
	var got []datasync.Record
	for _, f := range files {
		assert.LessOrEqual(t, len(f), 2000)
		assert.True(t, bytes.HasPrefix(f, []byte("id,s\n")))
		part, dirty := decodeAll(t, rs, f, SplitSpec{})
		require.Empty(t, dirty)
		got = append(got, part...)
	}
	requireRowsEqual(t, rows, got)
}

func TestLongRecordsGrowTheBuffer(t *testing.T) {
	big := strings.Repeat("long line,\n\"quoted\"\n", 60_000) // 1.2 MB
	data := "1,\"" + strings.ReplaceAll(big, `"`, `""`) + "\"\n2,short\n"
	rs := compileRead(t, text.ReadOptions{Column: []text.ColumnSpec{colAt(0, "int"), colAt(1, "string")}})
	rows, dirty := decodeAll(t, rs, []byte(data), SplitSpec{})
	require.Empty(t, dirty)
	require.Len(t, rows, 2)
	assert.Equal(t, big, rows[0][1].String())
	assert.Equal(t, "short", rows[1][1].String())
}

func TestGBKWithAPipeDelimiterAndQuotes(t *testing.T) {
	// In GBK the second byte of a character may be 0x7C, the pipe: it must
	// not be taken for a delimiter, before or after a quote.
	ws, err := CompileWrite(text.WriteOptions{Format: text.Format{Encoding: "GBK", FieldDelimiter: "|"}})
	require.NoError(t, err)
	schema := datasync.Schema{{Name: "a", Kind: datasync.KindString}, {Name: "b", Kind: datasync.KindString}}
	var rows []datasync.Record
	for r := rune(0x4E00); r < 0x9FA5; r += 7 {
		s := string(r)
		rows = append(rows, datasync.Record{datasync.String(s + `"` + s + "\n" + s), datasync.String(`"` + s + "|" + s)})
	}
	files, err := encodeAll(t, ws, schema, rows, StreamConfig{})
	require.NoError(t, err)
	require.True(t, bytes.Contains(files[0], []byte{'|'}))
	rs := compileRead(t, text.ReadOptions{Format: text.Format{Encoding: "GBK", FieldDelimiter: "|"}, Column: columnsFor(schema, false)})
	got, dirty := decodeAll(t, rs, files[0], SplitSpec{})
	require.Empty(t, dirty)
	requireRowsEqual(t, rows, got)
}

func TestGBKTrailBytesAreNotDelimiters(t *testing.T) {
	// Find a character whose GBK form ends with the pipe byte.
	var x []byte
	for r := rune(0x4E00); r < 0x9FA5 && x == nil; r++ {
		if b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(string(r))); err == nil && len(b) == 2 && b[1] == '|' {
			x = b
		}
	}
	require.NotNil(t, x)
	// An unquoted field whose character is followed by a bare quote.
	data := append(append([]byte{}, x...), []byte("\"x|y\n2|z\n")...)
	rs := compileRead(t, text.ReadOptions{Format: text.Format{Encoding: "GBK", FieldDelimiter: "|"}, Column: []text.ColumnSpec{colAt(0, "string"), colAt(1, "string")}})
	rows, dirty := decodeAll(t, rs, data, SplitSpec{})
	require.Empty(t, dirty)
	require.Len(t, rows, 2)
	assert.Equal(t, "y", rows[0][1].String())
}

func TestBzip2IsReadToo(t *testing.T) {
	// printf 'id,name\n1,a\n2,"b\nc"\n' | bzip2 -9 | base64
	data, err := base64.StdEncoding.DecodeString("QlpoOTFBWSZTWTb5/S0AAAjZAAAQEAQwAD4jIAAimE9MpggGgBCpIJS5OVF49jRdyRThQkDb5/S0")
	require.NoError(t, err)
	for _, compress := range []string{"", "bzip2"} {
		rs := compileRead(t, text.ReadOptions{Format: text.Format{Compression: text.Compression(compress)}, SkipHeader: true, Column: []text.ColumnSpec{colNamed("id", "int"), colNamed("name", "string")}})
		rows, dirty := decodeAll(t, rs, data, SplitSpec{})
		require.Empty(t, dirty)
		assert.Equal(t, "1|a", joinRow(rows[0]))
		assert.Equal(t, "2|b\nc", joinRow(rows[1]))
	}
}

func TestEmptyFiles(t *testing.T) {
	for _, data := range []string{"", "id,name\n", "\xEF\xBB\xBF"} {
		rs := compileRead(t, text.ReadOptions{SkipHeader: true, Column: []text.ColumnSpec{colNamed("id", "int"), colNamed("name", "string")}})
		rows, dirty := decodeAll(t, rs, []byte(data), SplitSpec{})
		assert.Empty(t, rows, "%q", data)
		assert.Empty(t, dirty, "%q", data)
	}
}
