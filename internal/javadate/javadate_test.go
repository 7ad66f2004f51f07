package javadate_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/javadate"
)

var compiledAt = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC) // two-digit years: 1946 to 2045

func compile(t *testing.T, pattern string) *javadate.Layout {
	t.Helper()
	l, err := javadate.CompileAt(pattern, compiledAt)
	require.NoError(t, err, pattern)
	return l
}

// The examples of Java's SimpleDateFormat documentation, for 2001-07-04
// 12:08:56.235 at -07:00; Java's PDT is a named zone, which a fixed offset
// writes as GMT-07:00 (or UTC for offset 0).
func TestJavaDocumentationExamples(t *testing.T) {
	jul4 := javadate.Fields{Year: 2001, Month: 7, Day: 4, Hour: 12, Minute: 8, Second: 56, Micros: 235000, Offset: -7 * 3600}
	utc := jul4
	utc.Offset = 0
	for _, tc := range []struct {
		pattern string
		f       javadate.Fields
		want    string
	}{
		{"yyyy.MM.dd G 'at' HH:mm:ss z", jul4, "2001.07.04 AD at 12:08:56 GMT-07:00"},
		{"yyyy.MM.dd G 'at' HH:mm:ss z", utc, "2001.07.04 AD at 12:08:56 UTC"},
		{"EEE, MMM d, ''yy", jul4, "Wed, Jul 4, '01"},
		{"h:mm a", jul4, "12:08 PM"},
		{"hh 'o''clock' a, zzzz", utc, "12 o'clock PM, Coordinated Universal Time"},
		{"K:mm a, z", jul4, "0:08 PM, GMT-07:00"},
		{"yyyyy.MMMMM.dd GGG hh:mm aaa", jul4, "02001.July.04 AD 12:08 PM"},
		{"EEE, d MMM yyyy HH:mm:ss Z", jul4, "Wed, 4 Jul 2001 12:08:56 -0700"},
		{"yyMMddHHmmssZ", jul4, "010704120856-0700"},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSZ", jul4, "2001-07-04T12:08:56.235-0700"},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", jul4, "2001-07-04T12:08:56.235-07:00"},
		// DataX's own forms.
		{"yyyy-MM-dd HH:mm:ss", jul4, "2001-07-04 12:08:56"},
		{"yyyy-MM-dd", jul4, "2001-07-04"},
		{"yyyyMMdd", jul4, "20010704"},
		{"yyyy/MM/dd hh:mm:ss a", jul4, "2001/07/04 12:08:56 PM"},
		{"dd-MMM-yyyy HH:mm", jul4, "04-Jul-2001 12:08"},
	} {
		l := compile(t, tc.pattern)
		got := string(l.Format(nil, tc.f))
		assert.Equal(t, tc.want, got, tc.pattern)
		back, err := l.Parse([]byte(got))
		require.NoError(t, err, "%s: %q", tc.pattern, got)
		if l.HasDate() {
			assert.Equal(t, tc.f.Year, back.Year, tc.pattern)
			assert.Equal(t, tc.f.Month, back.Month, tc.pattern)
		}
		if l.HasHour() {
			assert.Equal(t, tc.f.Hour, back.Hour, tc.pattern)
		}
		if l.HasZone() {
			assert.True(t, back.HasZone, tc.pattern)
			assert.Equal(t, tc.f.Offset, back.Offset, tc.pattern)
		}
	}
	_, err := javadate.Compile("YYYY-'W'ww-u")
	assert.ErrorContains(t, err, `week-based letter 'Y' is not supported`)
}

