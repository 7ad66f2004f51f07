package datasync_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ds "github.com/datasync-go/datasync"
)

// The fuzz targets of the text parsers of the value model: dates, times,
// timestamps, decimals, and the conversions from strings. Each checks
// properties (round trips, agreement with the standard library or
// math/big, errors that name the input), not only the absence of panics.
// Their seed corpora are under testdata/fuzz; `go test` runs them as
// regression cases.

// requireNamesInput fails unless err's message is non-empty and quotes s, so
// that a user can tell which text was refused.
func requireNamesInput(t *testing.T, err error, s string) {
	t.Helper()
	msg := err.Error()
	if msg == "" {
		t.Fatalf("%q: empty error message", s)
	}
	want := strconv.Quote(s)
	if len(s) > 60 {
		// Long inputs are shortened: their start must be there.
		k := 40
		for k > 0 && !utf8.RuneStart(s[k]) {
			k--
		}
		want = strings.TrimSuffix(strconv.Quote(s[:k]), `"`)
	}
	if !strings.Contains(msg, want) {
		t.Fatalf("%q: error %q does not quote the input", s, msg)
	}
}

var plainDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "-0001-12-31", "+10000-01-01",
		"+292278994-08-17", "-999999999-01-01", "2024-13-01", "2024-00-10", "2024-1-1", "infinity",
		"-Infinity", "2024-02-29x", " 2024-02-29", "+2024-02-29", "20240229", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ds.ParseDate(s)
		if plainDate.MatchString(s) {
			_, terr := time.Parse("2006-01-02", s)
			if (err == nil) != (terr == nil) {
				t.Fatalf("%q: ParseDate error %v, time.Parse error %v", s, err, terr)
			}
		}
		if err != nil {
			requireNamesInput(t, err, s)
			return
		}
		text := d.String()
		back, err := ds.ParseDate(text)
		if err != nil || back != d {
			t.Fatalf("%q: parsed as %s (%d days), which parses back as %v (%v)", s, text, d.Days(), back.Days(), err)
		}
		if d.Infinite() != 0 {
			return
		}
		y, m, dd := d.YMD()
		if plainDate.MatchString(s) {
			want, _ := time.Parse("2006-01-02", s)
			if y != want.Year() || m != want.Month() || dd != want.Day() {
				t.Fatalf("%q: got %d-%d-%d, time.Parse says %s", s, y, m, dd, want)
			}
		}
		if ds.DateOf(y, m, dd) != d {
			t.Fatalf("%q: DateOf(YMD()) is not the date", s)
		}
		// A date is also a timestamp at midnight, when the timestamp range
		// holds it, whether parsed as one or converted.
		ts, err := ds.ParseTimestamp(s)
		if err == nil && (ts.IsInstant() || ts.Date() != d || ts.TimeOfDay() != 0) {
			t.Fatalf("%q: as a timestamp %s, as a date %s", s, ts, d)
		}
		conv, cerr := ds.DateValue(d).Convert(ds.KindTimestamp)
		if (cerr == nil) != (err == nil) {
			t.Fatalf("%q: ParseTimestamp error %v, Convert error %v", s, err, cerr)
		}
		if cerr == nil {
			if got, _ := conv.AsTimestamp(); got != ts {
				t.Fatalf("%q: converted to %s, parsed as %s", s, got, ts)
			}
		}
	})
}

