package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// plan is what one run of a native tool executes: commands connected by
// pipes in order, as a shell would run "a | b < stdin > stdout".
type plan struct {
	Cmds   []*exec.Cmd
	Stdin  string            // file fed to the first command, "" for none
	Stdout string            // file the last command writes, "" for none
	Files  map[string]string // files to write first (path -> content), such as a tool's script
}

// open writes the plan's files and connects its redirections; the returned
// function closes what it opened. It is called right before the run, after
// the target was emptied.
func (p plan) open() (closeAll func(), err error) {
	var files []*os.File
	closeAll = func() {
		for _, f := range files {
			f.Close()
		}
	}
	for path, content := range p.Files {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return closeAll, err
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			return closeAll, err
		}
	}
	if p.Stdin != "" {
		f, err := os.Open(p.Stdin)
		if err != nil {
			return closeAll, err
		}
		files = append(files, f)
		p.Cmds[0].Stdin = f
	}
	if p.Stdout != "" {
		f, err := os.Create(p.Stdout)
		if err != nil {
			return closeAll, err
		}
		files = append(files, f)
		p.Cmds[len(p.Cmds)-1].Stdout = f
	}
	return closeAll, nil
}

// String returns the plan as a shell command line that does the same, with
// the environment variables the harness adds (passwords shown as ***).
func (p plan) String() string {
	inherited := os.Environ()
	parts := make([]string, len(p.Cmds))
	for i, c := range p.Cmds {
		var words []string
		for _, kv := range c.Env {
			if slices.Contains(inherited, kv) {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			if k == "MYSQL_PWD" || k == "PGPASSWORD" {
				v = "***"
			}
			words = append(words, k+"="+shellQuote(v))
		}
		words = append(words, filepath.Base(c.Path))
		for _, a := range c.Args[1:] {
			words = append(words, shellQuote(a))
		}
		parts[i] = strings.Join(words, " ")
	}
	s := strings.Join(parts, " | ")
	if p.Stdin != "" {
		s += " < " + shellQuote(p.Stdin)
	}
	if p.Stdout != "" {
		s += " > " + shellQuote(p.Stdout)
	}
	return s
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,@%+") == "" {
		return s
	}
	if strings.Contains(s, "'") && !strings.ContainsAny(s, "\"$`\\!") {
		return `"` + s + `"` // reads better than '\'' for SQL with string literals
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
