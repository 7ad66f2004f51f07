package postgres

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// PostgreSQL's binary numeric: int16 ndigits, int16 weight, uint16 sign,
// int16 dscale, then ndigits base-10000 digits, the first of which is worth
// 10000^weight. dscale is the number of decimal digits after the point the
// value shows. Everything here works on canonical decimal text (see
// datasync.Decimal) without allocating.

const (
	numericPos    = 0x0000
	numericNeg    = 0x4000
	numericNaN    = 0xC000
	numericPInf   = 0xD000
	numericNInf   = 0xF000
	numericHeader = 8
)

var errNumeric = errors.New("malformed binary numeric")

// appendNumericText appends the canonical text of a binary numeric.
func appendNumericText(dst, src []byte) ([]byte, error) {
	if len(src) < numericHeader {
		return dst, errNumeric
	}
	ndigits := int(int16(binary.BigEndian.Uint16(src)))
	weight := int(int16(binary.BigEndian.Uint16(src[2:])))
	sign := binary.BigEndian.Uint16(src[4:])
	dscale := int(int16(binary.BigEndian.Uint16(src[6:])))
	if ndigits < 0 || dscale < 0 || len(src) != numericHeader+2*ndigits {
		return dst, errNumeric
	}
	digit := func(i int) int {
		if i < 0 || i >= ndigits {
			return 0
		}
		return int(binary.BigEndian.Uint16(src[numericHeader+2*i:]))
	}
	switch sign {
	case numericNaN:
		return append(dst, "NaN"...), nil
	case numericPInf:
		return append(dst, "Infinity"...), nil
	case numericNInf:
		return append(dst, "-Infinity"...), nil
	case numericNeg:
		if ndigits > 0 {
			dst = append(dst, '-')
		}
	case numericPos:
	default:
		return dst, errNumeric
	}
	if weight < 0 || ndigits == 0 {
		dst = append(dst, '0')
	} else {
		for i := 0; i <= weight; i++ {
			d := digit(i)
			if d > 9999 {
				return dst, errNumeric
			}
			if i == 0 {
				dst = strconv.AppendUint(dst, uint64(d), 10)
			} else {
				dst = append4(dst, d)
			}
		}
	}
	if dscale > 0 {
		dst = append(dst, '.')
		for i, written := weight+1, 0; written < dscale; i++ {
			var four [4]byte
			d := digit(i)
			four[0], four[1], four[2], four[3] = byte('0'+d/1000), byte('0'+d/100%10), byte('0'+d/10%10), byte('0'+d%10)
			n := min(4, dscale-written)
			dst = append(dst, four[:n]...)
			written += n
		}
	}
	return dst, nil
}

// numericTextSize returns len(appendNumericText(nil, src)) without building it.
func numericTextSize(src []byte) int {
	if len(src) < numericHeader {
		return 0
	}
	ndigits := int(int16(binary.BigEndian.Uint16(src)))
	weight := int(int16(binary.BigEndian.Uint16(src[2:])))
	sign := binary.BigEndian.Uint16(src[4:])
	dscale := int(int16(binary.BigEndian.Uint16(src[6:])))
	switch sign {
	case numericNaN:
		return 3
	case numericPInf:
		return 8
	case numericNInf:
		return 9
	}
	n := 0
	if sign == numericNeg && ndigits > 0 {
		n++
	}
	if weight < 0 || ndigits == 0 {
		n++
	} else {
		n += 4*weight + countDigits(uint64(binary.BigEndian.Uint16(src[numericHeader:])))
	}
	if dscale > 0 {
		n += 1 + dscale
	}
	return n
}

