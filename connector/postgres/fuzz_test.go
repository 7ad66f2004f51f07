package postgres

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/source"
)

// The fuzz targets of the text COPY format: the escaping of fields and its
// undoing (against a transcription of PostgreSQL's own rules), the array
// literals made from JSON arrays (against a parser of array_in's syntax),
// and the text forms of binary values. Seed corpora are under
// testdata/fuzz.

// pgUnescape undoes the escapes of one text COPY field as PostgreSQL's
// CopyReadAttributesText does: \b \f \n \r \t \v, up to three octal
// digits, \x with one or two hex digits, and any other character after a
// backslash standing for itself. A backslash that ends the field is
// dropped.
func pgUnescape(f []byte) []byte {
	var out []byte
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 >= len(f) {
			break
		}
		i++
		c = f[i]
		switch {
		case c >= '0' && c <= '7':
			val := int(c - '0')
			for k := 0; k < 2 && i+1 < len(f) && f[i+1] >= '0' && f[i+1] <= '7'; k++ {
				i++
				val = val<<3 + int(f[i]-'0')
			}
			c = byte(val & 0o377)
		case c == 'x':
			if i+1 < len(f) && isHex(f[i+1]) {
				i++
				val := hexVal(f[i])
				if i+1 < len(f) && isHex(f[i+1]) {
					i++
					val = val<<4 + hexVal(f[i])
				}
				c = byte(val)
			}
		case c == 'b':
			c = '\b'
		case c == 'f':
			c = '\f'
		case c == 'n':
			c = '\n'
		case c == 'r':
			c = '\r'
		case c == 't':
			c = '\t'
		case c == 'v':
			c = '\v'
		}
		out = append(out, c)
	}
	return out
}

func FuzzCopyText(f *testing.F) {
	for _, s := range []string{
		"plain", "a\tb\nc\r\\d", `\N`, `\\N`, "\x00\x01\xff", `\x41\101\0\777\xz\x`, `trailing\`, `\.`, "中文\t",
		`\b\f\v\q`, `\x4`, `\1234`, "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		e := appendCopyEscaped(nil, p)
		if bytes.ContainsAny(e, "\t\n\r") {
			t.Fatalf("%q escapes to %q, which holds a delimiter or line break", p, e)
		}
		if bytes.Equal(e, []byte(`\N`)) {
			t.Fatalf("%q escapes to the NULL marker", p)
		}
		if got := pgUnescape(e); !bytes.Equal(got, p) {
			t.Fatalf("%q escapes to %q, which PostgreSQL reads as %q", p, e, got)
		}
		if got := unescapeCopyText(e); !bytes.Equal(got, p) {
			t.Fatalf("%q escapes to %q, which unescapeCopyText reads as %q", p, e, got)
		}
		// Any field: unescapeCopyText reads it as PostgreSQL does, but for
		// a trailing lone backslash (which it keeps), never sent by us.
		if n := len(p) - len(bytes.TrimRight(p, `\`)); n%2 == 0 {
			if got, want := unescapeCopyText(p), pgUnescape(p); !bytes.Equal(got, want) {
				t.Fatalf("%q: unescapeCopyText gives %q, PostgreSQL %q", p, got, want)
			}
		}
	})
}

// pgArray is an element of a parsed array literal.
type pgArray struct {
	null   bool
	quoted bool
	text   string
	elems  []pgArray // for a nested array
	nested bool
}

// parseArrayLiteral parses the syntax of array_in: {a,"b \" c",NULL,{1,2}},
// with backslash escapes in quoted and unquoted elements, and spaces around
// unquoted ones ignored.
func parseArrayLiteral(s string) (pgArray, string, error) {
	s = strings.TrimLeft(s, " \t\n\r")
	if !strings.HasPrefix(s, "{") {
		return pgArray{}, s, fmt.Errorf("want { at %q", s)
	}
	s = strings.TrimLeft(s[1:], " \t\n\r")
	arr := pgArray{nested: true}
	if strings.HasPrefix(s, "}") {
		return arr, s[1:], nil
	}
	for {
		s = strings.TrimLeft(s, " \t\n\r")
		var el pgArray
		switch {
		case strings.HasPrefix(s, "{"):
			var err error
			if el, s, err = parseArrayLiteral(s); err != nil {
				return arr, s, err
			}
		case strings.HasPrefix(s, `"`):
			var b strings.Builder
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return arr, s, fmt.Errorf("unterminated quote")
			}
			el, s = pgArray{quoted: true, text: b.String()}, s[i+1:]
		default:
			var b strings.Builder
			i := 0
			for ; i < len(s) && s[i] != ',' && s[i] != '}'; i++ {
				if s[i] == '"' || s[i] == '{' {
					return arr, s, fmt.Errorf("unexpected %q in an unquoted element", s[i])
				}
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			text := strings.TrimRight(b.String(), " \t\n\r")
			if text == "" {
				return arr, s, fmt.Errorf("empty unquoted element")
			}
			el, s = pgArray{text: text, null: strings.EqualFold(text, "NULL")}, s[i:]
		}
		arr.elems = append(arr.elems, el)
		s = strings.TrimLeft(s, " \t\n\r")
		switch {
		case strings.HasPrefix(s, ","):
			s = s[1:]
		case strings.HasPrefix(s, "}"):
			return arr, s[1:], nil
		default:
			return arr, s, fmt.Errorf("want , or } at %q", s)
		}
	}
}

