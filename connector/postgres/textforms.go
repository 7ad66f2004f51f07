package postgres

import (
	"encoding/binary"
	"errors"
	"math"
	"net/netip"
	"strconv"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/civil"
)

// Text forms of binary values, as PostgreSQL writes them, for the types
// datasync reads as String (uuid, inet, interval, ...) and for the date and
// time values of arrays and of text COPY. All append to dst without
// allocating.

// PostgreSQL counts dates and timestamps from 2000-01-01.
const (
	pgEpochDays   = 10_957
	pgEpochMicros = pgEpochDays * 86_400_000_000
)

var errShort = errors.New("binary value too short")

func appendUUIDText(dst, src []byte) ([]byte, error) {
	if len(src) != 16 {
		return dst, errShort
	}
	const hex = "0123456789abcdef"
	for i, c := range src {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hex[c>>4], hex[c&15])
	}
	return dst, nil
}

// appendInetText writes an inet or cidr: family, bits, is_cidr, length,
// address. inet shows /bits only when it is not a single host; cidr always.
func appendInetText(dst, src []byte, cidr bool) ([]byte, error) {
	if len(src) < 4 || len(src) != 4+int(src[3]) {
		return dst, errShort
	}
	var addr netip.Addr
	switch {
	case src[0] == 2 && src[3] == 4:
		addr = netip.AddrFrom4([4]byte(src[4:8]))
	case src[0] == 3 && src[3] == 16:
		addr = netip.AddrFrom16([16]byte(src[4:20]))
	default:
		return dst, errors.New("malformed binary inet")
	}
	dst = addr.AppendTo(dst)
	if bits := int(src[1]); cidr || bits != addr.BitLen() {
		dst = append(dst, '/')
		dst = strconv.AppendUint(dst, uint64(bits), 10)
	}
	return dst, nil
}

func appendMacText(dst, src []byte) ([]byte, error) {
	if len(src) != 6 && len(src) != 8 {
		return dst, errShort
	}
	const hex = "0123456789abcdef"
	for i, c := range src {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hex[c>>4], hex[c&15])
	}
	return dst, nil
}

// appendBitText writes a bit or varbit as its 0 and 1 digits.
func appendBitText(dst, src []byte) ([]byte, error) {
	if len(src) < 4 {
		return dst, errShort
	}
	n := int(int32(binary.BigEndian.Uint32(src)))
	if n < 0 || len(src) != 4+(n+7)/8 {
		return dst, errors.New("malformed binary bit string")
	}
	for i := range n {
		dst = append(dst, '0'+(src[4+i/8]>>(7-i%8))&1)
	}
	return dst, nil
}

// appendIntervalText writes an interval as PostgreSQL does with its default
// IntervalStyle (postgres): "1 year 2 mons -3 days +04:05:06.7".
func appendIntervalText(dst, src []byte) ([]byte, error) {
	if len(src) != 16 {
		return dst, errShort
	}
	micros := int64(binary.BigEndian.Uint64(src))
	days := int64(int32(binary.BigEndian.Uint32(src[8:])))
	months := int64(int32(binary.BigEndian.Uint32(src[12:])))
	switch {
	case micros == math.MaxInt64 && days == math.MaxInt32 && months == math.MaxInt32:
		return append(dst, "infinity"...), nil
	case micros == math.MinInt64 && days == math.MinInt32 && months == math.MinInt32:
		return append(dst, "-infinity"...), nil
	}
	zero, before := true, false
	part := func(v int64, unit string) {
		if v == 0 {
			return
		}
		if !zero {
			dst = append(dst, ' ')
		}
		if before && v > 0 {
			dst = append(dst, '+')
		}
		dst = appendInt(dst, v)
		dst = append(dst, ' ')
		dst = append(dst, unit...)
		if v != 1 {
			dst = append(dst, 's')
		}
		before, zero = v < 0, false
	}
	part(months/12, "year")
	part(months%12, "mon")
	part(days, "day")
	hour := micros / 3_600_000_000
	rest := micros - hour*3_600_000_000
	minute := rest / 60_000_000
	rest -= minute * 60_000_000
	sec := rest / 1_000_000
	frac := rest - sec*1_000_000
	if zero || hour != 0 || minute != 0 || sec != 0 || frac != 0 {
		if !zero {
			dst = append(dst, ' ')
		}
		switch {
		case hour < 0 || minute < 0 || sec < 0 || frac < 0:
			dst = append(dst, '-')
		case before:
			dst = append(dst, '+')
		}
		dst = appendPad2(dst, absU(hour))
		dst = append(dst, ':')
		dst = appendPad2(dst, absU(minute))
		dst = append(dst, ':')
		dst = appendPad2(dst, absU(sec))
		dst = civil.AppendFraction(dst, absU(frac))
	}
	return dst, nil
}

