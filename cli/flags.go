package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/datasync-go/datasync/job"
)

// params collects repeated -p name=value flags.
type params map[string]string

func (p params) String() string { return "" }

func (p params) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want name=value, got %q", s)
	}
	p[strings.TrimSpace(name)] = value
	return nil
}

// parseInterspersed parses flags wherever they are among the positional
// arguments ("run job.json -p a=b" as well as "run -p a=b job.json"),
// which the flag package alone does not.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a flag set whose help text is text.
func newFlagSet(name, text string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, text)
		fmt.Fprintln(stderr, "\nOptions:")
		fs.PrintDefaults()
	}
	return fs
}

// jobArg parses the command's flags and returns its one job file. A usage
// problem has been reported when ok is false; help means --help was asked.
func jobArg(fs *flag.FlagSet, args []string, stderr io.Writer) (path string, code int, ok bool) {
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return "", exitOK, false
	}
	if err != nil {
		return "", exitInvalid, false // flag has printed the problem and the usage
	}
	if len(positional) != 1 {
		fmt.Fprintf(stderr, "datasync %s: want one job file, got %d arguments\n", fs.Name(), len(positional))
		fs.Usage()
		return "", exitInvalid, false
	}
	return positional[0], 0, true
}

// jobFlags returns a flag set for a command that takes a job file, with the
// shared -p flag.
func jobFlags(name, help string, stderr io.Writer) (*flag.FlagSet, params) {
	fs := newFlagSet(name, help, stderr)
	vars := params{}
	fs.Var(vars, "p", "set a job variable: `name=value` (repeatable)")
	return fs, vars
}

// session is a loaded job file, with output that blots out its secrets.
type session struct {
	job    *job.Job
	path   string
	out    io.Writer
	errOut io.Writer
}

// openJob parses the command's flags, then loads its job file. When it
// returns ok false, the problem has been reported and code is the exit
// code. The caller closes s.job.
func openJob(fs *flag.FlagSet, vars params, args []string, stdout, stderr io.Writer) (s *session, code int, ok bool) {
	path, code, ok := jobArg(fs, args, stderr)
	if !ok {
		return nil, code, false
	}
	j, err := job.Load(path, job.Options{Vars: vars})
	if err != nil {
		fmt.Fprintf(stderr, "datasync: %s: %v\n", path, err)
		return nil, exitCode(err), false
	}
	return &session{
		job:    j,
		path:   path,
		out:    &redactingWriter{w: stdout, r: j.Redactor()},
		errOut: &redactingWriter{w: stderr, r: j.Redactor()},
	}, 0, true
}

// fail reports err about the job file and returns its exit code.
func (s *session) fail(err error) int {
	fmt.Fprintf(s.errOut, "datasync: %s: %v\n", s.path, err)
	return exitCode(err)
}
