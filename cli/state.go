package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/datasync-go/datasync/state"
)

const stateHelp = `Usage: datasync state list|show|clear [job.json] [--state-dir dir]

Shows and clears the local state of jobs: what lets an interrupted run be
resumed (its plan, and the checkpoints of its splits). A job is named by
its file, as given to run.

  list              every job with state: its status, splits done, last update
  show <job.json>   the job's state, as JSON (the job's identity included,
                    without secrets)
  clear <job.json>  forget the job's state: its next run starts over (refused
                    while the job runs). A target's progress table is
                    cleared by 'datasync run --fresh'.
`

func (e *env) stateCommand(_ context.Context, args []string) int {
	fs := e.newFlagSet("state", stateHelp)
	dir := fs.String("state-dir", "", "the `directory` of the local job state (default as for run)")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitInvalid
	}
	if len(positional) == 0 {
		fs.Usage()
		return ExitInvalid
	}
	sub, rest := positional[0], positional[1:]
	want := 1
	if sub == "list" {
		want = 0
	}
	switch sub {
	case "list", "show", "clear":
		if len(rest) != want {
			fmt.Fprintf(e.stderr, "%s state %s: want %d job file argument(s), got %d\n", e.name, sub, want, len(rest))
			return ExitInvalid
		}
	default:
		fmt.Fprintf(e.stderr, "%s state: unknown subcommand %q (want list, show or clear)\n", e.name, sub)
		return ExitInvalid
	}
	store, err := openStateStore(*dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s state: %v\n", e.name, err)
		return ExitFailed
	}
	switch sub {
	case "list":
		err = e.stateList(store)
	case "show":
		err = e.stateShow(store, rest[0])
	case "clear":
		err = store.Clear(jobStateName(rest[0]))
		if err == nil {
			fmt.Fprintf(e.stdout, "cleared the state of %s\n", jobStateName(rest[0]))
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "%s state %s: %v\n", e.name, sub, err)
		return ExitFailed
	}
	return ExitOK
}

func (e *env) stateList(store *state.Store) error {
	jobs, err := store.List()
	if err != nil {
		return err
	}
	if len(jobs) == 0 {
		fmt.Fprintf(e.stdout, "no job state in %s\n", store.Dir())
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tSTATUS\tSPLITS DONE\tRUNS\tUPDATED")
	for _, j := range jobs {
		done, planned := j.SplitsDone()
		splits := "-"
		if planned > 0 {
			splits = fmt.Sprintf("%d/%d", done, planned)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", j.Name, j.Status, splits, j.Runs, j.Updated.Local().Format(time.DateTime))
	}
	return tw.Flush()
}

func (e *env) stateShow(store *state.Store, path string) error {
	name := jobStateName(path)
	st, ok, err := store.Get(name)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no state for job %s in %s", name, store.Dir())
	}
	out, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%s\n", out)
	return err
}
