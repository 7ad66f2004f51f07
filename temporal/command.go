package temporal

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/cli"
	"github.com/datasync-go/datasync/job/datasource"
)

const commandHelp = `Usage: datasync temporal <worker|run|progress|cancel> [options]

Runs jobs on a Temporal cluster: the splits of one job spread over every
worker of a task queue, a lost worker's split resumed on another.

  datasync temporal worker                 run a worker (until SIGINT or SIGTERM)
  datasync temporal run job.json [-p k=v]  run a job on the workers and wait for it
  datasync temporal progress <workflow-id> print a job's progress
  datasync temporal cancel <workflow-id>   cancel a job (its splits stop, Abort runs)

Every subcommand takes the connection flags (default from the environment):
  --address     host:port of the Temporal frontend ($TEMPORAL_ADDRESS, else 127.0.0.1:7233)
  --namespace   the namespace ($TEMPORAL_NAMESPACE, else default)
  --task-queue  the task queue of the workers (default datasync)
  --tls-cert, --tls-key   client certificate and key files (mTLS)
  --tls-ca      CA file for the server's certificate; --tls for TLS with the system's CAs
  --api-key-env the environment variable holding an API key (default TEMPORAL_API_KEY, read if set)
`

// Command returns the "temporal" command, for cli.Command.Commands. The
// workers it runs are copies of w (nil for the zero Worker): its Registry
// and Factories are theirs.
func Command(w *Worker) cli.Extension {
	if w == nil {
		w = &Worker{}
	}
	return cli.Extension{
		Summary: "run jobs on a Temporal cluster: temporal worker, temporal run job.json",
		Run: func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
			c := &command{template: w, stdout: stdout, stderr: stderr}
			return c.run(ctx, args)
		},
	}
}

type command struct {
	template       *Worker
	stdout, stderr io.Writer
}

func (c *command) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, commandHelp)
		return cli.ExitInvalid
	}
	switch args[0] {
	case "worker":
		return c.worker(ctx, args[1:])
	case "run":
		return c.runJob(ctx, args[1:])
	case "progress":
		return c.progress(ctx, args[1:])
	case "cancel":
		return c.cancel(ctx, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(c.stdout, commandHelp)
		return cli.ExitOK
	}
	fmt.Fprintf(c.stderr, "datasync temporal: unknown subcommand %q\n\n%s", args[0], commandHelp)
	return cli.ExitInvalid
}

// connection are the flags every subcommand takes.
type connection struct {
	address, namespace, taskQueue string
	tlsOn                         bool
	tlsCert, tlsKey, tlsCA        string
	apiKeyEnv                     string
}

