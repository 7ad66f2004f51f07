package cli

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
func (e *env) newFlagSet(name, text string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		out := fs.Output() // standard output when help was asked (parseArgs)
		fmt.Fprint(out, e.text(text))
		fmt.Fprintln(out, "\nOptions:")
		fs.PrintDefaults()
	}
	return fs
}

// jobArg parses the command's flags and returns its one job file. A usage
// problem has been reported when ok is false; help means --help was asked.
func (e *env) jobArg(fs *flag.FlagSet, args []string) (path string, code int, ok bool) {
	positional, err := e.parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return "", ExitOK, false
	}
	if err != nil {
		return "", ExitInvalid, false // flag has printed the problem and the usage
	}
	if len(positional) != 1 {
		fmt.Fprintf(e.stderr, "%s %s: want one job file, got %d arguments\n", e.name, fs.Name(), len(positional))
		fs.Usage()
		return "", ExitInvalid, false
	}
	return positional[0], 0, true
}

// jobFlags returns a flag set for a command that takes a job file, with the
// shared flags: -p, --datasources and --run-date.
func (e *env) jobFlags(name, help string) (*flag.FlagSet, *jobInputs) {
	fs := e.newFlagSet(name, help)
	in := &jobInputs{vars: params{}}
	fs.Var(in.vars, "p", "set a job variable: `name=value` (repeatable)")
	in.catalog = e.addCatalogFlag(fs)
	fs.Var(&in.runDate, "run-date", "the `date` scheduling parameters ($[yyyymmdd], ${bizdate}...) are computed from: "+
		"YYYY-MM-DD, or YYYY-MM-DD hh:mm:ss (default now)")
	return fs, in
}

// session is a loaded job file, with output that blots out its secrets.
type session struct {
	job    *job.Job
	name   string // the program's
	path   string
	out    io.Writer
	errOut io.Writer
}

// openJob parses the command's flags, then loads its job file. When it
// returns ok false, the problem has been reported and code is the exit
// code. The caller closes s.job.
func (e *env) openJob(fs *flag.FlagSet, in *jobInputs, args []string) (s *session, code int, ok bool) {
	path, code, ok := e.jobArg(fs, args)
	if !ok {
		return nil, code, false
	}
	opts, err := in.options(e.registry)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", e.name, err)
		return nil, exitCode(err), false
	}
	j, err := job.Load(path, opts)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %s: %v\n", e.name, path, err)
		return nil, exitCode(err), false
	}
	s = &session{
		job:    j,
		name:   e.name,
		path:   path,
		out:    &redactingWriter{w: e.stdout, r: j.Redactor()},
		errOut: &redactingWriter{w: e.stderr, r: j.Redactor()},
	}
	for _, w := range j.Warnings {
		fmt.Fprintf(s.errOut, "%s: %s: warning: %s\n", e.name, path, w)
	}
	return s, 0, true
}

// fail reports err about the job file and returns its exit code.
func (s *session) fail(err error) int {
	fmt.Fprintf(s.errOut, "%s: %s: %v\n", s.name, s.path, err)
	return exitCode(err)
}