// sameAsJSON reports whether a parsed array literal holds what the JSON
// array held: strings and objects quoted (objects as their JSON text),
// numbers and booleans as their text, null as NULL.
func sameAsJSON(a pgArray, raw json.RawMessage) error {
	raw = bytes.TrimSpace(raw)
	switch raw[0] {
	case '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return err
		}
		if !a.nested || len(a.elems) != len(elems) {
			return fmt.Errorf("%s became %+v", raw, a)
		}
		for i := range elems {
			if err := sameAsJSON(a.elems[i], elems[i]); err != nil {
				return err
			}
		}
		return nil
	case 'n':
		if !a.null || a.quoted {
			return fmt.Errorf("null became %+v", a)
		}
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		if !a.quoted || a.text != s {
			return fmt.Errorf("%s became %+v", raw, a)
		}
	case '{':
		if !a.quoted || a.text != string(raw) {
			return fmt.Errorf("%s became %+v", raw, a)
		}
	default:
		if a.quoted || a.nested || a.null || a.text != string(raw) {
			return fmt.Errorf("%s became %+v", raw, a)
		}
	}
	return nil
}

func FuzzArrayLiteral(f *testing.F) {
	for _, s := range []string{
		`[1,2,3]`, `["a","b \"c\"","back\\slash","NULL","",null]`, `[[1,2],[3,4]]`, `[{"a":[1,"}"]},{"b":null}]`,
		`[true,false,-0.5e10]`, ` [ "x" , 1 ] `, `["{","}",",","\u0000"]`, `[]`, `[[]]`, `{"a":1}`, `[1,`, `["\ud800"]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		lit, err := appendArrayLiteral(nil, src)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		arr, rest, err := parseArrayLiteral(string(lit))
		if err != nil || rest != "" {
			t.Fatalf("%s: literal %s does not parse: %v (rest %q)", src, lit, err, rest)
		}
		if err := sameAsJSON(arr, src); err != nil {
			t.Fatalf("%s: literal %s: %v", src, lit, err)
		}
	})
}

// intervalText parses the postgres-style text of an interval back into
// months, days and microseconds.
var intervalPart = regexp.MustCompile(`^([+-]?\d+) (year|mon|day)s?$`)

func parseIntervalText(s string) (months, days, micros int64, err error) {
	fields := strings.Split(s, " ")
	for i := 0; i < len(fields); i++ {
		if i+1 < len(fields) {
			if m := intervalPart.FindStringSubmatch(fields[i] + " " + fields[i+1]); m != nil {
				n, _ := strconv.ParseInt(m[1], 10, 64)
				switch m[2] {
				case "year":
					months += 12 * n
				case "mon":
					months += n
				case "day":
					days += n
				}
				i++
				continue
			}
		}
		clock := fields[i]
		if i != len(fields)-1 {
			return 0, 0, 0, fmt.Errorf("unexpected %q", clock)
		}
		neg := strings.HasPrefix(clock, "-")
		clock = strings.TrimLeft(clock, "+-")
		hms := strings.Split(clock, ":")
		if len(hms) != 3 || len(hms[0]) < 2 || len(hms[1]) != 2 || len(hms[2]) < 2 {
			return 0, 0, 0, fmt.Errorf("bad clock %q", fields[i])
		}
		h, err1 := strconv.ParseUint(hms[0], 10, 64)
		m, err2 := strconv.ParseUint(hms[1], 10, 64)
		sec, frac, _ := strings.Cut(hms[2], ".")
		sv, err3 := strconv.ParseUint(sec, 10, 64)
		var us uint64
		if frac != "" {
			us, err = strconv.ParseUint((frac + "00000")[:6], 10, 64)
		}
		if err1 != nil || err2 != nil || err3 != nil || err != nil || len(frac) > 6 {
			return 0, 0, 0, fmt.Errorf("bad clock %q", fields[i])
		}
		u := ((h*60+m)*60+sv)*1_000_000 + us
		micros = int64(u)
		if neg {
			micros = -int64(u)
		}
	}
	return months, days, micros, nil
}

// FuzzTextForms turns binary values as the server sends them into text:
// malformed input is refused, never a panic, and the text holds exactly
// the value (read back by independent parsers).
func FuzzTextForms(f *testing.F) {
	iv := func(micros int64, days, months int32) []byte {
		b := binary.BigEndian.AppendUint64(nil, uint64(micros))
		b = binary.BigEndian.AppendUint32(b, uint32(days))
		return binary.BigEndian.AppendUint32(b, uint32(months))
	}
	f.Add(uint8(0), iv(3723000004, -3, 14))
	f.Add(uint8(0), iv(math.MinInt64, math.MinInt32, math.MinInt32))
	f.Add(uint8(0), iv(math.MaxInt64, math.MaxInt32, math.MaxInt32))
	f.Add(uint8(0), iv(-1, 1, -1))
	f.Add(uint8(1), []byte{2, 32, 0, 4, 10, 0, 0, 1})
	f.Add(uint8(1), append([]byte{3, 64, 1, 16}, bytes.Repeat([]byte{0xfe}, 16)...))
	f.Add(uint8(2), []byte{0, 0, 0, 10, 0xff, 0xc0})
	f.Add(uint8(3), append(binary.BigEndian.AppendUint64(nil, 86_400_000_000), 0xff, 0xff, 0x8f, 0x80))
	f.Add(uint8(4), []byte("0123456789abcdef"))
	f.Add(uint8(5), binary.BigEndian.AppendUint64(nil, 1<<63+1))
	f.Fuzz(func(t *testing.T, which uint8, src []byte) {
		switch which % 6 {
		case 0:
			text, err := appendIntervalText(nil, src)
			if err != nil {
				return
			}
			micros := int64(binary.BigEndian.Uint64(src))
			days := int64(int32(binary.BigEndian.Uint32(src[8:])))
			months := int64(int32(binary.BigEndian.Uint32(src[12:])))
			if s := string(text); s == "infinity" || s == "-infinity" {
				return
			}
			m, d, us, err := parseIntervalText(string(text))
			if err != nil || m != months || d != days || us != micros {
				t.Fatalf("interval (%d months, %d days, %d µs) written %q, reads as (%d, %d, %d) %v", months, days, micros, text, m, d, us, err)
			}
		case 1:
			cidr := len(src) > 0 && src[len(src)-1]&1 == 1
			text, err := appendInetText(nil, src, cidr)
			if err != nil {
				return
			}
			addr := netip.MustParseAddr(strings.SplitN(string(text), "/", 2)[0])
			if !bytes.Equal(addr.AsSlice(), src[4:]) {
				t.Fatalf("inet %x written %q", src, text)
			}
			bits := addr.BitLen()
			if _, after, ok := strings.Cut(string(text), "/"); ok {
				if bits, err = strconv.Atoi(after); err != nil {
					t.Fatalf("inet %x written %q", src, text)
				}
			} else if cidr {
				t.Fatalf("cidr %x written %q without its bits", src, text)
			}
			if bits != int(src[1]) {
				t.Fatalf("inet %x written %q: %d bits", src, text, bits)
			}
		case 2:
			text, err := appendBitText(nil, src)
			if err != nil {
				return
			}
			n := int(binary.BigEndian.Uint32(src))
			if len(text) != n || strings.Trim(string(text), "01") != "" {
				t.Fatalf("bits %x written %q", src, text)
			}
			for i := range n {
				if bit := src[4+i/8] >> (7 - i%8) & 1; text[i] != '0'+bit {
					t.Fatalf("bits %x written %q: bit %d", src, text, i)
				}
			}
		case 3:
			text, err := appendTimetzText(nil, src)
			if err != nil {
				return
			}
			micros := int64(binary.BigEndian.Uint64(src))
			west := int64(int32(binary.BigEndian.Uint32(src[8:])))
			s := string(text)
			cut := strings.LastIndexAny(s, "+-")
			if cut <= 0 {
				t.Fatalf("timetz %x written %q: no zone", src, text)
			}
			clock, zone := s[:cut], s[cut:]
			_, _, us, err := parseIntervalText(clock)
			if err != nil || us != micros {
				t.Fatalf("timetz %x written %q: clock reads as %d (%v), want %d", src, text, us, err, micros)
			}
			zs := strings.Split(zone[1:], ":")
			var east int64
			for i, p := range zs {
				v, err := strconv.ParseInt(p, 10, 64)
				if err != nil || len(p) < 2 || (i > 0 && len(p) != 2) {
					t.Fatalf("timetz %x written %q: bad zone", src, text)
				}
				east += v * []int64{3600, 60, 1}[i]
			}
			if zone[0] == '-' {
				east = -east
			}
			if east != -west {
				t.Fatalf("timetz %x written %q: zone %d east, want %d", src, text, east, -west)
			}
		case 4:
			if text, err := appendUUIDText(nil, src); err == nil {
				if h := strings.ReplaceAll(string(text), "-", ""); h != hex.EncodeToString(src) || len(text) != 36 {
					t.Fatalf("uuid %x written %q", src, text)
				}
			}
			if text, err := appendMacText(nil, src); err == nil {
				if h := strings.ReplaceAll(string(text), ":", ""); h != hex.EncodeToString(src) {
					t.Fatalf("macaddr %x written %q", src, text)
				}
			}
		case 5:
			if len(src) < 8 {
				return
			}
			micros := int64(binary.BigEndian.Uint64(src))
			ts := datasync.TimestampFromMicros(micros, len(src) > 8)
			text := string(appendTimestampText(nil, ts, ts.IsInstant()))
			d := string(appendDateText(nil, ts.Date()))
			if ts.Infinite() != 0 {
				return
			}
			checkPGDateTime(t, ts, text, d)
		}
	})
}

var pgTimestamp = regexp.MustCompile(`^(\d{4,})-(\d\d)-(\d\d) (\d\d:\d\d:\d\d(?:\.\d{1,6})?)(\+00)?( BC)?$`)
var pgDate = regexp.MustCompile(`^(\d{4,})-(\d\d)-(\d\d)( BC)?$`)

// checkPGDateTime reads the text of a timestamp and of its date back as
// PostgreSQL does (years from 1, BC for the ones before) and compares.
func checkPGDateTime(t *testing.T, ts datasync.Timestamp, text, date string) {
	t.Helper()
	m := pgTimestamp.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%s written %q", ts, text)
	}
	year := func(digits, bc string) int {
		y, _ := strconv.Atoi(digits)
		if y == 0 {
			t.Fatalf("%s written %q: year 0", ts, text)
		}
		if bc != "" {
			return 1 - y
		}
		return y
	}
	mo, _ := strconv.Atoi(m[2])
	dd, _ := strconv.Atoi(m[3])
	clock, err := datasync.ParseTimeOfDay(m[4])
	if err != nil {
		t.Fatalf("%s written %q: %v", ts, text, err)
	}
	got := datasync.TimestampOf(datasync.DateOf(year(m[1], m[6]), time.Month(mo), dd), clock)
	if got.UnixMicro() != ts.UnixMicro() || (m[5] != "") != ts.IsInstant() {
		t.Fatalf("%s written %q, reads as %s", ts, text, got)
	}
	dm := pgDate.FindStringSubmatch(date)
	if dm == nil || dm[1] != m[1] || dm[2] != m[2] || dm[3] != m[3] || dm[4] != m[6] {
		t.Fatalf("%s: date written %q, timestamp %q", ts, date, text)
	}
}

// TestJSONNullIsNoArray turns JSON null into an array literal: it was
// written as {} (an empty array), silently. It is refused now, as any
// other JSON that is not an array is.
func TestJSONNullIsNoArray(t *testing.T) {
	for _, src := range []string{"null", " null ", `"[1]"`, "1"} {
		if lit, err := appendArrayLiteral(nil, []byte(src)); err == nil {
			t.Errorf("%s: written as %s", src, lit)
		}
	}
	lit, err := appendArrayLiteral(nil, []byte(` [null,[]]`))
	if err != nil || string(lit) != "{NULL,{}}" {
		t.Errorf("got %s %v", lit, err)
	}
}

// TestJSONNullIntoArrayColumnIsDirty writes JSON values into an int[]
// column of a real server: JSON null was stored as '{}', an empty array;
// it is a dirty row now, and SQL NULL and real arrays still arrive.
func TestJSONNullIntoArrayColumnIsDirty(t *testing.T) {
	db := newDB(t)
	db.exec(`CREATE TABLE t (id int PRIMARY KEY, a int[])`)
	schema := datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "a", Kind: datasync.KindJSON, Nullable: true}}
	records := []datasync.Record{
		{datasync.Int(1), datasync.JSON("null")},
		{datasync.Int(2), datasync.JSON("[1,null,3]")},
		{datasync.Int(3), datasync.Null()},
	}
	var c collector
	_, err := run(t, source.FromRecords(schema, records), newSink(t, SinkConfig{DSN: db.dsn, Table: "t"}), c.policy())
	require.NoError(t, err)
	require.Len(t, c.recs, 1)
	id, err := c.recs[0].Record[0].AsInt()
	require.NoError(t, err)
	require.Equal(t, int64(1), id)
	require.Equal(t, []string{"2|{1,NULL,3}", "3|<NULL>"}, db.rows(`SELECT id, a FROM t ORDER BY id`))
}
