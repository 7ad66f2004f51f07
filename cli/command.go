package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
)

// Exit codes returned by Command.Run.
const (
	ExitOK      = 0 // success
	ExitFailed  = 1 // the job or a check failed, or it was interrupted
	ExitInvalid = 2 // invalid job file or command line
	ExitDirty   = 3 // the dirty-data limit was passed
)

const usage = `datasync moves data between databases, files and object stores, as DataX does.

Usage:
  datasync <command> [arguments]

Commands:
  run         run a job file
  check       validate a job file and connect to its systems, moving no data
  plan        print the splits a job would run, as JSON
  verify      compare a job's source and target, moving no data
  datasource  list, test, add and remove named data sources
  ui          serve the codeless UI: build, check, run and convert jobs in a browser
  state       list, show and clear the local state of jobs (resume)
  version     print the version

Run 'datasync <command> --help' for a command's options and examples.

Exit codes: 0 success, 1 failure or interrupted, 2 invalid job or usage,
3 dirty-data limit passed.
`

// Command is the datasync command line: run, check, plan, datasource, ui,
// state and version, with the connectors of its Registry. The zero value is the
// datasync command itself (job.DefaultRegistry, standard output and
// error). A Command is not modified by Run and may be run more than once.
type Command struct {
	// Name is the program's name in usage texts and messages; "datasync"
	// when empty.
	Name string
	// Registry holds the connectors job files may name;
	// job.DefaultRegistry when nil.
	Registry *job.Registry
	// Version is what the version command prints first (the program's
	// version); when empty, the main module's version from the build.
	Version string
	// Commands are extra commands, by name, that a program adds to the
	// command line (the Temporal module's "temporal"). They are listed in
	// the usage text and cannot replace a built-in command.
	Commands map[string]Extension
	// Stdout receives data and results (plan's JSON, check's summary);
	// Stderr receives progress, logs, reports and errors. os.Stdout and
	// os.Stderr when nil. Progress is drawn as a bar only when Stderr is a
	// terminal. A connector that prints records itself (DataX's
	// streamwriter with print) writes to the process's standard output.
	Stdout, Stderr io.Writer
}

// Main runs the command with the process's arguments and exits with its
// exit code: the whole of a main function.
func (c *Command) Main() {
	os.Exit(c.Run(context.Background(), os.Args[1:]))
}

// Run runs the command line args (without the program name, as
// os.Args[1:]) and returns the exit code (ExitOK, ExitFailed, ExitInvalid
// or ExitDirty). Cancelling ctx stops a running job as an interrupt
// (SIGINT or SIGTERM) does: every split is closed and the report says what
// was written.
func (c *Command) Run(ctx context.Context, args []string) int {
	e := c.env()
	if len(args) == 0 {
		fmt.Fprint(e.stderr, e.text(usage)+c.extensionUsage())
		return ExitInvalid
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return e.runCommand(ctx, rest)
	case "check":
		return e.checkCommand(ctx, rest)
	case "plan":
		return e.planCommand(ctx, rest)
	case "verify":
		return e.verifyCommand(ctx, rest)
	case "datasource", "datasources":
		return e.datasourceCommand(ctx, rest)
	case "ui":
		return e.uiCommand(ctx, rest)
	case "state":
		return e.stateCommand(ctx, rest)
	case "version", "--version", "-version":
		return e.versionCommand(rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, e.text(usage)+c.extensionUsage())
		return ExitOK
	}
	if x, ok := c.Commands[cmd]; ok {
		return x.Run(ctx, rest, e.stdout, e.stderr)
	}
	known := append([]string(nil), commands...)
	for name := range c.Commands {
		known = append(known, name)
	}
	if s := suggest(cmd, known); s != "" {
		fmt.Fprintf(e.stderr, "%s: unknown command %q; did you mean %q?\n\n%s", e.name, cmd, s, e.text(usage)+c.extensionUsage())
		return ExitInvalid
	}
	fmt.Fprintf(e.stderr, "%s: unknown command %q\n\n%s", e.name, cmd, e.text(usage)+c.extensionUsage())
	return ExitInvalid
}

// env is a Command with its defaults filled in, for one Run.
type env struct {
	name           string
	registry       *job.Registry
	version        string
	stdout, stderr io.Writer
}

func (c *Command) env() *env {
	e := &env{name: c.Name, registry: c.Registry, version: c.Version, stdout: c.Stdout, stderr: c.Stderr}
	if e.name == "" {
		e.name = "datasync"
	}
	if e.registry == nil {
		e.registry = job.DefaultRegistry
	}
	if e.stdout == nil {
		e.stdout = os.Stdout
	}
	if e.stderr == nil {
		e.stderr = os.Stderr
	}
	return e
}

// text puts the program's name in a help text written for "datasync".
func (e *env) text(s string) string {
	if e.name == "datasync" {
		return s
	}
	return strings.ReplaceAll(s, "datasync", e.name)
}

// exitCode maps an error to the exit code it deserves.
func exitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case job.IsInvalid(err):
		return ExitInvalid
	case errors.Is(err, datasync.ErrDirtyLimit):
		return ExitDirty
	}
	return ExitFailed
}
