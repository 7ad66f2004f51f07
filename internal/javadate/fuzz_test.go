package javadate_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/datasync-go/datasync/internal/javadate"
)

// FuzzLayout compiles any pattern and parses any text with it: errors name
// the pattern; a text that parses formats back to text that parses, and
// from there format and parse are stable.
func FuzzLayout(f *testing.F) {
	for _, s := range [][2]string{
		{"yyyy-MM-dd HH:mm:ss", "2024-02-29 23:59:59"}, {"yyyyMMddHHmmss", "20240229235959"},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-02-29T23:59:59.123+08:00"}, {"dd/MM/yyyy", "29/02/2024"},
		{"yyyy-M-d H:m:s", "2024-2-9 3:4:5"}, {"HH:mm", "24:00"}, {"yyyy", "-0044"}, {"''yyyy''", "'2024'"},
		{"yyyy-MM-dd X", "2024-02-29 Z"}, {"yyyy.MM.dd HH:mm:ss.SSSSSSSSS", "2024-02-29 00:00:00.123456000"},
		{"yyyy-MM-ddXX", "2024-02-29+0800"}, {"yy-MM-dd", "24-02-29"}, {"MMM", "Feb"}, {"'unterminated", "x"},
		{"EEE, d MMM yyyy hh:mm:ss a zzzz", "Thu, 29 Feb 2024 11:59:59 PM Coordinated Universal Time"},
		{"G yyyy DDD u", "BC 0044 074 5"}, {"K:mm a, z", "0:08 PM, GMT-07:00"}, {"kk:mm Z", "24:00 +0530"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		l, err := javadate.Compile(pattern)
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(pattern)) {
				t.Fatalf("pattern %q: error %q does not name it", pattern, err)
			}
			return
		}
		p, err := l.Parse([]byte(text))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if ambiguous(l, p) {
			return // what such a pattern writes need not read back (see ambiguous)
		}
		out := l.Format(nil, p)
		p2, err := l.Parse(out)
		if err != nil {
			t.Fatalf("pattern %q: %q reads as %+v, formats as %q, which does not read: %v", pattern, text, p, out, err)
		}
		out2 := l.Format(nil, p2)
		p3, err := l.Parse(out2)
		if err != nil {
			t.Fatalf("pattern %q: %q formats as %q, which does not read: %v", pattern, out, out2, err)
		}
		if out3 := l.Format(nil, p3); string(out3) != string(out2) {
			t.Fatalf("pattern %q: %q -> %q -> %q: not stable", pattern, out, out2, out3)
		}
	})
}

// ambiguous reports the formatted texts no reader can take apart: a number
// that may be wider than its letters directly followed by another number
// ("yM" writes 20242 for 2024-02), and a negative year written where no
// sign is expected.
func ambiguous(l *javadate.Layout, p javadate.Fields) bool {
	return l.AbutsWideNumber() || p.Year <= 0 || p.Hour == 24
}

// FuzzRoundTrip formats valid fields with patterns that write all of them
// and reads them back unchanged.
func FuzzRoundTrip(f *testing.F) {
	f.Add(int64(2024), 2, 29, 23, 59, 59, 123456, 3600*5+1800, uint8(0))
	f.Add(int64(1), 1, 1, 0, 0, 0, 0, -12*3600, uint8(3))
	f.Fuzz(func(t *testing.T, year int64, month, day, hour, minute, second, micros, offset int, which uint8) {
		patterns := []string{
			"yyyy-MM-dd HH:mm:ss.SSSSSSXXX", "yyyyMMddHHmmssSSSSSSZ", "EEEE, d MMMM yyyy hh:mm:ss.SSSSSS a z",
			"G yyyy-DDD kk:mm:ss.SSSSSS XX", "dd MMM yyyy KK:mm:ss.SSSSSS aa zzzz", "u EEE yyyy/M/d H:m:s.SSSSSS X",
		}
		pattern := patterns[int(which)%len(patterns)]
		fl := javadate.Fields{Year: 1 + abs(year)%9999, Month: 1 + abs(month)%12, Hour: abs(hour) % 24, Minute: abs(minute) % 60,
			Second: abs(second) % 60, Micros: abs(micros) % 1_000_000, Offset: (offset % (18 * 3600)) / 60 * 60}
		fl.Day = 1 + abs(day)%28
		if strings.HasSuffix(pattern, " X") {
			fl.Offset = fl.Offset / 3600 * 3600 // X writes hours only
		}
		l, err := javadate.Compile(pattern)
		if err != nil {
			t.Fatal(err)
		}
		out := l.Format(nil, fl)
		got, err := l.Parse(out)
		if err != nil {
			t.Fatalf("%q: %+v formats as %q, which does not read: %v", pattern, fl, out, err)
		}
		fl.HasZone = true
		if got != fl {
			t.Fatalf("%q: %+v formats as %q, which reads as %+v", pattern, fl, out, got)
		}
	})
}

func abs[T int | int64](v T) T {
	if v < 0 {
		if -v < 0 {
			return 0
		}
		return -v
	}
	return v
}
