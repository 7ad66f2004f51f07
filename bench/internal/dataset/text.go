package dataset

import "github.com/datasync-go/datasync"

// AppendText appends r as one line of the text format that PostgreSQL's
// COPY (FORMAT text) and MySQL's LOAD DATA (default options) both read:
// tab-separated, NULL as \N, backslash, tab, newline and carriage return
// escaped with a backslash, booleans as 1 and 0, timestamps without a zone.
func AppendText(dst []byte, r datasync.Record) []byte {
	for i, v := range r {
		if i > 0 {
			dst = append(dst, '\t')
		}
		dst = appendTextValue(dst, v)
	}
	return append(dst, '\n')
}

func appendTextValue(dst []byte, v datasync.Value) []byte {
	switch v.Kind() {
	case datasync.KindNull:
		return append(dst, `\N`...)
	case datasync.KindBool:
		if b, _ := v.AsBool(); b {
			return append(dst, '1')
		}
		return append(dst, '0')
	case datasync.KindString:
		for _, c := range v.Raw() {
			switch c {
			case '\\':
				dst = append(dst, `\\`...)
			case '\t':
				dst = append(dst, `\t`...)
			case '\n':
				dst = append(dst, `\n`...)
			case '\r':
				dst = append(dst, `\r`...)
			default:
				dst = append(dst, c)
			}
		}
		return dst
	}
	return v.AppendTo(dst)
}
