package transform

import (
	"unicode/utf8"
)

// Java strings count UTF-16 code units; these helpers index Go strings the
// same way without converting them.

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n += units(r)
	}
	return n
}

func units(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}

// appendUTF16Slice appends the characters of s from unit from to unit to
// (Java's s.substring(from, to)); 0 <= from <= to <= utf16Len(s). A
// character cut in half gives U+FFFD.
func appendUTF16Slice(dst []byte, s string, from, to int) []byte {
	u := 0
	for i := 0; i < len(s) && u < to; {
		c := s[i]
		if c < utf8.RuneSelf {
			if u >= from {
				dst = append(dst, c)
			}
			u++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n := units(r)
		switch {
		case u >= from && u+n <= to:
			dst = append(dst, s[i:i+size]...)
		case u+n > from: // partly inside: one half of a surrogate pair
			dst = utf8.AppendRune(dst, utf8.RuneError)
		}
		u += n
		i += size
	}
	return dst
}

// compareUTF16 compares a and b as Java's String.compareTo does, by UTF-16
// code units; it returns its sign.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := firstUnit(ra), firstUnit(rb)
			if ua != ub {
				return sign(ua - ub)
			}
			return sign(int(ra) - int(rb)) // same high surrogate: the low ones order as the runes do
		}
		a, b = a[na:], b[nb:]
	}
	return sign(len(a) - len(b))
}

func firstUnit(r rune) int {
	if units(r) == 2 {
		return 0xD800 + int((r-0x10000)>>10)
	}
	return int(r)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
