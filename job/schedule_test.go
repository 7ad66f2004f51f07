package job

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fill(t *testing.T, o Options, text string) (string, error) {
	t.Helper()
	out, err := substitute([]byte(text), o.filler())
	return string(out), err
}

func TestSchedulingParameters(t *testing.T) {
	run := Options{RunDate: time.Date(2026, 3, 1, 2, 30, 15, 0, time.UTC)}
	for _, c := range []struct{ in, want string }{
		{"${bizdate}", "20260228"},
		{"$bizdate", "20260228"},
		{"x/$bizdate/y", "x/20260228/y"},
		{"$bizdates", "$bizdates"},
		{"${yyyymmdd}", "20260228"},
		{"${yyyymmdd-1}", "20260227"},
		{"${yyyymmdd+1}", "20260301"},
		{"${yyyy-mm-dd}", "2026-02-28"},
		{"${yyyy-mm-dd-1}", "2026-02-27"},
		{"${yyyymmdd-7*1}", "20260221"},
		{"${yyyymm-1}", "202601"},
		{"${yyyy-1}", "2025"},
		{"${yymmdd}", "260228"},
		{"$[yyyymmdd]", "20260301"},
		{"$[yyyymmdd-1]", "20260228"},
		{"$[yyyy-mm-dd]", "2026-03-01"},
		{"$[hh24miss]", "023015"},
		{"$[yyyymmddhh24miss]", "20260301023015"},
		{"$[yyyymmdd-7]", "20260222"},
		{"$[yyyymmdd+7*2]", "20260315"},
		{"$[add_months(yyyymmdd,-1)]", "20260201"},
		{"$[add_months(yyyymmdd,-12*1)]", "20250301"},
		{"$[yyyymmdd-1/24]", "20260301"},
		{"$[hh24miss-1/24]", "013015"},
		{"$[yyyymmddhh24mi-3/24]", "202602282330"},
		{"$[hh24miss-30/24/60]", "020015"},
		{"$cyctime", "20260301023015"},
		{"$gmtdate", "20260301"},
		{"$bizmonth", "202602"},
		{`{"update": {"items.$[].n": 1, "items.$[elem].m": 2}}`, `{"update": {"items.$[].n": 1, "items.$[elem].m": 2}}`},
		{"$$[yyyymmdd] $${bizdate} $$bizdate", "$[yyyymmdd] ${bizdate} $bizdate"},
	} {
		got, err := fill(t, run, c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}

	// add_months keeps to the end of a shorter month; bizmonth is the last
	// whole month.
	got, err := fill(t, Options{RunDate: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}, "$[add_months(yyyymmdd,-1)] $bizmonth")
	require.NoError(t, err)
	assert.Equal(t, "20260228 202602", got)

	// -p values win, and a -p value may itself be an expression.
	withVars := run
	withVars.Vars = map[string]string{"bizdate": "20200101", "dt": "$[yyyymmdd-2]", "pt": "${yyyymmdd}", "plain": "$[x"}
	got, err = fill(t, withVars, "${bizdate} $bizdate ${dt} ${pt} ${plain}")
	require.NoError(t, err)
	assert.Equal(t, "20200101 20200101 20260227 20260228 $[x", got)

	// The zero run date is now, in the local time zone.
	got, err = fill(t, Options{}, "${bizdate}")
	require.NoError(t, err)
	assert.Equal(t, time.Now().AddDate(0, 0, -1).Format("20060102"), got)

	_, err = fill(t, run, "\"${yyyymmdd-1/24}\"\n${hh24miss}\n$[yyyymmdd-x]\n$[add_months(yyyymmXX,1)]")
	require.Error(t, err)
	assert.ErrorContains(t, err, "${yyyymmdd-1/24} on line 1: hours and minutes (/24, /24/60) need $[...]")
	assert.ErrorContains(t, err, "${hh24miss} on line 2: ${...} is the business date, to the day; use $[hh24miss]")
	assert.ErrorContains(t, err, "$[yyyymmdd-x] on line 3 is not a time expression")
	assert.ErrorContains(t, err, `$[add_months(yyyymmXX,1)] on line 4: "yyyymmXX" is not a date format`)
}
