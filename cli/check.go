package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

const checkHelp = `Usage: datasync check <job.json> [-p name=value ...]

Validates a job file and checks it against the live systems without moving
or changing any data, as DataX's dry run: the file's settings, then for each
reader and writer that it can connect, that tables, columns and types exist
and match, that it has the privileges it needs and that the server features
it relies on (such as MySQL's LOAD DATA LOCAL) are available. It prints each
task's plan size when all is well, and warns about what works but looks
like a mistake: a writer's column list that takes the reader's columns, by
position, into columns of other names.

Examples:
  datasync check mysql-to-postgres.json
  datasync check daily.json -p bizdate=20261124
`

func (e *env) checkCommand(ctx context.Context, args []string) int {
	fs, vars := e.jobFlags("check", checkHelp)
	s, code, ok := e.openJob(fs, vars, args)
	if !ok {
		return code
	}
	defer s.job.Close()
	j, out, errOut := s.job, s.out, s.errOut
	pipelines, err := j.Pipelines()
	if err != nil {
		return s.fail(err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	failed := false
	for i, p := range pipelines {
		t := j.Tasks[i]
		if err := p.Check(ctx); err != nil {
			failed = true
			fmt.Fprintf(errOut, "task %d (%s -> %s): check failed:\n%v\n", i, t.ReaderName, t.WriterName, err)
			continue
		}
		splits, err := p.Plan(ctx)
		if err != nil {
			failed = true
			fmt.Fprintf(errOut, "task %d (%s -> %s): %v\n", i, t.ReaderName, t.WriterName, err)
			continue
		}
		fmt.Fprintf(out, "task %d (%s -> %s): ok, %d splits\n", i, t.ReaderName, t.WriterName, len(splits))
		warnings, _ := p.CheckWarnings(ctx) // the schema was read by Check
		for _, w := range warnings {
			fmt.Fprintf(errOut, "task %d (%s -> %s): warning: %s\n", i, t.ReaderName, t.WriterName, w)
		}
	}
	if failed {
		return ExitFailed
	}
	return ExitOK
}
