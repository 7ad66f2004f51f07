package mysql

import (
	"bytes"
	"testing"
)

// The fuzz target of the LOAD DATA format the sink writes (FIELDS
// TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n', no
// enclosure): fields escaped by appendLoadEscaped must read back, by the
// server's rules, as the same bytes, never as NULL, and never end a field
// or a line early. Seed corpora are under testdata/fuzz.

// mariadbLoadField reads one field of a LOAD DATA line as MariaDB's
// READ_INFO::read_field does with these settings: a backslash followed by
// n t r b 0 Z stands for newline, tab, carriage return, backspace, NUL and
// ^Z, followed by anything else for that character; a field that is
// exactly \N is NULL. It returns the field, whether it is NULL, and the rest
// of the line after the field's terminator (ok false at the end of the
// line).
func mariadbLoadField(line []byte) (field []byte, null bool, rest []byte, more bool) {
	field = []byte{}
	foundNull := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == '\\' && i+1 < len(line) {
			i++
			switch line[i] {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			case 'r':
				c = '\r'
			case 'b':
				c = '\b'
			case '0':
				c = 0
			case 'Z':
				c = 0x1a
			case 'N':
				foundNull = true
				c = 'N'
			default:
				c = line[i]
			}
			field = append(field, c)
			continue
		}
		if c == '\t' {
			return field, foundNull && len(field) == 1, line[i+1:], true
		}
		field = append(field, c)
	}
	return field, foundNull && len(field) == 1, nil, false
}

func FuzzLoadEscape(f *testing.F) {
	for _, s := range [][2]string{
		{"plain", "second"}, {"tab\there", "new\nline"}, {`\N`, "N"}, {`\`, `\\`}, {"\x00\x1a\r", "\b"},
		{"", ""}, {"中文", "\xff\xfe\\"}, {"trailing\\", "\t"},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ea := appendLoadEscaped(nil, a)
		if bytes.ContainsAny(ea, "\t\n") {
			t.Fatalf("%q escapes to %q, which holds a terminator", a, ea)
		}
		if got := unescapeLoad(nil, ea); !bytes.Equal(got, a) {
			t.Fatalf("%q escapes to %q, which unescapeLoad reads as %q", a, ea, got)
		}
		// A line of three fields, the middle one NULL, as appendLoadRow
		// writes it.
		line := append(append(ea, '\t', '\\', 'N', '\t'), appendLoadEscaped(nil, b)...)
		f1, null1, rest, more := mariadbLoadField(line)
		if !more || null1 || !bytes.Equal(f1, a) {
			t.Fatalf("line %q: the server reads the first field as %q (NULL %v), want %q", line, f1, null1, a)
		}
		f2, null2, rest, more := mariadbLoadField(rest)
		if !more || !null2 {
			t.Fatalf("line %q: the server reads the second field as %q, want NULL", line, f2)
		}
		f3, null3, _, more := mariadbLoadField(rest)
		if more || null3 || !bytes.Equal(f3, b) {
			t.Fatalf("line %q: the server reads the last field as %q (NULL %v, more %v), want %q", line, f3, null3, more, b)
		}
		// unescapeLoad reads any field as the server does, but \b, which
		// appendLoadEscaped never writes (it undoes only what it writes).
		if !bytes.Contains(a, []byte(`\b`)) && !bytes.Contains(a, []byte("\t")) {
			want, _, _, _ := mariadbLoadField(a)
			if got := unescapeLoad(nil, a); !bytes.Equal(got, want) {
				t.Fatalf("%q: unescapeLoad gives %q, the server %q", a, got, want)
			}
		}
	})
}