var plainClock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$`)

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{
		"00:00:00", "23:59:59.999999", "24:00:00", "838:59:59", "-838:59:59", "-00:00:01", "12:30",
		"1:02:03", "12:60:00", "12:00:60", "12:00:00.", "12:00:00.1234567", "12:00:00.1234560",
		"99999:00:00", "--1:00", "12:00:00Z", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tod, err := ds.ParseTimeOfDay(s)
		if err != nil {
			requireNamesInput(t, err, s)
			if plainClock.MatchString(s) {
				t.Fatalf("%q: refused: %v", s, err)
			}
			return
		}
		text := tod.String()
		back, err := ds.ParseTimeOfDay(text)
		if err != nil || back != tod {
			t.Fatalf("%q: parsed as %s, which parses back as %v (%v)", s, text, back, err)
		}
		if plainClock.MatchString(s) {
			want, err := time.Parse("15:04:05.999999", s)
			if err != nil {
				t.Fatalf("%q: time.Parse: %v", s, err)
			}
			got := time.Duration(want.Hour())*time.Hour + time.Duration(want.Minute())*time.Minute +
				time.Duration(want.Second())*time.Second + time.Duration(want.Nanosecond())
			if tod.Duration() != got {
				t.Fatalf("%q: got %v, time.Parse says %v", s, tod.Duration(), got)
			}
		}
	})
}

// timestampParts splits the text of a timestamp the way the documented
// grammar does: a date, then ('T' | 't' | ' ') and a clock, then a zone.
var timestampParts = regexp.MustCompile(`^([+-]?[0-9]+-[0-9]{2}-[0-9]{2})(?:[Tt ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)(Z|z| ?UTC| ?[+-][0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2})?)?)?)?$`)

// refZone is the offset in seconds east of UTC of a zone the regular
// expression above accepted, or false when a colon is used in one place
// and not the other (+08:0000) or a field is out of range.
func refZone(z string) (int64, bool) {
	z = strings.TrimPrefix(z, " ")
	switch z {
	case "", "Z", "z", "UTC":
		return 0, true
	}
	sign := int64(1)
	if z[0] == '-' {
		sign = -1
	}
	body := z[1:]
	if strings.Contains(body, ":") {
		parts := strings.Split(body, ":")
		for _, p := range parts {
			if len(p) != 2 {
				return 0, false
			}
		}
		body = strings.Join(parts, "")
		if len(parts) == 1 {
			return 0, false
		}
	}
	var h, m, s int64
	h, _ = strconv.ParseInt(body[:2], 10, 64)
	if len(body) >= 4 {
		m, _ = strconv.ParseInt(body[2:4], 10, 64)
	}
	if len(body) == 6 {
		s, _ = strconv.ParseInt(body[4:6], 10, 64)
	}
	if h > 15 || m > 59 || s > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60 + s), true
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"2024-02-29 23:59:59.999999", "2024-02-29T23:59:59Z", "2024-02-29t00:00:00+08:00",
		"2024-02-29 12:00:00 +0800", "2024-02-29 12:00:00-07", "2024-02-29 12:00:00 UTC",
		"2024-02-29 24:00:00", "2024-02-29 24:00:01", "1970-01-01", "0000-01-01 00:00:00",
		"-0001-12-31 23:59:59Z", "+294247-01-10 04:00:54.775807", "+294247-01-10 04:00:54.775806",
		"-290308-12-21 19:59:05.224192", "-290308-12-21 19:59:05.224193", "+294247-01-10 04:00:54.775806Z",
		"+294247-01-10 06:00:54+02", "+999999999-12-31 23:59:59", "-999999999-01-01",
		"2024-02-29 12:00:00+15:59:59", "2024-02-29 12:00:00+16", "2024-02-29 12:00:00+0:800",
		"2024-02-29 12:00:00 ", "2024-02-29 12:00", "2024-02-29T", "infinity", "-infinity", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ds.ParseTimestamp(s)
		m := timestampParts.FindStringSubmatch(s)
		if err != nil {
			requireNamesInput(t, err, s)
			return
		}
		text := ts.String()
		back, err := ds.ParseTimestamp(text)
		if err != nil || back != ts {
			t.Fatalf("%q: parsed as %s, which parses back as %v (%v)", s, text, back, err)
		}
		if ts.Infinite() != 0 {
			if strings.ToLower(strings.TrimPrefix(s, "+")) != "infinity" && strings.ToLower(s) != "-infinity" {
				t.Fatalf("%q: parsed as %s", s, ts)
			}
			return
		}
		if m == nil {
			t.Fatalf("%q: accepted as %s, but it is not of the documented form", s, ts)
		}
		// The reference: the date and the clock parsed on their own, the
		// offset applied in big integers (no overflow).
		d, err := ds.ParseDate(m[1])
		if err != nil {
			t.Fatalf("%q: accepted, but its date %q is not: %v", s, m[1], err)
		}
		var clock ds.TimeOfDay
		if m[2] != "" {
			if clock, err = ds.ParseTimeOfDay(m[2]); err != nil {
				t.Fatalf("%q: accepted, but its clock %q is not: %v", s, m[2], err)
			}
		}
		off, ok := refZone(m[3])
		if !ok {
			t.Fatalf("%q: accepted, but its zone %q is malformed", s, m[3])
		}
		want := new(big.Int).Mul(big.NewInt(d.Days()), big.NewInt(86_400_000_000))
		want.Add(want, big.NewInt(clock.Micros()))
		want.Sub(want, big.NewInt(off*1e6))
		if !want.IsInt64() || want.Int64() != ts.UnixMicro() {
			t.Fatalf("%q: got %d µs, want %s", s, ts.UnixMicro(), want)
		}
		if ts.IsInstant() != (m[3] != "") {
			t.Fatalf("%q: instant %v, zone %q", s, ts.IsInstant(), m[3])
		}
		// For four-digit years, time.Parse agrees.
		if len(m[1]) == 10 && m[2] != "" && !strings.HasPrefix(m[2], "24") && len(m[2]) <= 17 {
			clk := m[2]
			if len(clk) == 5 {
				clk += ":00"
			}
			zone := "Z"
			if off != 0 {
				sign, a := "+", off
				if a < 0 {
					sign, a = "-", -a
				}
				zone = sign + twoDigits(a/3600) + ":" + twoDigits(a/60%60) + ":" + twoDigits(a%60)
			}
			in := m[1] + "T" + clk + zone
			tt, err := time.Parse("2006-01-02T15:04:05.999999999Z07:00:00", in)
			if err != nil {
				t.Fatalf("%q: time.Parse(%q): %v", s, in, err)
			}
			if got := ts.Time(); !got.Equal(tt) {
				t.Fatalf("%q: got %s, time.Parse(%q) says %s", s, got, in, tt)
			}
		}
	})
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// decimalGrammar is the documented grammar of a finite decimal.
var decimalGrammar = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE]([+-]?[0-9]+))?$`)