func TestFormatLetters(t *testing.T) {
	morning := javadate.Fields{Year: 2024, Month: 2, Day: 9, Hour: 0, Minute: 5, Second: 7, Micros: 5000}
	evening := javadate.Fields{Year: 2024, Month: 12, Day: 31, Hour: 23, Minute: 59, Second: 59, Micros: 123456, Offset: 5*3600 + 1800}
	for _, tc := range []struct {
		pattern string
		f       javadate.Fields
		want    string
	}{
		{"y yy yyy yyyy yyyyy", morning, "2024 24 2024 2024 02024"},
		{"M MM MMM MMMM L", morning, "2 02 Feb February 2"},
		{"d dd D DDD", evening, "31 31 366 366"},
		{"E EE EEE EEEE u", morning, "Fri Fri Fri Friday 5"},
		{"H HH k kk K KK h hh a", morning, "0 00 24 24 0 00 12 12 AM"},
		{"H HH k kk K KK h hh a", evening, "23 23 23 23 11 11 11 11 PM"},
		{"m mm s ss", morning, "5 05 7 07"},
		{"S SS SSS", morning, "5 05 005"},                           // Java's milliseconds
		{"SSSS SSSSSS SSSSSSSSS", evening, "1234 123456 123456000"}, // fraction digits
		{"z zzzz Z X XX XXX", evening, "GMT+05:30 GMT+05:30 +0530 +05 +0530 +05:30"},
		{"z zzzz Z X XX XXX", morning, "UTC Coordinated Universal Time +0000 Z Z Z"},
		{"G yyyy", javadate.Fields{Year: -43, Month: 3, Day: 15}, "BC 0044"},
		{"yyyy-MM-dd", javadate.Fields{Year: -43, Month: 3, Day: 15}, "-0043-03-15"},
		{"'T''s' '' yyyy", morning, "T's ' 2024"},
		{"HH:mm", javadate.Fields{Year: 1970, Month: 1, Day: 1, Hour: 24}, "24:00"},
	} {
		assert.Equal(t, tc.want, string(compile(t, tc.pattern).Format(nil, tc.f)), tc.pattern)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		pattern, text string
		want          javadate.Fields
	}{
		{"yyyy-MM-dd HH:mm:ss", "2024-02-29 23:59:59", javadate.Fields{Year: 2024, Month: 2, Day: 29, Hour: 23, Minute: 59, Second: 59}},
		// The number of letters does not bound a number that is not abutting another.
		{"M/d/yyyy", "12/31/2024", javadate.Fields{Year: 2024, Month: 12, Day: 31}},
		{"MM/dd/yyyy", "1/2/12", javadate.Fields{Year: 12, Month: 1, Day: 2}}, // Java's doc: a year read literally
		{"MM/dd/yy", "01/02/12", javadate.Fields{Year: 2012, Month: 1, Day: 2}},
		{"MM/dd/yy", "01/02/64", javadate.Fields{Year: 1964, Month: 1, Day: 2}},
		{"MM/dd/yy", "01/02/3", javadate.Fields{Year: 3, Month: 1, Day: 2}}, // not two digits: literal
		{"yyyyMMddHHmmss", "20240229235959", javadate.Fields{Year: 2024, Month: 2, Day: 29, Hour: 23, Minute: 59, Second: 59}},
		{"yyyy-MM-dd hh:mm a", "2024-01-01 12:30 AM", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 0, Minute: 30}},
		{"yyyy-MM-dd hh:mm a", "2024-01-01 12:30 pm", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 12, Minute: 30}},
		{"yyyy-MM-dd hh:mm a", "2024-01-01 01:30 PM", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 13, Minute: 30}},
		{"yyyy-MM-dd K:mm a", "2024-01-01 0:30 PM", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 12, Minute: 30}},
		{"yyyy-MM-dd kk:mm", "2024-01-01 24:30", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 0, Minute: 30}},
		{"hh:mm", "03:00", javadate.Fields{Year: 1970, Month: 1, Day: 1, Hour: 3}},     // no a: AM
		{"dd MMM yyyy", "04 JULY 2001", javadate.Fields{Year: 2001, Month: 7, Day: 4}}, // either form, any case
		{"dd MMMM yyyy", "04 jul 2001", javadate.Fields{Year: 2001, Month: 7, Day: 4}},
		{"EEE, d MMM yyyy", "Wednesday, 4 Jul 2001", javadate.Fields{Year: 2001, Month: 7, Day: 4}},
		{"yyyy-DDD", "2024-060", javadate.Fields{Year: 2024, Month: 2, Day: 29}},
		{"HH:mm:ss.SSS", "10:00:00.5", javadate.Fields{Year: 1970, Month: 1, Day: 1, Hour: 10, Micros: 5000}}, // 5 ms, as Java
		{"HH:mm:ss.SSSSSS", "10:00:00.5", javadate.Fields{Year: 1970, Month: 1, Day: 1, Hour: 10, Micros: 500000}},
		{"yyyy-MM-dd'T'HH:mmXXX", "2024-01-01T10:00Z", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 10, HasZone: true}},
		{"yyyy-MM-dd'T'HH:mmXXX", "2024-01-01T10:00-03:30", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 10, Offset: -12600, HasZone: true}},
		{"yyyy-MM-dd HH:mm Z", "2024-01-01 10:00 +0800", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 10, Offset: 28800, HasZone: true}},
		{"yyyy-MM-dd HH:mm z", "2024-01-01 10:00 GMT+8", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 10, Offset: 28800, HasZone: true}},
		{"yyyy-MM-dd HH:mm z", "2024-01-01 10:00 UTC", javadate.Fields{Year: 2024, Month: 1, Day: 1, Hour: 10, HasZone: true}},
		{"G yyyy", "BC 0044", javadate.Fields{Year: -43, Month: 1, Day: 1}},
	} {
		got, err := compile(t, tc.pattern).Parse([]byte(tc.text))
		require.NoError(t, err, "%s: %q", tc.pattern, tc.text)
		assert.Equal(t, tc.want, got, "%s: %q", tc.pattern, tc.text)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ pattern, text, want string }{
		{"yyyy-MM-dd", "2024-13-01", "month 13 is not 1 to 12"},
		{"yyyy-MM-dd", "2023-02-29", "day 29 is out of range for 2023-02"},
		{"HH:mm", "25:00", "hour 25 is not 0 to 23"},
		{"HH:mm", "24:01", "hour 24 is only the end of a day"},
		{"hh:mm a", "13:00 PM", "hour 13 is not 1 to 12"},
		{"mm", "60", "minute 60 is not 0 to 59"},
		{"EEE yyyy-MM-dd", "Mon 2024-01-02", "2024-01-02 is a Tuesday, not a Monday"},
		{"yyyy-MM-dd", "2024-01-01 ", "does not match the pattern"},
		{"yyyy-MM-dd'T'HH:mmXXX", "2024-01-01T10:00", "does not match the pattern"}, // the zone is required
		{"yyyy-MM-dd'T'HH:mmXXX", "2024-01-01T10:00+0800", "does not match the pattern"},
		{"yyyy-MM-dd HH:mm z", "2024-01-01 10:00 PST", "has no time zone"},
		{"HH:mm:ss.SSSSSSSSS", "10:00:00.123456789", "more precision than microseconds"},
		{"yyyyMMdd", "202401", "does not match the pattern"},
		{"yyyyMMdd", "2024-1-01", "does not match the pattern"},
	} {
		_, err := compile(t, tc.pattern).Parse([]byte(tc.text))
		assert.ErrorContains(t, err, tc.want, "%s: %q", tc.pattern, tc.text)
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct{ pattern, want string }{
		{"yyyy-MM-dd'T", `date pattern "yyyy-MM-dd'T": unterminated quote`},
		{"yyyy-MM-dd q", `'q' is not a pattern letter`},
		{"'literal'", "has no pattern letters"},
		{"", "has no pattern letters"},
		{"XXXX", "X can be repeated at most three times"},
		{"ss.SSSSSSSSSS", "at most 9 S"},
		{"yyyy-ww", "week-based letter 'w'"},
	} {
		_, err := javadate.Compile(tc.pattern)
		assert.ErrorContains(t, err, tc.want, tc.pattern)
	}
}

func TestHas(t *testing.T) {
	l := compile(t, "yyyy-MM-dd'T'HH 'o''clock'")
	for _, c := range []byte("yMdH") {
		assert.True(t, l.Has(c), string(c))
	}
	for _, c := range []byte("Tockms") {
		assert.False(t, l.Has(c), string(c))
	}
	assert.True(t, compile(t, "yMd").AbutsWideNumber())
	assert.True(t, compile(t, "yyyyMMdd").AbutsWideNumber())
	assert.False(t, compile(t, "MMddHHmm").AbutsWideNumber())
	assert.False(t, compile(t, "yyyy-M-d").AbutsWideNumber())
}

func TestParseBounds(t *testing.T) {
	_, err := compile(t, "yyyy-MM-dd").Parse([]byte("1000000000-01-01"))
	assert.ErrorContains(t, err, "year 1000000000 is out of range")
	_, err = compile(t, "yyyy-MM-dd").Parse([]byte("99999999999999999999-01-01"))
	assert.ErrorContains(t, err, "too large")
	f, err := compile(t, "ssssssssssssssssssss").Parse([]byte("00000000000000000059"))
	require.NoError(t, err)
	assert.Equal(t, 59, f.Second)
}
