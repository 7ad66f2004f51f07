package checksum

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// records parses text in dialect, with NULL shown as <NULL>.
func records(t *testing.T, text string, d Dialect) [][]string {
	t.Helper()
	rr := newRecordReader(bufio.NewReader(strings.NewReader(text)), d)
	var out [][]string
	for {
		fields, err := rr.next()
		if err != nil {
			require.ErrorContains(t, err, "EOF")
			return out
		}
		var rec []string
		for _, f := range fields {
			if f == nil {
				rec = append(rec, "<NULL>")
			} else {
				rec = append(rec, string(f))
			}
		}
		out = append(out, rec)
	}
}

func TestReadCSV(t *testing.T) {
	text := "1,plain,,\"\"\n" + // NULL, then an empty string
		"2,\"a,b\",\"say \"\"hi\"\"\",\\N\r\n" + // quoting, CRLF, \N
		"3,\"two\nlines\",C:\\path,\"\\N\"\n" + // a quoted newline, backslashes are data, a quoted \N is text
		"4,last,x,y" // no final newline
	want := [][]string{
		{"1", "plain", "<NULL>", ""},
		{"2", "a,b", `say "hi"`, "<NULL>"},
		{"3", "two\nlines", `C:\path`, `\N`},
		{"4", "last", "x", "y"},
	}
	assert.Equal(t, want, records(t, text, CSV))
}

func TestReadCSVErrors(t *testing.T) {
	rr := newRecordReader(bufio.NewReader(strings.NewReader("1,\"open\n")), CSV)
	_, err := rr.next()
	assert.ErrorContains(t, err, "unterminated")
	rr = newRecordReader(bufio.NewReader(strings.NewReader("1,\"a\"b\n")), CSV)
	_, err = rr.next()
	assert.ErrorContains(t, err, "after a quoted field")
}

func TestReadMySQLBatch(t *testing.T) {
	text := "1\tNULL\t\tC:\\\\path\n" + // NULL, an empty string, an escaped backslash
		"2\ttab\\there\ttwo\\nlines\tnul\\0\n"
	want := [][]string{
		{"1", "<NULL>", "", `C:\path`},
		{"2", "tab\there", "two\nlines", "nul\x00"},
	}
	assert.Equal(t, want, records(t, text, MySQLBatch))
}

func TestFilesSkipsHeadersAndSumsAllFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	a := write("a.csv", "id,name,amount,ok\n1,alice,1.5000,t\n")
	b := write("b.csv", "ID,Name,Amount,OK\n2,bob,,f\n3,carol,-2,\n")
	got, err := Files([]string{a, b}, testSchema, CSV)
	require.NoError(t, err)
	assert.Equal(t, sumOf(t, r1, r2, r3), got)

	bad := write("c.csv", "1,alice,1.5000\n")
	_, err = Files([]string{bad}, testSchema, CSV)
	assert.ErrorContains(t, err, "record 1: row 1 has 3 columns, want 4")
}
