package proc

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// How often a running process's VmHWM is read: every millisecond at first,
// because a short process (or the wrapper script that execs the real psql
// on Debian) lives a few milliseconds, then every ten. VmHWM is a high-water
// mark, so sampling misses only growth in the last interval before exit.
const (
	sampleFast    = time.Millisecond
	sampleFastFor = 200 * time.Millisecond
	sampleSlow    = 10 * time.Millisecond
)

// rusagePeak returns ru_maxrss in bytes: Linux reports it in KiB.
func rusagePeak(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}

// selfHWM returns this process's peak RSS so far, in bytes.
func selfHWM() int64 { return statusHWM("/proc/self/status") }

// statusHWM returns the VmHWM of a /proc status file in bytes, 0 when the
// file or the line is missing (the process is gone or a zombie).
func statusHWM(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(b, []byte("VmHWM:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(rest, []byte{'\n'})
	kb, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(line), []byte("kB")))), 10, 64)
	if err != nil {
		return 0
	}
	return kb * 1024
}

// watcher samples one process's VmHWM until stopped.
type watcher struct {
	stop chan struct{}
	done chan struct{}
	peak int64
}

func watch(pid int) *watcher {
	w := &watcher{stop: make(chan struct{}), done: make(chan struct{})}
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	go func() {
		defer close(w.done)
		start := time.Now()
		t := time.NewTimer(sampleFast)
		defer t.Stop()
		for {
			// The maximum over samples, because an exec (a wrapper
			// starting the real program) starts a new, lower VmHWM.
			w.peak = max(w.peak, statusHWM(path))
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
			if time.Since(start) < sampleFastFor {
				t.Reset(sampleFast)
			} else {
				t.Reset(sampleSlow)
			}
		}
	}()
	return w
}

// finish stops sampling (call it once the process was reaped) and returns
// the highest VmHWM seen, 0 if none.
func (w *watcher) finish() int64 {
	close(w.stop)
	<-w.done
	return w.peak
}
