package datasync

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// AsFloat32 returns v as a float32, for a single-precision column (FLOAT,
// real), when a float32 holds it exactly:
//
//	Float32            its float32, bit for bit (NaN, the infinities and -0 included)
//	Float              when float32 holds it exactly (0.5, but not 0.1: a float64 0.1
//	                   would be rounded); NaN and the infinities
//	Bool, Int          when float32 holds the number exactly (|i| <= 2^24, or representable)
//	Decimal, String,   when the text is the shortest text of the float32 nearest it ("0.1",
//	Bytes, JSON        "3.4028235e38"), or converts to a Float that float32 holds exactly
//	                   ("0.10000000149011612"); NaN, Infinity, -Infinity
//
// It fails with ErrNull for NULL and with a *ConversionError otherwise.
func (v Value) AsFloat32() (float32, error) {
	switch v.kind {
	case KindNull:
		return 0, ErrNull
	case KindFloat:
		if v.flags&flagFloat32 != 0 {
			return float32(v.float()), nil
		}
	case KindDecimal, KindString, KindBytes, KindJSON:
		if f, ok := v.float32Text(); ok {
			return f, nil
		}
	}
	f, err := v.AsFloat()
	if err != nil {
		return 0, err
	}
	f32 := float32(f)
	if float64(f32) == f || math.IsNaN(f) {
		return f32, nil
	}
	why := "float32 cannot hold it exactly"
	if !math.IsInf(float64(f32), 0) && (f32 != 0 || f == 0) {
		// 0.1 as a float64 and as a float32 have the same shortest text:
		// the float64 digits of the float32 show the difference.
		why += " (the nearest float32 is " + strconv.FormatFloat(float64(f32), 'g', -1, 64) + ")"
	} else {
		why += ": out of its range"
	}
	return 0, v.convErr(KindFloat, fmt.Errorf("%s", why))
}

// float32Text returns the float32 that v's text names exactly: the float32
// whose shortest text is the same number, or NaN or an infinity.
func (v Value) float32Text() (float32, bool) {
	if v.kind == KindBytes && !utf8.ValidString(v.str) {
		return 0, false
	}
	w := v
	if w.kind == KindBytes {
		w.kind = KindString
	}
	dec, err := w.decimalText()
	if err != nil {
		return 0, false
	}
	switch dec {
	case "NaN":
		return float32(math.NaN()), true
	case "Infinity":
		return float32(math.Inf(1)), true
	case "-Infinity":
		return float32(math.Inf(-1)), true
	}
	f, err := strconv.ParseFloat(dec, 32)
	if err != nil {
		return 0, false
	}
	back, _ := appendDecimal(nil, strconv.AppendFloat(nil, f, 'e', -1, 32))
	if decimalTrimmed(string(back)) != decimalTrimmed(dec) {
		return 0, false
	}
	return float32(f), true
}
