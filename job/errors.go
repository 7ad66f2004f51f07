package job

import (
	"errors"
	"strconv"
	"strings"
)

// InvalidError is a job file that cannot run as written. It lists every
// problem found, each naming its place in the file.
type InvalidError struct {
	Problems []error
}

func (e *InvalidError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = "  - " + p.Error()
	}
	noun := "problems"
	if len(lines) == 1 {
		noun = "problem"
	}
	return "invalid job: " + strconv.Itoa(len(lines)) + " " + noun + ":\n" + strings.Join(lines, "\n")
}

// Unwrap returns the problems.
func (e *InvalidError) Unwrap() []error { return e.Problems }

// IsInvalid reports whether err is (or wraps) an *InvalidError.
func IsInvalid(err error) bool {
	var inv *InvalidError
	return errors.As(err, &inv)
}

func stringsToErrors(msgs []string) []error {
	out := make([]error, len(msgs))
	for i, m := range msgs {
		out[i] = errors.New(m)
	}
	return out
}