// canonicalDecimal is the canonical form of a finite decimal.
var canonicalDecimal = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// refScale returns the scale the canonical form of s keeps: the fraction
// digits less the exponent, at least 0.
func refScale(s string) int64 {
	m := decimalGrammar.FindStringSubmatch(s)
	frac := 0
	if dot := strings.IndexByte(m[1], '.'); dot >= 0 {
		frac = len(m[1]) - dot - 1
	}
	exp, _ := strconv.ParseInt(m[3], 10, 64)
	return max(int64(frac)-exp, 0)
}

func FuzzDecimal(f *testing.F) {
	for _, s := range []string{
		"0", "-0", "-0.000", "1.50", "+1.5", ".5", "5.", "-.5e-3", "1e3", "1.23E+5", "1e-5", "00012.3400",
		"1e147455", "1e147456", "1e-147455", "9e99999999999999999999", "NaN", "nan", "-Infinity", "+inf",
		"1.2.3", "1e", "e5", ".", "-", "1_000", "0x10", " 1", "١٢٣",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ds.Decimal(s)
		grammar := decimalGrammar.MatchString(s)
		if err != nil {
			requireNamesInput(t, err, s)
			if grammar {
				// Only an exponent beyond the digit limit may be refused.
				m := decimalGrammar.FindStringSubmatch(s)
				exp, eerr := strconv.ParseInt(m[3], 10, 64)
				if eerr == nil && exp > -100_000 && exp < 100_000 && len(s) < 100_000 {
					t.Fatalf("%q: refused: %v", s, err)
				}
			}
			return
		}
		text, err := v.AsDecimal()
		if err != nil {
			t.Fatalf("%q: AsDecimal: %v", s, err)
		}
		again, err := ds.Decimal(text)
		if err != nil || again.String() != text {
			t.Fatalf("%q: canonical %q is not stable: %v %v", s, text, again, err)
		}
		switch text {
		case "NaN", "Infinity", "-Infinity":
			if grammar {
				t.Fatalf("%q: a number became %s", s, text)
			}
			return
		}
		if !grammar {
			t.Fatalf("%q: accepted as %q, but it is not of the documented form", s, text)
		}
		if !canonicalDecimal.MatchString(text) || strings.HasPrefix(text, "-") && strings.Trim(text, "-0.") == "" {
			t.Fatalf("%q: %q is not canonical", s, text)
		}
		want, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("%q: math/big refuses it", s)
		}
		got, _ := new(big.Rat).SetString(text)
		if got.Cmp(want) != 0 {
			t.Fatalf("%q: got %s, math/big says %s", s, text, want.RatString())
		}
		scale := int64(0)
		if dot := strings.IndexByte(text, '.'); dot >= 0 {
			scale = int64(len(text) - dot - 1)
		}
		if scale != refScale(s) {
			t.Fatalf("%q: %q has scale %d, want %d", s, text, scale, refScale(s))
		}
	})
}

