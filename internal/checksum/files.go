package checksum

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/datasync-go/datasync"
)

// Dialect is a delimited text format that a file target may be written in.
type Dialect int

const (
	// CSV is RFC 4180 as PostgreSQL writes it (FORMAT csv): comma-separated,
	// fields optionally quoted with double quotes (doubled inside), LF or
	// CRLF line ends. An empty unquoted field is NULL and a quoted one ("")
	// an empty string; an unquoted \N (DataX's nullFormat) is NULL too.
	CSV Dialect = iota
	// MySQLBatch is what the mariadb client prints with --batch: tab-separated,
	// with \\, \t, \n, \r and \0 escaped, and NULL as the word NULL (so a
	// string "NULL" cannot be told from NULL: the dataset has none).
	MySQLBatch
)

// String returns "csv" or "mysql-batch".
func (d Dialect) String() string {
	if d == MySQLBatch {
		return "mysql-batch"
	}
	return "csv"
}

// Files returns the Sum of the rows of every file in paths, written in
// dialect with the columns of schema in order. A file's first line is
// skipped when it is a header: its fields are the schema's column names.
func Files(paths []string, schema datasync.Schema, dialect Dialect) (Sum, error) {
	h := NewHasher(schema)
	for _, p := range paths {
		if err := addFile(h, p, schema, dialect); err != nil {
			return Sum{}, fmt.Errorf("%s: %w", p, err)
		}
	}
	return h.Sum(), nil
}

func addFile(h *Hasher, path string, schema datasync.Schema, dialect Dialect) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := newRecordReader(bufio.NewReaderSize(f, 1<<20), dialect)
	for line := 1; ; line++ {
		fields, err := r.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("record %d: %w", line, err)
		}
		if line == 1 && isHeader(fields, schema) {
			continue
		}
		if err := h.Add(fields); err != nil {
			return fmt.Errorf("record %d: %w", line, err)
		}
	}
}

func isHeader(fields [][]byte, schema datasync.Schema) bool {
	if len(fields) != len(schema) {
		return false
	}
	for i, f := range fields {
		if !strings.EqualFold(string(f), schema[i].Name) {
			return false
		}
	}
	return true
}

// recordReader splits a stream into records of fields. The fields returned
// by next are valid until the following call.
type recordReader struct {
	r       *bufio.Reader
	dialect Dialect
	buf     []byte   // the record's unescaped field bytes
	ends    []int    // where each field ends in buf, -1 for NULL
	fields  [][]byte // slices of buf
}

func newRecordReader(r *bufio.Reader, d Dialect) *recordReader {
	return &recordReader{r: r, dialect: d, buf: make([]byte, 0, 1024)}
}

// next returns the next record, or io.EOF after the last one.
func (rr *recordReader) next() ([][]byte, error) {
	if _, err := rr.r.Peek(1); err != nil {
		return nil, err // io.EOF at a record boundary: the end
	}
	rr.buf, rr.ends = rr.buf[:0], rr.ends[:0]
	var err error
	if rr.dialect == MySQLBatch {
		err = rr.readBatch()
	} else {
		err = rr.readCSV()
	}
	if err != nil {
		return nil, err
	}
	rr.fields = rr.fields[:0]
	start := 0
	for _, end := range rr.ends {
		if end < 0 {
			rr.fields = append(rr.fields, nil)
			continue
		}
		rr.fields = append(rr.fields, rr.buf[start:end:end])
		start = end
	}
	return rr.fields, nil
}

// readCSV reads one CSV record into buf and ends.
func (rr *recordReader) readCSV() error {
	for {
		start := len(rr.buf)
		c, err := rr.r.ReadByte()
		quoted := err == nil && c == '"'
		if quoted {
			for {
				c, err = rr.r.ReadByte()
				if err != nil {
					return errors.New("unterminated quoted field")
				}
				if c == '"' {
					if next, _ := rr.r.Peek(1); len(next) == 1 && next[0] == '"' {
						_, _ = rr.r.ReadByte()
					} else {
						break
					}
				}
				rr.buf = append(rr.buf, c)
			}
			c, err = rr.r.ReadByte()
		} else {
			for err == nil && c != ',' && c != '\n' {
				rr.buf = append(rr.buf, c)
				c, err = rr.r.ReadByte()
			}
			if c == '\n' && len(rr.buf) > start && rr.buf[len(rr.buf)-1] == '\r' {
				rr.buf = rr.buf[:len(rr.buf)-1]
			}
		}
		if quoted && c == '\r' && err == nil {
			c, err = rr.r.ReadByte()
		}
		switch {
		case !quoted && (len(rr.buf) == start || string(rr.buf[start:]) == `\N`):
			rr.buf = rr.buf[:start]
			rr.ends = append(rr.ends, -1)
		default:
			rr.ends = append(rr.ends, len(rr.buf))
		}
		if err != nil || c == '\n' {
			return nil // the last field of the record (or of the file)
		}
		if c != ',' {
			return fmt.Errorf("unexpected %q after a quoted field", c)
		}
	}
}

// readBatch reads one line of mariadb --batch output into buf and ends.
func (rr *recordReader) readBatch() error {
	line, err := rr.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) { // a line longer than the buffer
		line = bytes.Clone(line)
		for errors.Is(err, bufio.ErrBufferFull) {
			var more []byte
			more, err = rr.r.ReadSlice('\n')
			line = append(line, more...)
		}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	line = bytes.TrimSuffix(line, []byte{'\n'})
	for field := range bytes.SplitSeq(line, []byte{'\t'}) {
		if string(field) == "NULL" {
			rr.ends = append(rr.ends, -1)
			continue
		}
		for i := 0; i < len(field); i++ {
			c := field[i]
			if c == '\\' && i+1 < len(field) {
				i++
				switch field[i] {
				case 't':
					c = '\t'
				case 'n':
					c = '\n'
				case 'r':
					c = '\r'
				case '0':
					c = 0
				default:
					c = field[i] // \\ and any other escaped character
				}
			}
			rr.buf = append(rr.buf, c)
		}
		rr.ends = append(rr.ends, len(rr.buf))
	}
	return nil
}
