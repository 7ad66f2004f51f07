package datasync

import (
	"errors"
	"strconv"
	"strings"
)

// Decimal values are kept as canonical text, never as float64, so that any
// number of digits survives (MySQL's DECIMAL(65,30), PostgreSQL's numeric with
// a thousand digits). The canonical form is:
//
//	[-]digits[.digits]    no '+', no exponent, no leading zeros before the point
//	                      (one "0" at least), the scale (digits after the point)
//	                      as given, and never "-0"
//	NaN | Infinity | -Infinity
//
// "1.50" and "1.5" are different canonical texts of the same number: the scale
// is kept because DECIMAL(18,4) columns show it.

// maxDecimalDigits bounds what an exponent may expand to (PostgreSQL's numeric
// allows 131,072 digits before the point and 16,383 after).
const maxDecimalDigits = 147_455

var errNotDecimal = errors.New("not a decimal number")

// isCanonicalDecimal reports whether s is already in canonical form, the
// common case for text coming from a database, which then needs no copy.
func isCanonicalDecimal[T string | []byte](s T) bool {
	i := 0
	if len(s) > 0 && s[0] == '-' {
		i = 1
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intDigits := i - start
	if intDigits == 0 || (intDigits > 1 && s[start] == '0') {
		return false
	}
	nonZero := false
	for j := start; j < i; j++ {
		if s[j] != '0' {
			nonZero = true
			break
		}
	}
	if i < len(s) {
		if s[i] != '.' || i+1 == len(s) {
			return false
		}
		for i++; i < len(s); i++ {
			if !isDigit(s[i]) {
				return false
			}
			if s[i] != '0' {
				nonZero = true
			}
		}
	}
	return start == 0 || nonZero // "-0.00" is not canonical
}

// appendDecimal appends the canonical form of s to dst, or fails with
// errNotDecimal. It accepts an optional sign, digits with an optional point,
// an optional exponent, and NaN / Infinity / Inf in any case.
func appendDecimal[T string | []byte](dst []byte, s T) ([]byte, error) {
	if isCanonicalDecimal(s) {
		return append(dst, s...), nil
	}
	if special, ok := decimalSpecial(string(s)); ok {
		return append(dst, special...), nil
	}
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := string(s[intStart:i])
	fracPart := ""
	if i < len(s) && s[i] == '.' {
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		fracPart = string(s[fracStart:i])
	}
	if intPart == "" && fracPart == "" {
		return dst, errNotDecimal
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		e, err := strconv.Atoi(string(s[i+1:]))
		if err != nil || e > maxDecimalDigits || e < -maxDecimalDigits {
			return dst, errNotDecimal
		}
		exp = e
		i = len(s)
	}
	if i != len(s) {
		return dst, errNotDecimal
	}
	// Move the point by the exponent: digits = intPart+fracPart, point after
	// len(intPart)+exp digits. The scale becomes max(len(frac)-exp, 0).
	digits := intPart + fracPart
	point := len(intPart) + exp
	scale := len(fracPart) - exp
	if scale < 0 {
		scale = 0
	}
	if point+scale > maxDecimalDigits {
		return dst, errNotDecimal
	}
	var b strings.Builder
	switch {
	case point <= 0:
		b.WriteString("0")
		if scale > 0 {
			b.WriteByte('.')
			b.WriteString(strings.Repeat("0", -point))
			b.WriteString(digits)
			b.WriteString(strings.Repeat("0", scale-(-point)-len(digits)))
		}
	case point >= len(digits):
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", point-len(digits)))
		if scale > 0 {
			b.WriteByte('.')
			b.WriteString(strings.Repeat("0", scale))
		}
	default:
		b.WriteString(digits[:point])
		b.WriteByte('.')
		b.WriteString(digits[point:])
	}
	text := strings.TrimLeft(b.String(), "0")
	if text == "" || text[0] == '.' {
		text = "0" + text
	}
	if neg && strings.ContainsFunc(text, func(r rune) bool { return r >= '1' && r <= '9' }) {
		dst = append(dst, '-')
	}
	return append(dst, text...), nil
}

func decimalSpecial(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "nan":
		return "NaN", true
	case "infinity", "+infinity", "inf", "+inf":
		return "Infinity", true
	case "-infinity", "-inf":
		return "-Infinity", true
	}
	return "", false
}

// decimalTrimmed returns canonical decimal text without trailing fractional
// zeros (and without a bare point): the form in which equal numbers are equal
// strings.
func decimalTrimmed(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// decimalIsIntegral reports whether canonical decimal text has no non-zero
// fractional digit (and is finite).
func decimalIsIntegral(s string) bool {
	if s == "NaN" || s == "Infinity" || s == "-Infinity" {
		return false
	}
	dot := strings.IndexByte(s, '.')
	return dot < 0 || strings.Trim(s[dot+1:], "0") == ""
}

// decimalInt64 returns canonical decimal text as an int64, failing when it has
// a fraction or does not fit.
func decimalInt64(s string) (int64, error) {
	if !decimalIsIntegral(s) {
		return 0, errors.New("has a fractional part")
	}
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		s = s[:dot]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errors.New("out of the range of a 64-bit integer")
	}
	return n, nil
}
