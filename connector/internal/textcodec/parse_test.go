package textcodec

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/text"
)

// The fast paths agree with the core's parsers wherever they say yes.
func TestFastPathsAgreeWithTheCore(t *testing.T) {
	for _, s := range []string{"2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "2024-13-01", "2024-00-10", "2024-1-01", "+2024-01-01", "20240101xx"} {
		d, ok := parseDateFast([]byte(s))
		want, err := datasync.ParseDate(s)
		if ok {
			assert.NoError(t, err, s)
			assert.Equal(t, want, d, s)
		}
	}
	for _, s := range []string{"2024-01-02 03:04:05", "2024-01-02T03:04:05.5Z", "2024-01-02 03:04:05.123456789", "2024-01-02 03:04:05.1234567",
		"2024-01-02 24:00:00", "2024-01-02 24:00:01", "2024-01-02 03:04:05+08", "2024-01-02 03:04:05-0830", "2024-01-02 03:04:05+08:30",
		"2024-02-30 00:00:00", "2024-01-02 03:60:00", "2024-01-02 03:04:05 +08:00", "2024-01-02 03:04:05.", "1969-12-31 23:59:59.999999"} {
		ts, ok := parseTimestampFast([]byte(s))
		want, err := datasync.ParseTimestamp(s)
		if ok {
			assert.NoError(t, err, s)
			assert.Equal(t, want, ts, s)
		} else if err == nil {
			t.Logf("%s: left to the core", s)
		}
	}
}

func TestNeedsQuoteMatchesTheByteLoop(t *testing.T) {
	for _, delim := range []string{",", "|", "\t", "||"} {
		ws, err := CompileWrite(text.WriteOptions{Format: text.Format{FieldDelimiter: delim}})
		assert.NoError(t, err)
		e := ws.NewEncoder(nil)
		alphabet := []byte("ab,|\t\"\r\n x\x00\xff")
		for n := range 40 {
			for trial := range 50 {
				p := make([]byte, n)
				for i := range p {
					p[i] = alphabet[(i*7+trial*13+n)%len(alphabet)]
					if (i+trial)%3 != 0 {
						p[i] = 'a'
					}
				}
				naive := false
				for _, c := range p {
					naive = naive || ws.quoteSet[c]
				}
				assert.Equal(t, naive, e.needsQuote(p), "%q %q", delim, p)
			}
		}
	}
}

func TestSpacesAroundNonTextValues(t *testing.T) {
	rs, err := CompileRead(text.ReadOptions{Column: []text.ColumnSpec{colAt(0, "int"), colAt(1, "decimal"), colAt(2, "date"), colAt(3, "string"), colAt(4, "bool")}})
	assert.NoError(t, err)
	rows, dirty := decodeAll(t, rs, []byte(" 12 ,\t1.50 , 2024-01-02 , kept ,  true\n"), SplitSpec{})
	assert.Empty(t, dirty)
	assert.Equal(t, "12|1.50|2024-01-02| kept |true", joinRow(rows[0]))
}