// appendNumericBinary appends the binary numeric of canonical decimal text s
// (NaN and the infinities included).
func appendNumericBinary[T string | []byte](dst []byte, s T) ([]byte, error) {
	switch string(s) { // no allocation: the compiler compares in place
	case "NaN":
		return appendNumericHeader(dst, 0, 0, numericNaN, 0), nil
	case "Infinity":
		return appendNumericHeader(dst, 0, 0, numericPInf, 0), nil
	case "-Infinity":
		return appendNumericHeader(dst, 0, 0, numericNInf, 0), nil
	}
	sign := uint16(numericPos)
	i := 0
	if len(s) > 0 && s[0] == '-' {
		sign, i = numericNeg, 1
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intEnd := i
	fracStart, fracEnd := i, i
	if i < len(s) && s[i] == '.' {
		fracStart = i + 1
		for i = fracStart; i < len(s) && isDigit(s[i]); i++ {
		}
		fracEnd = i
	}
	if i != len(s) || (intEnd == intStart && fracEnd == fracStart) {
		return dst, fmt.Errorf("%q is not a decimal number", string(s))
	}
	dscale := fracEnd - fracStart
	if dscale > 0x3FFF {
		return dst, fmt.Errorf("%d digits after the point is more than numeric holds", dscale)
	}
	for intStart < intEnd && s[intStart] == '0' {
		intStart++
	}
	nInt := intEnd - intStart
	lead := (4 - nInt%4) % 4
	weight := (nInt+lead)/4 - 1
	if weight > 0x7FFF {
		return dst, fmt.Errorf("%d digits before the point is more than numeric holds", nInt)
	}
	// The digits, left-padded to a group boundary and right-padded to one.
	total := lead + nInt + (fracEnd-fracStart+3)/4*4
	at := func(p int) int {
		p -= lead
		switch {
		case p < 0:
			return 0
		case p < nInt:
			return int(s[intStart+p] - '0')
		}
		p -= nInt
		if p < fracEnd-fracStart {
			return int(s[fracStart+p] - '0')
		}
		return 0
	}
	start := len(dst)
	dst = appendNumericHeader(dst, 0, 0, sign, dscale)
	ndigits := 0
	leading := true
	for p := 0; p < total; p += 4 {
		g := at(p)*1000 + at(p+1)*100 + at(p+2)*10 + at(p+3)
		if leading && g == 0 {
			weight--
			continue
		}
		leading = false
		dst = binary.BigEndian.AppendUint16(dst, uint16(g))
		ndigits++
	}
	for ndigits > 0 && binary.BigEndian.Uint16(dst[len(dst)-2:]) == 0 {
		dst = dst[:len(dst)-2]
		ndigits--
	}
	if ndigits == 0 {
		weight, sign = 0, numericPos
	}
	binary.BigEndian.PutUint16(dst[start:], uint16(ndigits))
	binary.BigEndian.PutUint16(dst[start+2:], uint16(int16(weight)))
	binary.BigEndian.PutUint16(dst[start+4:], sign)
	return dst, nil
}

func appendNumericHeader(dst []byte, ndigits, weight int, sign uint16, dscale int) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(ndigits))
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(weight)))
	dst = binary.BigEndian.AppendUint16(dst, sign)
	return binary.BigEndian.AppendUint16(dst, uint16(dscale))
}

// numericFits reports whether canonical decimal text s is exactly
// representable with at most scale digits after the point (scale may be
// negative, as PostgreSQL 15 allows): digits beyond it must be zeros, since
// PostgreSQL would round them away.
func numericFits[T string | []byte](s T, scale int) bool {
	dot := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			dot = i
			break
		}
	}
	if dot < 0 {
		dot = len(s)
	}
	// Fraction digits past the scale.
	for i := dot + 1 + max(scale, 0); i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	// Integer digits below 10^-scale for a negative scale.
	for i := dot + scale; scale < 0 && i < dot; i++ {
		if i >= 0 && isDigit(s[i]) && s[i] != '0' {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func append4(dst []byte, d int) []byte {
	return append(dst, byte('0'+d/1000), byte('0'+d/100%10), byte('0'+d/10%10), byte('0'+d%10))
}

// countDigits returns the number of decimal digits of n (1 for 0).
func countDigits(n uint64) int {
	c := 1
	for n >= 10 {
		n /= 10
		c++
	}
	return c
}
