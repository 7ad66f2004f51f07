// Package checksum verifies that a target holds exactly the source's rows. It
// renders every value in one canonical text per column kind, whatever system
// produced it (PostgreSQL's and MySQL's text protocols, CSV and tab-separated
// files, datasync values), hashes each row, and adds the row hashes up, so
// that the result does not depend on row order but changes when a row is
// missing, duplicated or altered.
package checksum

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/datasync-go/datasync"
)

// Canonical appends to dst the canonical text of a non-NULL value of kind
// given as text, in any of the forms the supported systems write it:
//
//	Int        decimal digits, no sign for positives, no leading zeros
//	Float      shortest text that parses back to the same float64 ("0.1", "1e+21", "NaN", "+Inf")
//	Decimal    no leading zeros, no trailing fractional zeros ("12.5000" and "12.5" are "12.5"; "-0.0" is "0")
//	Bool       1 or 0, from 1/0, t/f, true/false, y/n, yes/no, on/off in any case
//	Timestamp  "YYYY-MM-DD HH:MM:SS.ffffff", always six digits; a value with a zone ("Z", "+08") is moved to UTC
//	Date       "YYYY-MM-DD"
//	others     the text unchanged (String, Bytes, Time, JSON)
//
// Text that is not a valid value of kind is an error, never silently
// accepted: verification must fail on it.
func Canonical(dst []byte, kind datasync.Kind, text []byte) ([]byte, error) {
	switch kind {
	case datasync.KindInt:
		i, err := strconv.ParseInt(string(text), 10, 64)
		if err != nil {
			return dst, fmt.Errorf("invalid integer %q", text)
		}
		return strconv.AppendInt(dst, i, 10), nil
	case datasync.KindFloat:
		f, err := strconv.ParseFloat(string(text), 64)
		if err != nil {
			return dst, fmt.Errorf("invalid float %q", text)
		}
		return strconv.AppendFloat(dst, f, 'g', -1, 64), nil
	case datasync.KindDecimal:
		return appendDecimal(dst, text)
	case datasync.KindBool:
		return appendBool(dst, text)
	case datasync.KindTimestamp:
		return appendTimestamp(dst, text)
	case datasync.KindDate:
		t, err := time.Parse(time.DateOnly, string(text))
		if err != nil {
			return dst, fmt.Errorf("invalid date %q", text)
		}
		return t.AppendFormat(dst, time.DateOnly), nil
	}
	return append(dst, text...), nil
}

// appendDecimal normalizes [+-]digits[.digits]. Exponents are refused rather
// than guessed at: no supported system writes a decimal(18,4) with one.
func appendDecimal(dst, text []byte) ([]byte, error) {
	bad := func() ([]byte, error) { return dst, fmt.Errorf("invalid decimal %q", text) }
	s := text
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	whole, frac, _ := bytes.Cut(s, []byte{'.'})
	if len(whole) == 0 && len(frac) == 0 {
		return bad() // "", "-", "."
	}
	if !allDigits(whole) || !allDigits(frac) {
		return bad()
	}
	whole = bytes.TrimLeft(whole, "0")
	frac = bytes.TrimRight(frac, "0")
	if len(whole) == 0 && len(frac) == 0 {
		return append(dst, '0'), nil // -0 and 0.0000 are 0
	}
	if neg {
		dst = append(dst, '-')
	}
	if len(whole) == 0 {
		dst = append(dst, '0')
	}
	dst = append(dst, whole...)
	if len(frac) > 0 {
		dst = append(dst, '.')
		dst = append(dst, frac...)
	}
	return dst, nil
}

func allDigits(s []byte) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func appendBool(dst, text []byte) ([]byte, error) {
	switch string(bytes.ToLower(text)) {
	case "1", "t", "true", "y", "yes", "on":
		return append(dst, '1'), nil
	case "0", "f", "false", "n", "no", "off":
		return append(dst, '0'), nil
	}
	return dst, fmt.Errorf("invalid boolean %q", text)
}

// timestampLayouts are tried in order; ".999999999" makes the fraction
// optional and of any length. "T" separators are turned into spaces first.
var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999 Z07",
	time.DateOnly,
}

var errSubMicro = errors.New("has a fraction finer than microseconds")

func appendTimestamp(dst, text []byte) ([]byte, error) {
	s := string(text)
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10] + " " + s[11:]
	}
	for _, layout := range timestampLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t = t.UTC()
		if t.Nanosecond()%1000 != 0 {
			return dst, fmt.Errorf("timestamp %q %w", text, errSubMicro)
		}
		return t.AppendFormat(dst, "2006-01-02 15:04:05.000000"), nil
	}
	return dst, fmt.Errorf("invalid timestamp %q", text)
}
