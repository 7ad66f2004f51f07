// Package proc runs the processes a benchmark run consists of, one command or
// a shell-like pipeline of several, and measures each: wall-clock time of the
// whole, and per process its peak resident memory (see peak.go for how) and
// CPU time.
package proc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Usage is what one process used.
type Usage struct {
	Name       string        `json:"name"`        // the program's base name
	PeakRSS    int64         `json:"peak_rss"`    // peak resident set size, bytes (0 if unknown)
	PeakSource string        `json:"peak_source"` // how PeakRSS was measured: a Peak constant
	UserCPU    time.Duration `json:"user_cpu"`    // CPU time in user mode
	SysCPU     time.Duration `json:"system_cpu"`  // CPU time in the kernel
	ExitCode   int           `json:"exit_code"`   // -1 when killed by a signal or not started
}

// Outcome is what running a pipeline gave.
type Outcome struct {
	Elapsed time.Duration // from the first start to the last exit
	Procs   []Usage       // one per command, in pipeline order
	Stdout  []byte        // the last command's standard output, when not redirected (at most maxStdout bytes)
	Err     error         // the first failure: a command that could not start or exited non-zero
}

// Runner runs pipelines. The zero Runner starts the processes directly.
type Runner struct {
	// GNUTime is the path of GNU time (see FindGNUTime). When set, every
	// process is started through it, and its peak RSS is GNU time's exact
	// report instead of an estimate (see peak.go).
	GNUTime string
}

// Bounds of what is kept of the processes' output.
const (
	maxStdout = 1 << 20
	maxStderr = 4 << 10
	waitDelay = 5 * time.Second
)

// Run starts cmds as a pipeline, each one's standard output connected to the
// next one's standard input by a kernel pipe (as a shell does, with nothing
// copying in between), waits for all of them, and reports. The first
// command's Stdin and the last one's Stdout are left as the caller set them
// (files, typically); the last one's output is captured when nil. Standard
// errors are captured, and the end of a failing command's is in Err.
// Cancelling ctx kills them all.
func (r Runner) Run(ctx context.Context, cmds []*exec.Cmd) Outcome {
	var out Outcome
	if len(cmds) == 0 {
		out.Err = errors.New("proc: nothing to run")
		return out
	}
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = filepath.Base(c.Path)
	}
	var rssFiles []string
	if r.GNUTime != "" {
		var err error
		if cmds, rssFiles, err = wrapGNUTime(r.GNUTime, cmds); err != nil {
			out.Err = err
			return out
		}
		defer func() {
			for _, f := range rssFiles {
				os.Remove(f)
			}
		}()
	}
	stderrs := make([]*tailBuffer, len(cmds))
	for i, c := range cmds {
		stderrs[i] = &tailBuffer{max: maxStderr}
		c.Stderr = stderrs[i]
		ownGroup(c)
		// A killed process's own children may keep its output pipes open:
		// do not wait for them long.
		c.WaitDelay = waitDelay
	}
	var stdout tailBuffer
	last := cmds[len(cmds)-1]
	if last.Stdout == nil {
		stdout.max, stdout.head = maxStdout, true
		last.Stdout = &stdout
	}
	// Pipe ends the parent must close once the children hold them, or the
	// readers would never see EOF.
	var parentEnds []*os.File
	closeParentEnds := func() {
		for _, f := range parentEnds {
			f.Close()
		}
		parentEnds = nil
	}
	defer closeParentEnds()
	for i := 0; i+1 < len(cmds); i++ {
		pr, pw, err := os.Pipe()
		if err != nil {
			out.Err = err
			return out
		}
		cmds[i].Stdout, cmds[i+1].Stdin = pw, pr
		parentEnds = append(parentEnds, pr, pw)
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	started := 0
	watchers := make([]*watcher, len(cmds))
	for i, c := range cmds {
		if err := c.Start(); err != nil {
			out.Err = fmt.Errorf("start %s: %w", names[i], err)
			break
		}
		if r.GNUTime == "" {
			watchers[i] = watch(c.Process.Pid)
		}
		started++
	}
	// Read after the starts: a high-water mark only grows, so this is at
	// least what the children's ru_maxrss took from the harness.
	parentHWM := selfHWM()
	closeParentEnds()
	// Kill everything when ctx ends (or a start failed), so Wait returns.
	stop := context.AfterFunc(runCtx, func() {
		for _, c := range cmds[:started] {
			killGroup(c.Process)
		}
	})
	defer stop()
	if out.Err != nil {
		cancel()
	}
	out.Procs = make([]Usage, len(cmds))
	for i, c := range cmds {
		out.Procs[i] = Usage{Name: names[i], ExitCode: -1}
		if i >= started {
			continue
		}
		err := c.Wait()
		u := &out.Procs[i]
		u.ExitCode = c.ProcessState.ExitCode()
		u.UserCPU, u.SysCPU = c.ProcessState.UserTime(), c.ProcessState.SystemTime()
		if r.GNUTime != "" {
			u.PeakRSS, u.PeakSource = gnuTimePeak(rssFiles[i]), PeakGNUTime
		} else {
			u.PeakRSS, u.PeakSource = decidePeak(rusagePeak(c.ProcessState), watchers[i].finish(), parentHWM)
		}
		if err != nil && out.Err == nil {
			out.Err = fmt.Errorf("%s%s: %w%s", names[i], position(i, len(cmds)), err, stderrs[i].suffix())
		}
	}
	out.Elapsed = time.Since(start)
	out.Stdout = stdout.Bytes()
	if ctx.Err() != nil && out.Err != nil {
		out.Err = fmt.Errorf("%w: %w", ctx.Err(), out.Err) // killed: say why
	}
	return out
}

// position says which command of a pipeline failed: " (2 of 2)".
func position(i, n int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf(" (%d of %d)", i+1, n)
}

// tailBuffer keeps the first (head) or the last max bytes written to it.
type tailBuffer struct {
	max  int
	head bool
	buf  bytes.Buffer
}

// Write keeps what fits and reports everything written, so that a chatty
// process never blocks on its output.
func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if t.head {
		if room := t.max - t.buf.Len(); room < len(p) {
			p = p[:max(room, 0)]
		}
		t.buf.Write(p)
		return n, nil
	}
	t.buf.Write(p)
	if extra := t.buf.Len() - t.max; extra > 0 {
		t.buf.Next(extra)
	}
	return n, nil
}

// Bytes returns what was kept.
func (t *tailBuffer) Bytes() []byte { return t.buf.Bytes() }

// suffix returns ": <last lines of stderr>", or "" when it was empty.
func (t *tailBuffer) suffix() string {
	s := strings.TrimSpace(t.buf.String())
	if s == "" {
		return ""
	}
	return ": " + strings.ReplaceAll(s, "\n", " | ")
}
