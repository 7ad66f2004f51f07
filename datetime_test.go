package datasync_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ds "github.com/datasync-go/datasync"
)

func TestDateAgreesWithTimePackage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		want := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(3652059))
		d := ds.DateOf(want.Year(), want.Month(), want.Day())
		require.Equal(t, want, d.Time())
		require.Equal(t, want.Unix()/86400, d.Days())
		require.Equal(t, want.Format("2006-01-02"), d.String())
		back, err := ds.ParseDate(d.String())
		require.NoError(t, err)
		require.Equal(t, d, back)
	}
}

func TestDateEdges(t *testing.T) {
	assert.Equal(t, "0001-01-01", ds.DateOf(1, 1, 1).String())
	assert.Equal(t, "9999-12-31", ds.DateOf(9999, 12, 31).String())
	assert.Equal(t, "-0001-03-01", ds.DateOf(-1, 3, 1).String())
	assert.Equal(t, "+10000-01-01", ds.DateOf(10000, 1, 1).String())
	assert.Equal(t, "2024-03-01", ds.DateOf(2024, 2, 30).String(), "normalized like time.Date")
	assert.Equal(t, "2025-01-31", ds.DateOf(2024, 13, 31).String())
	assert.Equal(t, "1970-01-01", ds.Date{}.String())
	assert.Equal(t, "infinity", ds.DateFromDays(math.MaxInt64).String())
	assert.Equal(t, -1, ds.DateFromDays(math.MinInt64).Infinite())
	for _, s := range []string{"+10000-01-01", "-0001-03-01", "infinity", "-infinity", "2000-02-29"} {
		d, err := ds.ParseDate(s)
		require.NoError(t, err, s)
		assert.Equal(t, s, d.String())
	}
	for _, s := range []string{"", "2024-1-01", "2024-13-01", "2024-00-10", "0000-00-00", "2024-02-30", "1900-02-29", "2024-01-01x", "20240101", "12345-01-01"} {
		_, err := ds.ParseDate(s)
		assert.Error(t, err, s)
	}
}

func TestTimeOfDay(t *testing.T) {
	cases := map[string]ds.TimeOfDay{
		"00:00:00":         0,
		"13:04:05.5":       ds.TimeOfDayOf(13, 4, 5, 500000),
		"23:59:59.999999":  ds.TimeOfDayOf(23, 59, 59, 999999),
		"24:00:00":         ds.TimeOfDayOf(24, 0, 0, 0),
		"838:59:59":        ds.TimeOfDayOf(838, 59, 59, 0),
		"-01:00:00.000001": -ds.TimeOfDayOf(1, 0, 0, 1),
	}
	for text, want := range cases {
		got, err := ds.ParseTimeOfDay(text)
		require.NoError(t, err, text)
		assert.Equal(t, want, got, text)
		assert.Equal(t, text, want.String())
	}
	got, err := ds.ParseTimeOfDay("01:02")
	require.NoError(t, err)
	assert.Equal(t, ds.TimeOfDayOf(1, 2, 0, 0), got)
	got, err = ds.ParseTimeOfDay("01:02:03.123456000")
	require.NoError(t, err, "zeros past microseconds lose nothing")
	assert.Equal(t, ds.TimeOfDayOf(1, 2, 3, 123456), got)
	for _, s := range []string{"", "1", "01:60:00", "01:00:60", "01:00:00.1234567", "01:00:00.", "aa:00:00", "01:00:00 "} {
		_, err := ds.ParseTimeOfDay(s)
		assert.Error(t, err, s)
	}
}

func TestTimestampIgnoresTheLocalZone(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		shanghai = time.FixedZone("CST", 8*3600)
	}
	var results []string
	for _, loc := range []*time.Location{time.UTC, shanghai, time.FixedZone("X", -11*3600)} {
		time.Local = loc
		ts, err := ds.ParseTimestamp("2024-03-01 13:04:05.123456")
		require.NoError(t, err)
		d, err := ds.ParseDate("2024-03-01")
		require.NoError(t, err)
		results = append(results, ts.String()+" "+ts.Time().String()+" "+d.Time().String())
	}
	assert.Equal(t, results[0], results[1])
	assert.Equal(t, results[0], results[2])
}

