package civil

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// FuzzCivil checks the calendar helpers against the time package (for
// the years it holds) and the fraction text against fmt. Seed corpora are
// under testdata/fuzz.
func FuzzCivil(f *testing.F) {
	f.Add(int64(2024), 2, 29, uint64(500000))
	f.Add(int64(1900), 2, 29, uint64(1))
	f.Add(int64(0), 2, 29, uint64(999999))
	f.Add(int64(-401), 12, 31, uint64(120))
	f.Add(int64(292277026596), 13, 0, uint64(0))
	f.Fuzz(func(t *testing.T, y int64, m, d int, micros uint64) {
		if m >= 1 && m <= 12 {
			n := DaysIn(y, m)
			// time.Date normalizes: the day after the last is the 1st of
			// the next month. Years are reduced modulo 400 (the calendar's
			// period) to stay within time's range.
			ry := int(y%400 + 2000)
			if last := time.Date(ry, time.Month(m), n, 0, 0, 0, 0, time.UTC); last.Month() != time.Month(m) ||
				time.Date(ry, time.Month(m), n+1, 0, 0, 0, 0, time.UTC).Month() == time.Month(m) {
				t.Fatalf("DaysIn(%d, %d) = %d", y, m, n)
			}
			if IsLeap(y) != (DaysIn(y, 2) == 29) || IsLeap(y) != (time.Date(ry, 12, 31, 0, 0, 0, 0, time.UTC).YearDay() == 366) {
				t.Fatalf("IsLeap(%d) = %v", y, IsLeap(y))
			}
		}
		valid := ValidDate(y, m, d)
		if valid != (m >= 1 && m <= 12 && d >= 1 && d <= DaysIn(y, m)) {
			t.Fatalf("ValidDate(%d, %d, %d) = %v", y, m, d, valid)
		}
		micros %= 1_000_000
		got := string(AppendFraction([]byte("x"), micros))
		want := "x"
		if micros != 0 {
			want += strings.TrimRight(fmt.Sprintf(".%06d", micros), "0")
		}
		if got != want {
			t.Fatalf("AppendFraction(%d) = %q, want %q", micros, got, want)
		}
	})
}
