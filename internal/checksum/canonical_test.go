package checksum

import (
	"testing"

	"github.com/datasync-go/datasync"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every spelling of a value that the supported systems produce must give the
// same canonical text.
func TestCanonicalSameValue(t *testing.T) {
	tests := []struct {
		kind  datasync.Kind
		want  string
		forms []string
	}{
		{datasync.KindInt, "-42", []string{"-42", "-042"}},
		{datasync.KindInt, "7", []string{"7", "+7"}},
		{datasync.KindFloat, "142857.14285714287", []string{"142857.14285714287", "1.4285714285714287e+05", "142857.142857142870"}},
		{datasync.KindFloat, "0.1", []string{"0.1", "1e-1", "0.10000000000000001"}}, // 17 digits (PostgreSQL < 12) parse back the same
		{datasync.KindFloat, "NaN", []string{"NaN", "nan"}},
		{datasync.KindFloat, "+Inf", []string{"Infinity", "inf", "+Inf"}},
		{datasync.KindDecimal, "12.5", []string{"12.5", "12.5000", "012.50", "+12.5"}},
		{datasync.KindDecimal, "-0.0001", []string{"-0.0001", "-.0001", "-0.000100"}},
		{datasync.KindDecimal, "0", []string{"0", "0.0000", "-0.0000", "-0", "000"}},
		{datasync.KindDecimal, "100", []string{"100", "100.", "100.0000"}},
		{datasync.KindBool, "1", []string{"1", "t", "true", "TRUE", "y", "yes", "on"}},
		{datasync.KindBool, "0", []string{"0", "f", "false", "False", "n", "no", "off"}},
		{datasync.KindTimestamp, "2024-01-02 03:04:05.100000", []string{
			"2024-01-02 03:04:05.1",        // PostgreSQL trims trailing zeros
			"2024-01-02 03:04:05.100000",   // MySQL DATETIME(6)
			"2024-01-02T03:04:05.1",        // ISO 8601
			"2024-01-02 03:04:05.1Z",       // a datasync instant
			"2024-01-02 05:04:05.1+02",     // PostgreSQL timestamptz
			"2024-01-02T05:04:05.1+02:00",  // RFC 3339
			"2024-01-01 22:04:05.100-0500", // compact offset
		}},
		{datasync.KindTimestamp, "2024-01-02 00:00:00.000000", []string{"2024-01-02 00:00:00", "2024-01-02", "2024-01-02 00:00:00.000000"}},
		{datasync.KindDate, "1950-03-04", []string{"1950-03-04"}},
		{datasync.KindString, "  a\tb\\c ", []string{"  a\tb\\c "}},
	}
	for _, tt := range tests {
		for _, form := range tt.forms {
			got, err := Canonical(nil, tt.kind, []byte(form))
			require.NoError(t, err, "%s %q", tt.kind, form)
			assert.Equal(t, tt.want, string(got), "%s %q", tt.kind, form)
		}
	}
}

// Different values must stay different: canonicalization may not be lenient
// enough to hide an altered value.
func TestCanonicalDifferentValues(t *testing.T) {
	pairs := []struct {
		kind datasync.Kind
		a, b string
	}{
		{datasync.KindInt, "1", "10"},
		{datasync.KindFloat, "0.1", "0.10000000000000002"}, // one ulp apart
		{datasync.KindFloat, "142857.14285714287", "142857.1428571429"},
		{datasync.KindDecimal, "12.5", "12.05"},
		{datasync.KindDecimal, "-1", "1"},
		{datasync.KindDecimal, "1.0001", "1.001"},
		{datasync.KindBool, "t", "f"},
		{datasync.KindTimestamp, "2024-01-02 03:04:05.1", "2024-01-02 03:04:05.01"},
		{datasync.KindTimestamp, "2024-01-02 03:04:05", "2024-01-02 03:04:05+01"},
		{datasync.KindDate, "2024-01-02", "2024-02-01"},
		{datasync.KindString, "a", "a "},
		{datasync.KindString, "é", "e"},
	}
	for _, p := range pairs {
		a, err := Canonical(nil, p.kind, []byte(p.a))
		require.NoError(t, err)
		b, err := Canonical(nil, p.kind, []byte(p.b))
		require.NoError(t, err)
		assert.NotEqual(t, string(a), string(b), "%s %q and %q", p.kind, p.a, p.b)
	}
}

func TestCanonicalRejectsInvalid(t *testing.T) {
	bad := []struct {
		kind datasync.Kind
		text string
	}{
		{datasync.KindInt, ""}, {datasync.KindInt, "1.5"}, {datasync.KindInt, "NULL"}, {datasync.KindInt, "99999999999999999999"},
		{datasync.KindFloat, ""}, {datasync.KindFloat, "abc"},
		{datasync.KindDecimal, ""}, {datasync.KindDecimal, "-"}, {datasync.KindDecimal, "."}, {datasync.KindDecimal, "1e5"}, {datasync.KindDecimal, "1.2.3"}, {datasync.KindDecimal, "NULL"},
		{datasync.KindBool, ""}, {datasync.KindBool, "2"}, {datasync.KindBool, "NULL"},
		{datasync.KindTimestamp, ""}, {datasync.KindTimestamp, "2024-13-01 00:00:00"}, {datasync.KindTimestamp, "2024-01-01 00:00:00.0000001"},
		{datasync.KindDate, "2024-02-30"}, {datasync.KindDate, "02/01/2024"},
	}
	for _, b := range bad {
		_, err := Canonical(nil, b.kind, []byte(b.text))
		assert.Error(t, err, "%s %q", b.kind, b.text)
	}
}