func TestTimestamp(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	local := time.Date(2024, 3, 1, 13, 4, 5, 123456789, shanghai)

	instant := ds.InstantOf(local)
	assert.True(t, instant.IsInstant())
	assert.Equal(t, "2024-03-01 05:04:05.123456Z", instant.String(), "instants print in UTC, truncated to µs")
	assert.Equal(t, local.Truncate(time.Microsecond).UTC(), instant.Time())

	wallClock := ds.WallClockOf(local)
	assert.False(t, wallClock.IsInstant())
	assert.Equal(t, "2024-03-01 13:04:05.123456", wallClock.String(), "wall clocks keep the reading, not the zone")
	assert.Equal(t, ds.DateOf(2024, 3, 1), wallClock.Date())
	assert.Equal(t, ds.TimeOfDayOf(13, 4, 5, 123456), wallClock.TimeOfDay())
	assert.Equal(t, wallClock, ds.TimestampOf(wallClock.Date(), wallClock.TimeOfDay()))
	assert.False(t, ds.TimestampValue(instant).Equal(ds.TimestampValue(instant.AsWallClock())))

	cases := map[string]string{
		"2024-03-01":                       "2024-03-01 00:00:00",
		"2024-03-01T13:04:05":              "2024-03-01 13:04:05",
		"2024-03-01 13:04:05.000001":       "2024-03-01 13:04:05.000001",
		"2024-03-01 13:04:05Z":             "2024-03-01 13:04:05Z",
		"2024-03-01 13:04:05+08":           "2024-03-01 05:04:05Z",
		"2024-03-01 13:04:05.5+0530":       "2024-03-01 07:34:05.5Z",
		"2024-03-01 01:04:05-03:00":        "2024-03-01 04:04:05Z",
		"1970-01-01 00:00:00 UTC":          "1970-01-01 00:00:00Z",
		"0001-01-01 00:00:00":              "0001-01-01 00:00:00",
		"9999-12-31 23:59:59.999999":       "9999-12-31 23:59:59.999999",
		"1969-12-31 23:59:59.999999Z":      "1969-12-31 23:59:59.999999Z",
		"-infinity":                        "-infinity",
		"2024-03-01 13:04:05.123456000+00": "2024-03-01 13:04:05.123456Z",
	}
	for in, want := range cases {
		ts, err := ds.ParseTimestamp(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, ts.String(), in)
		back, err := ds.ParseTimestamp(ts.String())
		require.NoError(t, err, ts.String())
		assert.Equal(t, ts, back, "round trip of %s", in)
	}
	for _, s := range []string{"2024-03-01 24:00:01", "2024-03-01 13:04:05.1234567", "2024-03-01X13:04:05", "2024-03-01 13:04:05+16", "2024-03-01 13:04:05 +0", "2024-03-01 1:04:05"} {
		_, err := ds.ParseTimestamp(s)
		assert.Error(t, err, s)
	}
	ts, err := ds.ParseTimestamp("2024-03-01 13:04")
	require.NoError(t, err, "seconds are optional")
	assert.Equal(t, "2024-03-01 13:04:00", ts.String())
}

func TestDecimalCanonicalForm(t *testing.T) {
	cases := map[string]string{
		"0":         "0",
		"-0":        "0",
		"-0.00":     "0.00",
		"+12.50":    "12.50",
		"0012.50":   "12.50",
		".5":        "0.5",
		"5.":        "5",
		"-.5":       "-0.5",
		"1e3":       "1000",
		"1.5e1":     "15",
		"1.50e1":    "15.0",
		"150e-1":    "15.0",
		"1.5E-3":    "0.0015",
		"-0e-2":     "0.00",
		"nan":       "NaN",
		"inf":       "Infinity",
		"-Infinity": "-Infinity",
		"99999999999999999999999999999999999.999999999999999999999999999999": "99999999999999999999999999999999999.999999999999999999999999999999",
	}
	for in, want := range cases {
		v, err := ds.Decimal(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, v.String(), in)
	}
	for _, in := range []string{"", "-", ".", "e3", "1e", "1.2.3", "1,5", " 1", "1 ", "0x10", "1e999999", "--1"} {
		_, err := ds.Decimal(in)
		assert.Error(t, err, in)
	}
	thousand := "-" + strings.Repeat("1234567890", 100) + "." + strings.Repeat("9876543210", 100)
	v, err := ds.Decimal(thousand)
	require.NoError(t, err)
	assert.Equal(t, thousand, v.String(), "a 2000-digit decimal is kept exactly")
}
