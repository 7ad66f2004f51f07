package verify

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/checksum"
)

// Keys are sorted by an order-preserving byte encoding of their values, so
// that both sides' keys merge in one order whatever system they came from:
// each column is 0x00 for NULL (first), or 0x01 and then
//
//	Int      8 bytes big-endian with the sign bit flipped
//	Float    the float64's bits, order-preserving (negatives inverted)
//	Decimal  sign, exponent and digits, order-preserving
//	others   the canonical text, 0x00 escaped as 0x00 0xFF, ended by 0x00 0x00
//	         (dates and timestamps sort in time order in their canonical form)
//
// The key's text for reports is kept beside it.

// appendSortKey appends the sort key of rec's values, canonicalized by
// schema's kinds, to sk and their text, joined by ", ", to text.
func appendSortKey(sk, text []byte, rec datasync.Record, schema datasync.Schema, scratch []byte) ([]byte, []byte, []byte, error) {
	for i, v := range rec {
		if i > 0 {
			text = append(text, ", "...)
		}
		if v.IsNull() {
			sk = append(sk, 0)
			text = append(text, "NULL"...)
			continue
		}
		var err error
		scratch, err = checksum.Canonical(scratch[:0], schema[i].Kind, v.AppendTo(scratch[:0]))
		if err != nil {
			return sk, text, scratch, fmt.Errorf("key column %s: %w", schema[i].Name, err)
		}
		text = append(text, scratch...)
		sk = append(sk, 1)
		switch schema[i].Kind {
		case datasync.KindInt:
			n, err := strconv.ParseInt(string(scratch), 10, 64)
			if err != nil {
				return sk, text, scratch, fmt.Errorf("key column %s: %w", schema[i].Name, err)
			}
			sk = binary.BigEndian.AppendUint64(sk, uint64(n)^(1<<63))
		case datasync.KindFloat:
			f, err := strconv.ParseFloat(string(scratch), 64)
			if err != nil {
				return sk, text, scratch, fmt.Errorf("key column %s: %w", schema[i].Name, err)
			}
			bits := math.Float64bits(f)
			if bits>>63 == 1 {
				bits = ^bits
			} else {
				bits |= 1 << 63
			}
			sk = binary.BigEndian.AppendUint64(sk, bits)
		case datasync.KindDecimal:
			sk = appendDecimalKey(sk, string(scratch))
		default:
			sk = appendEscaped(sk, scratch)
		}
	}
	return sk, text, scratch, nil
}

// appendEscaped appends p with 0x00 escaped and a 0x00 0x00 end, which
// keeps byte order and makes no key a prefix of another.
func appendEscaped(dst, p []byte) []byte {
	for _, c := range p {
		dst = append(dst, c)
		if c == 0 {
			dst = append(dst, 0xFF)
		}
	}
	return append(dst, 0, 0)
}

// appendDecimalKey appends the order-preserving form of a canonical
// decimal (no leading zeros, no trailing fractional zeros, "0" for zero):
// a sign byte (0 negative, 1 zero, 2 positive), then for a positive number
// its exponent (the position of the first significant digit relative to
// the point, biased) and its significant digits ended by 0x00; a negative
// number is the same, inverted.
func appendDecimalKey(dst []byte, d string) []byte {
	neg := strings.HasPrefix(d, "-")
	d = strings.TrimPrefix(d, "-")
	intPart, frac, _ := strings.Cut(d, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return append(dst, 1)
	}
	exp := len(intPart) // the point's position after the first digit of intPart
	if strings.Trim(intPart, "0") == "" {
		exp = -(len(frac) - len(strings.TrimLeft(frac, "0")))
	}
	digits = strings.TrimRight(digits, "0")
	start := len(dst)
	dst = append(dst, 2)
	dst = binary.BigEndian.AppendUint32(dst, uint32(int32(exp))^(1<<31))
	for i := 0; i < len(digits); i++ {
		dst = append(dst, digits[i]-'0'+1)
	}
	dst = append(dst, 0)
	if neg {
		dst[start] = 0
		for i := start + 1; i < len(dst); i++ {
			dst[i] = ^dst[i]
		}
	}
	return dst
}
