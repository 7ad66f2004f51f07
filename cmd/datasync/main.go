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
//
// The command is package cli with the built-in connectors; a program with
// connectors of its own builds the same command with its own registry (see
// package cli).
package main

import (
	"github.com/datasync-go/datasync/cli"
	_ "github.com/datasync-go/datasync/job/builtin" // the built-in connectors, in job.DefaultRegistry
)

func main() {
	(&cli.Command{}).Main()
}
