package javadate

// Fields are the parts of a date and time, in the zone whose offset they
// carry: what Format writes and what Parse read.
type Fields struct {
	Year   int64 // proleptic Gregorian: 0 is 1 BC, -1 is 2 BC
	Month  int   // 1 to 12
	Day    int   // 1 to 31
	Hour   int   // 0 to 23; 24 for the end of a day (with no minutes, seconds or fraction)
	Minute int
	Second int
	Micros int // microseconds of the second, 0 to 999999
	// Offset is the zone's offset from UTC in seconds (east positive): the
	// zone Format writes for z, Z and X, and the one Parse read when
	// HasZone.
	Offset int
	// HasZone is set by Parse when the text had a zone.
	HasZone bool
}

var (
	monthNames = [12]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	dayNames = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// Format appends f as the layout says. f must be a valid date and time.
func (l *Layout) Format(dst []byte, f Fields) []byte {
	for _, it := range l.items {
		switch it.kind {
		case kLiteral:
			dst = append(dst, it.literal...)
		case kEra:
			if f.Year <= 0 {
				dst = append(dst, "BC"...)
			} else {
				dst = append(dst, "AD"...)
			}
		case kYear:
			y := f.Year
			if l.has[kEra] && y <= 0 {
				y = 1 - y // the year of the era
			}
			if y < 0 {
				dst = append(dst, '-')
				y = -y
			}
			if it.count == 2 {
				dst = appendPadded(dst, y%100, 2)
			} else {
				dst = appendPadded(dst, y, it.count)
			}
		case kMonth:
			switch {
			case it.count >= 4:
				dst = append(dst, monthNames[f.Month-1]...)
			case it.count == 3:
				dst = append(dst, monthNames[f.Month-1][:3]...)
			default:
				dst = appendPadded(dst, int64(f.Month), it.count)
			}
		case kDay:
			dst = appendPadded(dst, int64(f.Day), it.count)
		case kDayOfYear:
			dst = appendPadded(dst, dayOfYear(f.Year, f.Month, f.Day), it.count)
		case kWeekday:
			name := dayNames[weekday(f.Year, f.Month, f.Day)]
			if it.count < 4 {
				name = name[:3]
			}
			dst = append(dst, name...)
		case kWeekdayNum:
			w := weekday(f.Year, f.Month, f.Day)
			if w == 0 {
				w = 7
			}
			dst = appendPadded(dst, int64(w), it.count)
		case kAmPm:
			if f.Hour%24 >= 12 {
				dst = append(dst, "PM"...)
			} else {
				dst = append(dst, "AM"...)
			}
		case kHour23:
			dst = appendPadded(dst, int64(f.Hour), it.count)
		case kHour24:
			h := f.Hour % 24
			if h == 0 {
				h = 24
			}
			dst = appendPadded(dst, int64(h), it.count)
		case kHour11:
			dst = appendPadded(dst, int64(f.Hour%12), it.count)
		case kHour12:
			h := f.Hour % 12
			if h == 0 {
				h = 12
			}
			dst = appendPadded(dst, int64(h), it.count)
		case kMinute:
			dst = appendPadded(dst, int64(f.Minute), it.count)
		case kSecond:
			dst = appendPadded(dst, int64(f.Second), it.count)
		case kMillis:
			dst = appendPadded(dst, int64(f.Micros/1000), it.count)
		case kFraction:
			var buf [9]byte
			us := f.Micros
			for j := 5; j >= 0; j-- {
				buf[j] = byte('0' + us%10)
				us /= 10
			}
			buf[6], buf[7], buf[8] = '0', '0', '0'
			dst = append(dst, buf[:it.count]...)
		case kZoneName:
			dst = appendZoneName(dst, f.Offset, it.count >= 4)
		case kZoneRFC:
			dst = appendOffset(dst, f.Offset, true, false)
		case kZoneISO:
			if f.Offset == 0 {
				dst = append(dst, 'Z')
				break
			}
			dst = appendOffset(dst, f.Offset, it.count >= 2, it.count == 3)
		}
	}
	return dst
}

// appendZoneName writes the general time zone of a fixed offset as Java
// names it: UTC, or GMT+08:00.
func appendZoneName(dst []byte, offset int, long bool) []byte {
	if offset == 0 {
		if long {
			return append(dst, "Coordinated Universal Time"...)
		}
		return append(dst, "UTC"...)
	}
	dst = append(dst, "GMT"...)
	return appendOffset(dst, offset, true, true)
}

// appendOffset writes ±hh, ±hhmm or ±hh:mm.
func appendOffset(dst []byte, offset int, minutes, colon bool) []byte {
	sign := byte('+')
	if offset < 0 {
		sign, offset = '-', -offset
	}
	dst = append(dst, sign)
	dst = appendPadded(dst, int64(offset/3600), 2)
	if minutes {
		if colon {
			dst = append(dst, ':')
		}
		dst = appendPadded(dst, int64(offset/60%60), 2)
	}
	return dst
}

// appendPadded writes v (not negative) with at least width digits.
func appendPadded(dst []byte, v int64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	for k := len(buf) - i; k < width; k++ {
		dst = append(dst, '0')
	}
	return append(dst, buf[i:]...)
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm).
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// weekday returns the day of the week, 0 for Sunday.
func weekday(y int64, m, d int) int {
	w := (daysFromCivil(y, m, d) + 4) % 7 // 1970-01-01 was a Thursday
	if w < 0 {
		w += 7
	}
	return int(w)
}

// dayOfYear returns the day of the year, from 1.
func dayOfYear(y int64, m, d int) int64 {
	return daysFromCivil(y, m, d) - daysFromCivil(y, 1, 1) + 1
}
