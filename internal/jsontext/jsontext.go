// Package jsontext writes JSON strings, for the datasync package and its
// connectors alike.
package jsontext

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string, quoted and escaped: quote,
// backslash and control characters (and DEL) are escaped, other text is
// copied as it is. Bytes that are not UTF-8 become U+FFFD; valid reports
// whether there were none.
func AppendString(dst []byte, s string) (out []byte, valid bool) {
	if utf8.ValidString(s) {
		return appendEscaped(dst, s), true
	}
	return appendReplacing(dst, s), false
}

// AppendBytes is AppendString for text held in a byte slice.
func AppendBytes(dst, s []byte) (out []byte, valid bool) {
	if utf8.Valid(s) {
		return appendEscaped(dst, s), true
	}
	return appendReplacing(dst, s), false
}

// appendEscaped writes s, valid UTF-8, copying the runs that need no
// escape at once.
func appendEscaped[S ~string | ~[]byte](dst []byte, s S) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = appendEscape(dst, c)
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendReplacing writes s, which is not all UTF-8, rune by rune.
func appendReplacing[S ~string | ~[]byte](dst []byte, s S) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				dst = append(dst, c)
			} else {
				dst = appendEscape(dst, c)
			}
			i++
			continue
		}
		var buf [utf8.UTFMax]byte
		r, size := utf8.DecodeRune(buf[:copy(buf[:], s[i:])])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
