// Command datasync is the datasync command with the built-in connectors
// and one more command, temporal, that runs jobs on a Temporal cluster:
//
//	datasync temporal worker --address temporal:7233 --namespace etl
//	datasync temporal run job.json -p bizdate=20261124 --address temporal:7233 --namespace etl
//
// Every other command (run, check, plan, datasource, version) is the core
// command's. See the module's README.
package main

import (
	"github.com/datasync-go/datasync/cli"
	_ "github.com/datasync-go/datasync/job/builtin" // the built-in connectors, in job.DefaultRegistry
	"github.com/datasync-go/datasync/temporal"
)

func main() {
	(&cli.Command{Commands: map[string]cli.Extension{"temporal": temporal.Command(nil)}}).Main()
}