func (c *command) flagSet(name string, conn *connection) *flag.FlagSet {
	fs := flag.NewFlagSet("datasync temporal "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&conn.address, "address", envOr("TEMPORAL_ADDRESS", "127.0.0.1:7233"), "host:port of the Temporal frontend")
	fs.StringVar(&conn.namespace, "namespace", envOr("TEMPORAL_NAMESPACE", "default"), "the Temporal namespace")
	fs.StringVar(&conn.taskQueue, "task-queue", DefaultTaskQueue, "the workers' task queue")
	fs.BoolVar(&conn.tlsOn, "tls", false, "connect with TLS (implied by the other --tls flags)")
	fs.StringVar(&conn.tlsCert, "tls-cert", "", "client certificate file, for mTLS")
	fs.StringVar(&conn.tlsKey, "tls-key", "", "client key file, for mTLS")
	fs.StringVar(&conn.tlsCA, "tls-ca", "", "CA certificate file the server's certificate is checked against")
	fs.StringVar(&conn.apiKeyEnv, "api-key-env", "TEMPORAL_API_KEY", "environment variable holding an API key")
	return fs
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// dial connects to the cluster.
func (conn *connection) dial(ctx context.Context, logger *slog.Logger) (client.Client, error) {
	o := client.Options{HostPort: conn.address, Namespace: conn.namespace, Logger: tlog.NewStructuredLogger(logger)}
	if conn.tlsOn || conn.tlsCert != "" || conn.tlsKey != "" || conn.tlsCA != "" {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if (conn.tlsCert == "") != (conn.tlsKey == "") {
			return nil, errors.New("--tls-cert and --tls-key go together")
		}
		if conn.tlsCert != "" {
			pair, err := tls.LoadX509KeyPair(conn.tlsCert, conn.tlsKey)
			if err != nil {
				return nil, fmt.Errorf("--tls-cert/--tls-key: %w", err)
			}
			cfg.Certificates = []tls.Certificate{pair}
		}
		if conn.tlsCA != "" {
			pem, err := os.ReadFile(conn.tlsCA)
			if err != nil {
				return nil, fmt.Errorf("--tls-ca: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("--tls-ca: %s holds no PEM certificate", conn.tlsCA)
			}
			cfg.RootCAs = pool
		}
		o.ConnectionOptions.TLS = cfg
	}
	if key := os.Getenv(conn.apiKeyEnv); conn.apiKeyEnv != "" && key != "" {
		o.Credentials = client.NewAPIKeyStaticCredentials(key)
	}
	c, err := client.DialContext(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s, namespace %s: %w", conn.address, conn.namespace, err)
	}
	return c, nil
}

// parse parses flags wherever they are among the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
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

// usageError reports a command-line mistake.
func (c *command) usageError(name, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "datasync temporal %s: %s\n", name, fmt.Sprintf(format, args...))
	return cli.ExitInvalid
}

func (c *command) worker(ctx context.Context, args []string) int {
	var conn connection
	fs := c.flagSet("worker", &conn)
	catalog := fs.String("datasources", "", "the data-source catalog file (default: the user's catalog, read when a job names a data source)")
	maxSplits := fs.Int("max-splits", 0, "splits this worker runs at once, at most (default: the SDK's limit of activities)")
	dirtyDir := fs.String("dirty-dir", "", "directory of dirty-data files, one per split (default: the job's dirty.path directory, or the working directory)")
	verbose := fs.Bool("v", false, "log more (debug level)")
	rest, err := parse(fs, args)
	if err != nil {
		return cli.ExitInvalid
	}
	if len(rest) > 0 {
		return c.usageError("worker", "takes no arguments, got %q", rest)
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: level}))
	w := *c.template
	w.Logger = logger
	w.DirtyDir = *dirtyDir
	w.Options = append(append([]datasync.Option{}, w.Options...), datasync.WithLogger(logger))
	if *catalog != "" {
		cat, err := datasource.Load(*catalog)
		if err != nil {
			return c.usageError("worker", "--datasources: %v", err)
		}
		w.DataSources = cat
	}
	tc, err := conn.dial(ctx, logger)
	if err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal worker: %v\n", err)
		return cli.ExitFailed
	}
	defer tc.Close()
	tw := worker.New(tc, conn.taskQueue, worker.Options{MaxConcurrentActivityExecutionSize: *maxSplits})
	w.Register(tw)
	logger.Info("worker started", "address", conn.address, "namespace", conn.namespace, "task_queue", conn.taskQueue)
	stop := make(chan any)
	ctx, cancel := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer cancel()
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	if err := tw.Run(stop); err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal worker: %v\n", err)
		return cli.ExitFailed
	}
	return cli.ExitOK
}

// vars collects repeated -p name=value flags.
type vars map[string]string

func (v vars) String() string { return "" }

func (v vars) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want name=value, got %q", s)
	}
	v[strings.TrimSpace(name)] = value
	return nil
}

