package skipnotice

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"
)

type closer struct{ *bytes.Buffer }

func (closer) Close() error { return nil }

func TestNoteWritesOneLineToTheTerminalOnce(t *testing.T) {
	var out bytes.Buffer
	defer func(f func() (io.WriteCloser, error)) { terminal = f; once = sync.Once{} }(terminal)
	terminal = func() (io.WriteCloser, error) { return closer{&out}, nil }
	once = sync.Once{}
	Note("DATASYNC_TEST_POSTGRES_DSN is not set", "set it (see README, Testing)")
	Note("DATASYNC_TEST_MYSQL_DSN is not set", "set it")
	want := "skip  \tgithub.com/datasync-go/datasync/internal/skipnotice\tsome tests skipped: DATASYNC_TEST_POSTGRES_DSN is not set; to run them, set it (see README, Testing)\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestNoteWithoutATerminalWritesNothing(t *testing.T) {
	defer func(f func() (io.WriteCloser, error)) { terminal = f; once = sync.Once{} }(terminal)
	terminal = func() (io.WriteCloser, error) { return nil, errors.New("no tty") }
	once = sync.Once{}
	Note("x", "y") // must not panic
}
