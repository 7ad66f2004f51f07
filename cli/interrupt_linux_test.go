//go:build linux

package cli

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openPTY opens a pseudo-terminal: the command's side (a terminal to it)
// and ours, which reads what it shows.
func openPTY(t *testing.T) (ours, theirs *os.File) {
	t.Helper()
	ours, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	ioctl := func(req uintptr, arg unsafe.Pointer) {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, ours.Fd(), req, uintptr(arg)); errno != 0 {
			t.Skipf("no pseudo-terminal: ioctl: %v", errno)
		}
	}
	var unlock int32
	ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock))
	var n uint32
	ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n))
	theirs, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		ours.Close()
		t.Skipf("no pseudo-terminal: %v", err)
	}
	return ours, theirs
}

// screen collects what a command writes to its terminal.
type screen struct {
	mu  sync.Mutex
	buf []byte
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = append(s.buf, p...)
	return len(p), nil
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.buf)
}

var barSplitsRE = regexp.MustCompile(`(\d+)/(\d+) splits`)

// TestTheBarAndTheInterruptMessageAgree interrupts a job shown with a
// progress bar (its standard error is a terminal) once some splits are
// complete: the bar's last drawing and the message give the same count of
// complete splits, out of the planned total.
func TestTheBarAndTheInterruptMessageAgree(t *testing.T) {
	ours, theirs := openPTY(t)
	defer ours.Close()
	cmd := command("run", eightFilesJob(t), "--progress", "50ms")
	cmd.Stderr = theirs
	require.NoError(t, cmd.Start())
	theirs.Close()
	var out screen
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		buf := make([]byte, 4096)
		for {
			n, err := ours.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				return // EIO once the command has exited
			}
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ms := barSplitsRE.FindAllStringSubmatch(out.String(), -1)
		if len(ms) > 0 {
			if n, _ := strconv.Atoi(ms[len(ms)-1][1]); n >= 2 {
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "no split completed: %q", out.String())
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	require.Error(t, cmd.Wait())
	<-copied
	screen := out.String()
	m := interruptedRE.FindStringSubmatch(screen)
	require.NotNil(t, m, "%q", screen)
	bars := barSplitsRE.FindAllStringSubmatch(screen[:interruptedRE.FindStringIndex(screen)[0]], -1)
	require.NotEmpty(t, bars)
	last := bars[len(bars)-1]
	assert.Equal(t, "8", m[2], "the message counts the planned splits: %s", m[0])
	assert.Equal(t, "8", last[2], "the bar counts the planned splits: %s", last[0])
	assert.Equal(t, m[1], last[1], "the bar ends with the count of complete splits the message gives: %s, %s", last[0], m[0])
}
