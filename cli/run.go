package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/numfmt"
	"github.com/datasync-go/datasync/state"
)

const runHelp = `Usage: datasync run <job.json> [-p name=value ...] [options]

Runs a job file: a DataX job or a DataWorks code-editor script. ${name} in
the file takes the value given with -p name=value, or else the environment
variable name; DataWorks' scheduling parameters (${bizdate}, $[yyyymmdd-1])
are computed from --run-date. Data sources the file names are looked up in
the --datasources catalog.

An interrupted run (killed, failed, Ctrl-C) is resumed by running the job
again: splits that finished are skipped, the others restart from their
last durable checkpoint (from the target's progress table where the writer
has one, else from the local state in --state-dir). Two runs of one job at
once are refused, and so is resuming a job whose file (or variables, or run
date) changed since: --fresh starts over. A run that succeeded leaves
nothing to resume: the next run copies everything again.

Progress is shown as a bar when standard error is a terminal, and as a log
line every few seconds otherwise. A report follows at the end; --report
also writes it as JSON, for programs. -v logs debug lines (the plan and
its split boundaries, connection setup, retries and their causes,
flushes); --quiet shows only warnings, errors and the report;
--log-format json logs one JSON object per line. --metrics-addr serves
the job's metrics for Prometheus while it runs. Ctrl-C stops
the job cleanly: every split is closed (uncommitted work rolled back,
multipart uploads aborted) and the report says what was written.

Examples:
  datasync run mysql-to-postgres.json
  datasync run daily.json -p bizdate=20261124 -p region=cn-hangzhou
  datasync run big.json --progress 10s > run.log 2>&1
  datasync run big.json --fresh     # start over instead of resuming
  datasync run nightly.json --quiet --log-format json --report report.json
  datasync run big.json --metrics-addr 127.0.0.1:9464
`

