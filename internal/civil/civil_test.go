package civil

import "testing"

func TestDaysIn(t *testing.T) {
	for _, c := range []struct {
		y    int64
		m, n int
	}{{2024, 2, 29}, {2023, 2, 28}, {1900, 2, 28}, {2000, 2, 29}, {0, 2, 29}, {-100, 2, 28}, {2023, 4, 30}, {2023, 12, 31}} {
		if got := DaysIn(c.y, c.m); got != c.n {
			t.Errorf("DaysIn(%d, %d) = %d, want %d", c.y, c.m, got, c.n)
		}
	}
	if ValidDate(2023, 2, 29) || ValidDate(2024, 13, 1) || ValidDate(2024, 0, 1) || ValidDate(2024, 1, 0) || !ValidDate(2024, 2, 29) {
		t.Error("ValidDate")
	}
}

func TestAppendFraction(t *testing.T) {
	for micros, want := range map[uint64]string{0: "", 1: ".000001", 500000: ".5", 123456: ".123456", 120: ".00012"} {
		if got := string(AppendFraction(nil, micros)); got != want {
			t.Errorf("AppendFraction(%d) = %q, want %q", micros, got, want)
		}
	}
}
