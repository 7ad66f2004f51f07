// Command datasync-httpjson is the datasync command with one more
// connector: "httpjson", the paged HTTP API reader of package
// customconnector. It runs, checks and plans job files exactly as datasync
// does, with the same flags, progress, report and exit codes:
//
//	datasync-httpjson run orders-api-to-mysql.json
//
// The whole program is the few lines below: a registry with the built-in
// connectors and the custom one, handed to cli.Command.
package main

import (
	"github.com/datasync-go/datasync/cli"
	"github.com/datasync-go/datasync/examples/customconnector"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/builtin"
)

func main() {
	command().Main()
}

// command is the command line over a registry of its own, so that
// job.DefaultRegistry stays as it was.
func command() *cli.Command {
	r := job.NewRegistry()
	builtin.Register(r)
	customconnector.Register(r)
	return &cli.Command{Name: "datasync-httpjson", Registry: r}
}