// runDateLayouts are the forms --run-date accepts, as datasync run's.
var runDateLayouts = []string{"2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "20060102"}

func parseRunDate(s string) (time.Time, error) {
	for _, layout := range runDateLayouts {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("want a date such as 2026-11-25 (or 2026-11-25 02:00:00), got %q", s)
}

func (c *command) runJob(ctx context.Context, args []string) int {
	var conn connection
	fs := c.flagSet("run", &conn)
	params := vars{}
	fs.Var(params, "p", "a value for ${name} in the job file, as name=value (repeatable); kept in workflow history: no secrets")
	runDate := fs.String("run-date", "", "the scheduled time DataWorks' scheduling parameters are computed from (default now)")
	onWorkers := fs.Bool("path-on-workers", false, "send the job file's path, which the workers read, instead of its text")
	id := fs.String("id", "", "the workflow ID (default datasync-<time>-<random>)")
	detach := fs.Bool("detach", false, "start the job, print its workflow ID and return")
	every := fs.Duration("progress", 5*time.Second, "how often to print progress while waiting (0: never)")
	heartbeat := fs.Duration("heartbeat", DefaultHeartbeatTimeout, "a split whose worker is silent this long runs again elsewhere")
	reportEvery := fs.Duration("report-every", DefaultReportEvery, "how often running splits report their counts to the workflow")
	attempts := fs.Int("max-attempts", DefaultMaxAttempts, "attempts per split (a lost worker uses one)")
	rest, err := parse(fs, args)
	if err != nil {
		return cli.ExitInvalid
	}
	if len(rest) != 1 {
		return c.usageError("run", "want one job file, got %d arguments", len(rest))
	}
	in := JobInput{HeartbeatTimeout: *heartbeat, ReportEvery: *reportEvery, MaxAttempts: int32(*attempts)}
	if len(params) > 0 {
		in.Job.Vars = params
	}
	if *runDate != "" {
		if in.Job.RunDate, err = parseRunDate(*runDate); err != nil {
			return c.usageError("run", "--run-date: %v", err)
		}
	}
	if *onWorkers {
		in.Job.Path = rest[0]
		if !filepath.IsAbs(in.Job.Path) {
			return c.usageError("run", "--path-on-workers wants an absolute path, as the workers see it, got %q", rest[0])
		}
	} else {
		text, err := os.ReadFile(rest[0])
		if err != nil {
			return c.usageError("run", "%v", err)
		}
		in.Job.Text = string(text)
	}
	logger := slog.New(slog.NewTextHandler(c.stderr, nil))
	tc, err := conn.dial(ctx, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal run: %v\n", err)
		return cli.ExitFailed
	}
	defer tc.Close()
	run, err := Start(ctx, tc, StartOptions{ID: *id, TaskQueue: conn.taskQueue}, in)
	if err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal run: %v\n", err)
		return cli.ExitInvalid
	}
	fmt.Fprintf(c.stdout, "workflow %s (run %s) on task queue %s\n", run.GetID(), run.GetRunID(), conn.taskQueue)
	if *detach {
		return cli.ExitOK
	}

	// The first Ctrl-C cancels the job; the command waits for its splits
	// to stop and Abort to run.
	sigCtx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-sigCtx.Done()
		if ctx.Err() == nil {
			stop()
			logger.Warn("interrupted: cancelling the job", "workflow", run.GetID())
			_ = tc.CancelWorkflow(context.WithoutCancel(ctx), run.GetID(), run.GetRunID())
		}
	}()
	done := make(chan struct{})
	if *every > 0 {
		go func() {
			t := time.NewTicker(*every)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					if p, err := GetProgress(ctx, tc, run.GetID(), run.GetRunID()); err == nil {
						logger.Info("progress", "workflow", run.GetID(), "progress", p.String())
					}
				}
			}
		}()
	}
	res, err := Wait(ctx, run)
	close(done)
	if err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal run: job %s failed: %v\n", run.GetID(), err)
		return exitCode(err)
	}
	fmt.Fprintf(c.stdout, "%s\n", res)
	return cli.ExitOK
}

// exitCode maps a job's error to the command's exit code, as datasync
// run's.
func exitCode(err error) int {
	switch {
	case err == nil:
		return cli.ExitOK
	case errors.Is(err, datasync.ErrDirtyLimit):
		return cli.ExitDirty
	case findApplicationError(err, ErrTypeInvalidJob) != nil:
		return cli.ExitInvalid
	}
	return cli.ExitFailed
}

func (c *command) progress(ctx context.Context, args []string) int {
	var conn connection
	fs := c.flagSet("progress", &conn)
	rest, err := parse(fs, args)
	if err != nil {
		return cli.ExitInvalid
	}
	if len(rest) != 1 {
		return c.usageError("progress", "want one workflow ID, got %d arguments", len(rest))
	}
	tc, err := conn.dial(ctx, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal progress: %v\n", err)
		return cli.ExitFailed
	}
	defer tc.Close()
	p, err := GetProgress(ctx, tc, rest[0], "")
	if err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal progress: %v\n", err)
		return cli.ExitFailed
	}
	fmt.Fprintln(c.stdout, p)
	return cli.ExitOK
}

func (c *command) cancel(ctx context.Context, args []string) int {
	var conn connection
	fs := c.flagSet("cancel", &conn)
	rest, err := parse(fs, args)
	if err != nil {
		return cli.ExitInvalid
	}
	if len(rest) != 1 {
		return c.usageError("cancel", "want one workflow ID, got %d arguments", len(rest))
	}
	tc, err := conn.dial(ctx, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal cancel: %v\n", err)
		return cli.ExitFailed
	}
	defer tc.Close()
	if err := tc.CancelWorkflow(ctx, rest[0], ""); err != nil {
		fmt.Fprintf(c.stderr, "datasync temporal cancel: %v\n", err)
		return cli.ExitFailed
	}
	fmt.Fprintf(c.stdout, "cancellation of %s requested\n", rest[0])
	return cli.ExitOK
}
