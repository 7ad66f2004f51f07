// Command datasync runs data synchronization jobs written as JSON files in
// the shape DataX and DataWorks' code editor use.
//
//	datasync run job.json -p bizdate=20261124   run a job
//	datasync check job.json                     validate and connect; move no data
//	datasync plan job.json                      print the splits as JSON
//	datasync version                            print the version
//
// Exit codes: 0 success, 1 failure (or interrupted), 2 invalid job or usage,
// 3 dirty-data limit passed.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1
	exitInvalid = 2
	exitDirty   = 3
)

const usage = `datasync moves data between databases, files and object stores, as DataX does.

Usage:
  datasync <command> [arguments]

Commands:
  run       run a job file
  check     validate a job file and connect to its systems, moving no data
  plan      print the splits a job would run, as JSON
  version   print the version

Run 'datasync <command> --help' for a command's options and examples.

Exit codes: 0 success, 1 failure or interrupted, 2 invalid job or usage,
3 dirty-data limit passed.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitInvalid
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return runCommand(rest, stdout, stderr)
	case "check":
		return checkCommand(rest, stdout, stderr)
	case "plan":
		return planCommand(rest, stdout, stderr)
	case "version", "--version", "-version":
		return versionCommand(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "datasync: unknown command %q\n\n%s", cmd, usage)
	return exitInvalid
}

// exitCode maps an error to the exit code it deserves.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case job.IsInvalid(err):
		return exitInvalid
	case errors.Is(err, datasync.ErrDirtyLimit):
		return exitDirty
	}
	return exitFailed
}
