package cli

import (
	"io"
	"os"
	"sync"

	"github.com/datasync-go/datasync/job"
)

// redactingWriter blots a job's secrets out of everything written through
// it, so that no log line, error or report shows a password.
type redactingWriter struct {
	mu sync.Mutex
	w  io.Writer
	r  *job.Redactor
}

func (rw *redactingWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if _, err := io.WriteString(rw.w, rw.r.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