// FuzzConvertString converts a String to every kind: every result converts
// back to a String that converts to the same value, numbers agree with
// math/big, and every failure is a *ConversionError that says why.
func FuzzConvertString(f *testing.F) {
	for _, s := range []string{
		"12", "12.0", "1e3", "-9223372036854775808", "9223372036854775808", "0.1", "0.10000000000000001",
		"1e400", "5e-324", "2e-324", "NaN", "-Infinity", "true", "Off", "2024-02-29", "2024-02-29 10:00:00+08",
		"23:59:59.5", `{"a":[1,2]}`, `"x"`, "", " 1", "1 ",
	} {
		f.Add(s)
	}
	kinds := []ds.Kind{ds.KindBool, ds.KindInt, ds.KindFloat, ds.KindDecimal, ds.KindBytes, ds.KindDate, ds.KindTime, ds.KindTimestamp, ds.KindJSON}
	f.Fuzz(func(t *testing.T, s string) {
		in := ds.String(s)
		for _, k := range kinds {
			v, err := in.Convert(k)
			if err != nil {
				var ce *ds.ConversionError
				if !errors.As(err, &ce) || ce.Err == nil || ce.Err.Error() == "" || ce.To != k {
					t.Fatalf("%q to %s: error %#v is not a ConversionError with a reason", s, k, err)
				}
				if k == ds.KindJSON && json.Valid([]byte(s)) {
					t.Fatalf("%q to JSON: refused valid JSON: %v", s, err)
				}
				continue
			}
			if v.Kind() != k {
				t.Fatalf("%q to %s: got a %s", s, k, v.Kind())
			}
			if k == ds.KindBytes {
				if raw, _ := v.AsBytes(); string(raw) != s {
					t.Fatalf("%q to Bytes: got %q", s, raw)
				}
				continue
			}
			text, err := v.AsString()
			if err != nil {
				t.Fatalf("%q to %s: %s has no string: %v", s, k, v, err)
			}
			back, err := ds.String(text).Convert(k)
			if err != nil || !back.Equal(v) {
				t.Fatalf("%q to %s gives %q, which converts to %v (%v)", s, k, text, back, err)
			}
			checkNumber(t, s, v)
		}
	})
}

