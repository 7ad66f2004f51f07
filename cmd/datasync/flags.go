package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
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
