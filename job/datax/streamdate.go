package datax

import (
	"encoding/json"
	"fmt"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/javadate"
	"github.com/datasync-go/datasync/job"
)

// Canonical timestamp texts that datasync.ParseTimestamp reads back.
var (
	wallClockText = mustCompile("yyyy-MM-dd HH:mm:ss.SSSSSS")
	instantText   = mustCompile("yyyy-MM-dd HH:mm:ss.SSSSSSXXX")
)

func mustCompile(pattern string) *javadate.Layout {
	l, err := javadate.Compile(pattern)
	if err != nil {
		panic(err)
	}
	return l
}

// streamDateValue reads a streamreader date column's constant with its
// dateFormat, a Java SimpleDateFormat pattern, as DataX does, and returns
// the constant as text the stream connector reads: an instant when the
// pattern has a zone, a wall-clock time otherwise. A random or sequence
// column has no text to read (DataX ignores the pattern there too).
func streamDateValue(i int, kind datasync.Kind, pattern string, value json.RawMessage) (json.RawMessage, error) {
	if pattern == "" {
		return value, nil
	}
	if kind != datasync.KindTimestamp {
		return value, &job.ParamError{Path: fmt.Sprintf("column[%d].dateFormat", i), Err: fmt.Errorf("is for a date column, not a %s one", kind)}
	}
	l, err := javadate.Compile(pattern)
	if err != nil {
		return value, &job.ParamError{Path: fmt.Sprintf("column[%d].dateFormat", i), Err: err}
	}
	var text string
	if len(value) == 0 || json.Unmarshal(value, &text) != nil {
		return value, nil // null, a number or no value: not text to read with the pattern
	}
	f, err := l.Parse([]byte(text))
	if err != nil {
		return value, &job.ParamError{Path: fmt.Sprintf("column[%d].value", i), Err: fmt.Errorf("%q does not read with dateFormat %q: %w", text, pattern, err)}
	}
	out := wallClockText.Format(nil, f)
	if f.HasZone {
		out = instantText.Format(nil, f)
	}
	return json.Marshal(string(out))
}
