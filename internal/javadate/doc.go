// Package javadate compiles date and time patterns in the letters of Java's
// java.text.SimpleDateFormat, DataX's dateFormat, and formats and parses
// with them without allocating. It is the one place datasync reads those
// patterns.
//
// The letters, as Java has them (English names, as Locale.ENGLISH):
//
//	G     era: AD, BC
//	y     year: yy writes the last two digits and reads two digits in the
//	      century window Java uses (80 years before to 20 after the time the
//	      pattern was compiled); y, yyy, yyyy... write at least that many
//	      digits and read the year as written
//	M, L  month: M and MM a number (MM two digits), MMM "Jan", MMMM "January";
//	      names are read in either form, in any case
//	d     day of the month;   D day of the year
//	E     day of the week: E, EE, EEE "Tue", EEEE "Tuesday"
//	u     day number of the week, 1 = Monday ... 7 = Sunday
//	a     AM or PM
//	H     hour 0-23;  k hour 1-24;  K hour 0-11 of AM/PM;  h hour 1-12 of AM/PM
//	m     minute;  s second
//	S     millisecond, a number: S writes 5 ms as "5", SSS as "005"
//	z     time zone: z, zz, zzz "UTC" (or "GMT+08:00"), zzzz "Coordinated
//	      Universal Time"; reads those, GMT+h[h][:mm] and -0800
//	Z     RFC 822 offset: -0800, +0000
//	X     ISO 8601 offset: X "-08", XX "-0800", XXX "-08:00", and "Z" for zero
//
// Text between single quotes is literal ('T'), ” is a quote, and any other
// character that is not a letter is literal. The other letters of Java (w,
// W, F, Y) and the ones Java does not know are refused.
//
// Numbers are written with at least as many digits as letters; when read,
// a number takes as many digits as are there, unless it is directly
// followed by another number ("yyyyMMdd"), when it takes exactly as many
// as its letters.
//
// Where this differs from Java, on purpose:
//
//   - SSSS to SSSSSSSSS are the fraction of the second with that many
//     digits (SSSSSS is microseconds), where Java writes the milliseconds
//     zero-padded ("000123" for .123 s); S, SS and SSS are Java's.
//   - Parsing is strict: a value out of its range (month 13, 25 o'clock, a
//     day of the week that is not the date's) is an error, where Java's
//     lenient default rolls it over into another date.
//   - A year before 1 is written with a minus sign ("-0044") unless the
//     pattern has an era (G), and read so; Java writes the year of the era.
//     Hour 24:00 is accepted for a time of day's end (H, HH).
//   - A zone is a fixed offset: Java's named zones (PST, Asia/Shanghai) are
//     read only as UTC, GMT and UT.
//
// Which zone a value is written in, and what a text without a zone means,
// is the caller's choice: Fields carries an offset both ways.
package javadate