// checkNumber checks a number converted from s against math/big.
func checkNumber(t *testing.T, s string, v ds.Value) {
	t.Helper()
	want, ok := new(big.Rat).SetString(s)
	if !ok || !decimalGrammar.MatchString(s) {
		return
	}
	switch v.Kind() {
	case ds.KindInt:
		n, _ := v.AsInt()
		if new(big.Rat).SetInt64(n).Cmp(want) != 0 {
			t.Fatalf("%q to Int: got %d, math/big says %s", s, n, want.RatString())
		}
	case ds.KindFloat:
		x, _ := v.AsFloat()
		if math.IsInf(x, 0) || math.IsNaN(x) {
			t.Fatalf("%q to Float: got %v", s, x)
		}
		// The shortest text of the float is the same number.
		short, _ := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64))
		if short.Cmp(want) != 0 {
			t.Fatalf("%q to Float: got %v, whose shortest text is another number", s, x)
		}
	case ds.KindBool:
		b, _ := v.AsBool()
		if (b && want.Cmp(big.NewRat(1, 1)) != 0) || (!b && want.Sign() != 0) {
			t.Fatalf("%q to Bool: got %v", s, b)
		}
	}
}

// Regression tests of what the fuzz targets found.

func TestParseTimestampRefusesYearsPastTheRange(t *testing.T) {
	for _, s := range []string{
		"+999999999-12-31 23:59:59",        // wrapped around to 1796
		"-999999999-01-01",                 // wrapped around to +171979
		"+294247-01-10 04:00:54.775807",    // the int64 maximum: read as infinity
		"-290308-12-21 19:59:05.224192",    // the int64 minimum: read as -infinity
		"+294247-01-10 04:00:54.775806-01", // in range only before the offset
	} {
		_, err := ds.ParseTimestamp(s)
		if err == nil || !strings.Contains(err.Error(), "out of the range of a timestamp") {
			t.Errorf("%q: got error %v, want out of range", s, err)
		}
	}
	for s, micros := range map[string]int64{
		"+294247-01-10 04:00:54.775806":    math.MaxInt64 - 1,
		"-290308-12-21 19:59:05.224193":    math.MinInt64 + 1,
		"+294247-01-10 06:00:54.775806+02": math.MaxInt64 - 1,
	} {
		ts, err := ds.ParseTimestamp(s)
		if err != nil || ts.UnixMicro() != micros {
			t.Errorf("%q: got %d (%v), want %d", s, ts.UnixMicro(), err, micros)
		}
	}
}

func TestConvertDateToTimestampRefusesDatesPastTheRange(t *testing.T) {
	for _, days := range []int64{106_751_992, -106_751_992, 1 << 40} {
		_, err := ds.DateValue(ds.DateFromDays(days)).Convert(ds.KindTimestamp)
		if err == nil {
			t.Errorf("%d days: converted to a timestamp that wrapped around", days)
		}
	}
	v, err := ds.DateValue(ds.DateFromDays(-106_751_991)).Convert(ds.KindTimestamp)
	if ts, _ := v.AsTimestamp(); err != nil || ts.UnixMicro() != -106_751_991*86_400_000_000 {
		t.Errorf("the earliest whole day: %v %v", v, err)
	}
}

func TestParseTimestampZoneGrammar(t *testing.T) {
	for _, s := range []string{
		"2024-02-29 12:00:00+0:800", "2024-02-29 12:00:00+08:", "2024-02-29 12:00:00+:0800",
		"2024-02-29 12:00:00+08:0000", "2024-02-29 12:00:00+0800:00", "2024-02-29 12:00:00 ",
	} {
		if ts, err := ds.ParseTimestamp(s); err == nil {
			t.Errorf("%q: accepted as %s", s, ts)
		}
	}
	for s, want := range map[string]string{
		"2024-02-29 12:00:00+08":       "2024-02-29 04:00:00Z",
		"2024-02-29 12:00:00+0830":     "2024-02-29 03:30:00Z",
		"2024-02-29 12:00:00 +08:30":   "2024-02-29 03:30:00Z",
		"2024-02-29 12:00:00-083015":   "2024-02-29 20:30:15Z",
		"2024-02-29 12:00:00-08:30:15": "2024-02-29 20:30:15Z",
		"2024-02-29 12:00:00 UTC":      "2024-02-29 12:00:00Z",
	} {
		ts, err := ds.ParseTimestamp(s)
		if err != nil || ts.String() != want {
			t.Errorf("%q: got %s (%v), want %s", s, ts, err, want)
		}
	}
}