// appendTimetzText writes a time with time zone: the clock, then the offset
// as +HH, +HH:MM or +HH:MM:SS. The binary zone is seconds west of UTC.
func appendTimetzText(dst, src []byte) ([]byte, error) {
	if len(src) != 12 {
		return dst, errShort
	}
	dst = appendClockText(dst, int64(binary.BigEndian.Uint64(src)))
	return appendZoneText(dst, int64(int32(binary.BigEndian.Uint32(src[8:])))), nil
}

func appendZoneText(dst []byte, west int64) []byte {
	if west <= 0 {
		dst = append(dst, '+')
	} else {
		dst = append(dst, '-')
	}
	s := absU(west)
	h, m, sec := s/3600, s/60%60, s%60
	dst = appendPad2(dst, h)
	if m != 0 || sec != 0 {
		dst = append(dst, ':')
		dst = appendPad2(dst, m)
	}
	if sec != 0 {
		dst = append(dst, ':')
		dst = appendPad2(dst, sec)
	}
	return dst
}

// appendClockText writes HH:MM:SS[.ffffff] for a time of day (up to 24:00:00).
func appendClockText(dst []byte, micros int64) []byte {
	u := absU(micros)
	if micros < 0 {
		dst = append(dst, '-')
	}
	sec := u / 1_000_000
	dst = appendPad2(dst, sec/3600)
	dst = append(dst, ':')
	dst = appendPad2(dst, sec/60%60)
	dst = append(dst, ':')
	dst = appendPad2(dst, sec%60)
	return civil.AppendFraction(dst, u%1_000_000)
}

// appendDateText writes a date as PostgreSQL reads it back whatever its
// DateStyle: YYYY-MM-DD, with " BC" for years before 1 (year 0 is 1 BC).
func appendDateText(dst []byte, d datasync.Date) []byte {
	switch d.Infinite() {
	case 1:
		return append(dst, "infinity"...)
	case -1:
		return append(dst, "-infinity"...)
	}
	y, m, day := d.YMD()
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	dst = appendYear(dst, uint64(y))
	dst = append(dst, '-')
	dst = appendPad2(dst, uint64(m))
	dst = append(dst, '-')
	dst = appendPad2(dst, uint64(day))
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendTimestampText writes a timestamp as PostgreSQL reads it back:
// date, time, "+00" when zone is set (the value is then UTC), " BC".
func appendTimestampText(dst []byte, ts datasync.Timestamp, zone bool) []byte {
	switch ts.Infinite() {
	case 1:
		return append(dst, "infinity"...)
	case -1:
		return append(dst, "-infinity"...)
	}
	y, m, day := ts.Date().YMD()
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	dst = appendYear(dst, uint64(y))
	dst = append(dst, '-')
	dst = appendPad2(dst, uint64(m))
	dst = append(dst, '-')
	dst = appendPad2(dst, uint64(day))
	dst = append(dst, ' ')
	dst = appendClockText(dst, ts.TimeOfDay().Micros())
	if zone {
		dst = append(dst, "+00"...)
	}
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

func appendYear(dst []byte, y uint64) []byte {
	for d := uint64(1000); d > 1 && y < d; d /= 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendUint(dst, y, 10)
}

func appendPad2(dst []byte, n uint64) []byte {
	if n < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendUint(dst, n, 10)
}

func appendInt(dst []byte, n int64) []byte {
	if n < 0 {
		dst = append(dst, '-')
	}
	return strconv.AppendUint(dst, absU(n), 10)
}

func absU(n int64) uint64 {
	if n < 0 {
		return uint64(-n) // MinInt64 wraps to itself, which uint64 reads right
	}
	return uint64(n)
}