func (e *env) runCommand(ctx context.Context, args []string) int {
	fs, vars := e.jobFlags("run", runHelp)
	every := fs.Duration("progress", 0, "progress interval (default 200ms on a terminal, 5s otherwise)")
	logs := addLogFlags(fs)
	reportPath := fs.String("report", "", "also write the final report as JSON to `FILE` (- for standard output); see the cli package's Report")
	metricsAddr := fs.String("metrics-addr", "", "serve the job's metrics for Prometheus at `host:port`/metrics while it runs (port 0 picks one, logged)")
	sf := addStateFlags(fs)
	verifyAfter := fs.Bool("verify", false, "verify each task's target against its source after the run (see datasync verify)")
	vf := addVerifyFlags(fs)
	s, code, ok := e.openJob(fs, vars, args)
	if !ok {
		return code
	}
	defer s.job.Close()
	if err := logs.check(); err != nil {
		fmt.Fprintf(e.stderr, "%s run: %v\n", e.name, err)
		return ExitInvalid
	}
	run, err := e.beginState(s, vars, sf)
	if err != nil {
		return s.fail(err)
	}
	if run != nil {
		defer run.Close()
	}
	j, errOut := s.job, s.errOut
	logger := logs.logger(errOut)

	opts := []datasync.Option{datasync.WithLogger(logger)}
	if !logs.quiet {
		terminal := isTerminal(e.stderr)
		interval := *every
		if interval <= 0 {
			interval = 5 * time.Second
			if terminal {
				interval = 200 * time.Millisecond
			}
		}
		show := progressLog(logger)
		if terminal {
			show = progressBar(errOut)
		}
		opts = append(opts, datasync.WithProgress(show, interval))
	}
	if *metricsAddr != "" {
		m, err := startMetrics(*metricsAddr)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s run: %v\n", e.name, err)
			return ExitInvalid
		}
		defer m.stop()
		logger.Info("serving metrics", "url", "http://"+m.addr.String()+"/metrics")
		opts = append(opts, datasync.WithMeterProvider(m.provider))
	}
	report := newReport(e.name, s.path, j, vars.runDate.String())
	finish := func(err error, code int) int {
		if *reportPath == "" {
			return code
		}
		report.finish(err, code)
		if werr := report.write(*reportPath, s.out, j.Redact); werr != nil {
			fmt.Fprintf(errOut, "%s: %v\n", e.name, werr)
			if code == ExitOK {
				code = ExitFailed
			}
		}
		return code
	}
	sources := make([]datasync.Source, len(j.Tasks)) // whole, for --verify
	for i, t := range j.Tasks {
		sources[i] = t.Source
	}
	incr, err := s.beginIncremental(ctx, *sf.dir)
	defer incr.close()
	if err != nil {
		return s.fail(err)
	}
	pipelines, err := statePipelines(j, run, opts)
	if err != nil {
		return finish(err, s.fail(err))
	}
	if note := j.LimitsNote(); note != "" {
		logger.Info(note)
	}
	if *sf.fresh {
		if err := clearProgress(ctx, pipelines); err != nil {
			return s.fail(err)
		}
	}
	if run != nil && run.Resuming() {
		st := run.State()
		done, planned := st.SplitsDone()
		fmt.Fprintf(errOut, "%s: resuming the unfinished run of %s (%s %s, run %d): %d of %d splits were done\n",
			e.name, s.path, st.Status, st.Updated.Local().Format("2006-01-02 15:04:05"), st.Runs, done, planned)
	}

	// The first Ctrl-C (or SIGTERM) cancels the job, which closes every
	// split; a second one kills the process the usual way.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()

	for i, p := range pipelines {
		t := j.Tasks[i]
		if run != nil && run.Task(i).Finished() {
			logger.Info("task finished in the run being resumed: skipped", "task", i)
			report.Tasks[i].Status = StatusDoneEarlier
			continue
		}
		logger.Info("task started", "task", i, "reader", t.ReaderName, "writer", t.WriterName)
		if d := incr.describe(i); d != "" {
			logger.Info(d, "task", i)
		}
		res, err := p.Run(ctx)
		if err == nil {
			err = incr.commit(i)
		}
		if taskStarted(res, err) {
			printReport(errOut, res, j.DirtyPath)
		}
		if run != nil {
			err = errors.Join(err, finishTask(run, i, err))
		}
		report.addTask(i, res, err, j.DirtyPath)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				fmt.Fprintf(errOut, "%s: interrupted: %s records were written and committed (%d of %d splits complete); "+
					"what the unfinished splits wrote after their last commit was rolled back or discarded\n",
					e.name, numfmt.Group(res.RecordsWritten), res.SplitsDone(), res.SplitsPlanned)
				resumeHint(errOut, e.name, run)
				return finish(err, ExitFailed)
			}
			fmt.Fprintf(errOut, "%s: task %d (%s -> %s) failed: %v\n", e.name, i, t.ReaderName, t.WriterName, err)
			resumeHint(errOut, e.name, run)
			return finish(err, exitCode(err))
		}
	}
	if run != nil {
		if err := run.Finish(nil); err != nil {
			return finish(err, s.fail(err))
		}
	}
	if *verifyAfter {
		code := s.verifyTasks(ctx, errOut, sources, vf.options())
		var verr error
		if code != ExitOK {
			verr = fmt.Errorf("verifying the target after the run failed (exit code %d)", code)
		}
		return finish(verr, code)
	}
	return finish(nil, ExitOK)
}

// resumeHint says how to go on after a failed or interrupted run kept in
// the local state.
func resumeHint(w io.Writer, name string, run *state.Run) {
	if run != nil {
		fmt.Fprintf(w, "%s: run the job again to resume it (finished splits are skipped), or with --fresh to start over\n", name)
	}
}

// finishTask records the outcome of task i in the run's state: the task
// done, or the run failed (resumable).
func finishTask(run *state.Run, i int, err error) error {
	if err != nil {
		return run.Finish(err)
	}
	return run.Task(i).Finish()
}
