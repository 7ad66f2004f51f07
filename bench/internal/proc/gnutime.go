package proc

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// FindGNUTime returns the path of GNU time ("time" on PATH, usually
// /usr/bin/time from the Debian package "time"), or "" when it is not
// installed or is another time.
func FindGNUTime(ctx context.Context) string {
	path, err := exec.LookPath("time")
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, path, "--version").CombinedOutput()
	if !bytes.Contains(out, []byte("GNU")) {
		return ""
	}
	return path
}

// wrapGNUTime returns commands that run cmds through GNU time, each writing
// its peak RSS in KiB (%M) to a file of the returned list.
func wrapGNUTime(gnuTime string, cmds []*exec.Cmd) ([]*exec.Cmd, []string, error) {
	wrapped := make([]*exec.Cmd, len(cmds))
	files := make([]string, len(cmds))
	for i, c := range cmds {
		f, err := os.CreateTemp("", "datasync-bench-rss-*")
		if err != nil {
			for _, p := range files[:i] {
				os.Remove(p)
			}
			return nil, nil, err
		}
		f.Close()
		files[i] = f.Name()
		args := append([]string{"-f", "%M", "-o", f.Name(), "--", c.Path}, c.Args[1:]...)
		w := exec.Command(gnuTime, args...)
		w.Env, w.Dir, w.Stdin, w.Stdout = c.Env, c.Dir, c.Stdin, c.Stdout
		wrapped[i] = w
	}
	return wrapped, files, nil
}

// gnuTimePeak reads the peak RSS GNU time wrote to path, in bytes: the last
// line is %M in KiB (a line before it may say the command failed).
func gnuTimePeak(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	lines := bytes.Split(bytes.TrimSpace(b), []byte{'\n'})
	kb, err := strconv.ParseInt(string(bytes.TrimSpace(lines[len(lines)-1])), 10, 64)
	if err != nil {
		return 0
	}
	return kb * 1024
}
