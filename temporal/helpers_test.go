package temporal

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"

	_ "github.com/datasync-go/datasync/job/builtin"
)

// server is the in-process Temporal server all tests share; each test has
// its own task queue.
var server *temporaltest.TestServer

func TestMain(m *testing.M) {
	server = temporaltest.NewServer()
	code := m.Run()
	server.Stop()
	os.Exit(code)
}

// cluster is a test's workers on their own task queue.
type cluster struct {
	t         *testing.T
	taskQueue string
	client    client.Client
	workers   []worker.Worker
}

// newCluster starts n workers, each with its own client, registered with
// what mk returns for worker i; opts[i], when given, are worker i's options.
func newCluster(t *testing.T, n int, mk func(i int) *Worker, opts ...worker.Options) *cluster {
	c := &cluster{t: t, taskQueue: fmt.Sprintf("%s-%d", t.Name(), time.Now().UnixNano()), client: server.GetDefaultClient()}
	for i := range n {
		var o worker.Options
		if i < len(opts) {
			o = opts[i]
		}
		o.Identity = fmt.Sprintf("worker-%d", i)
		wc := server.NewClientWithOptions(client.Options{Identity: o.Identity})
		w := worker.New(wc, c.taskQueue, o)
		mk(i).Register(w)
		require.NoError(t, w.Start())
		c.workers = append(c.workers, w)
	}
	t.Cleanup(func() {
		for _, w := range c.workers {
			w.Stop() // a second Stop does nothing
		}
	})
	return c
}

func (c *cluster) start(ctx context.Context, in JobInput) client.WorkflowRun {
	c.t.Helper()
	run, err := Start(ctx, c.client, StartOptions{TaskQueue: c.taskQueue}, in)
	require.NoError(c.t, err)
	return run
}

// testInput is a job input with timeouts short enough for tests.
func testInput(spec JobSpec) JobInput {
	return JobInput{Job: spec, HeartbeatTimeout: 2 * time.Second, RetryInterval: 100 * time.Millisecond,
		ReportEvery: 200 * time.Millisecond, SplitTimeout: 2 * time.Minute, PrepareTimeout: time.Minute}
}

// pgJob is a DataX job from table src to table dst of the database at
// dsn, with setting as the job's setting object and the writer's extra
// parameters.
func pgJob(t *testing.T, dsn, setting, src, dst string, columns []string, splits int, writerExtra string) string {
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	jdbc := fmt.Sprintf("jdbc:postgresql://%s%s?sslmode=disable", u.Host, u.Path)
	user := u.User.Username()
	cols := ""
	for i, c := range columns {
		if i > 0 {
			cols += ", "
		}
		cols += fmt.Sprintf("%q", c)
	}
	return fmt.Sprintf(`{"job": {
		"setting": %s,
		"content": [{
			"reader": {"name": "postgresqlreader", "parameter": {
				"username": %q, "password": "${pg_password}", "column": [%s], "splitPk": "id", "splits": %d,
				"connection": [{"jdbcUrl": [%q], "table": [%q]}]}},
			"writer": {"name": "postgresqlwriter", "parameter": {
				"username": %q, "password": "${pg_password}", "column": [%s], "writeMode": "insert"%s,
				"connection": [{"jdbcUrl": %q, "table": [%q]}]}}
		}]}}`, setting, user, cols, splits, jdbc, src, user, cols, writerExtra, jdbc, dst)
}

func openDB(t *testing.T, dsn string) *sql.DB {
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func execSQL(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := db.Exec(s)
		require.NoError(t, err, s)
	}
}

func queryInt(t *testing.T, db *sql.DB, q string) int64 {
	t.Helper()
	var n sql.NullInt64
	require.NoError(t, db.QueryRow(q).Scan(&n), q)
	return n.Int64
}

// checkpointWatch is a worker interceptor that tells when a split running
// on its worker has heartbeated a checkpoint: the moment to stop the
// worker in the middle of a split.
type checkpointWatch struct {
	interceptor.WorkerInterceptorBase
	once  sync.Once
	fired chan struct{}
}

func newCheckpointWatch() *checkpointWatch { return &checkpointWatch{fired: make(chan struct{})} }

func (w *checkpointWatch) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &watchInbound{w: w}
	i.Next = next
	return i
}

type watchInbound struct {
	interceptor.ActivityInboundInterceptorBase
	w *checkpointWatch
}

func (i *watchInbound) Init(outbound interceptor.ActivityOutboundInterceptor) error {
	o := &watchOutbound{w: i.w}
	o.Next = outbound
	return i.Next.Init(o)
}

type watchOutbound struct {
	interceptor.ActivityOutboundInterceptorBase
	w *checkpointWatch
}

func (o *watchOutbound) RecordHeartbeat(ctx context.Context, details ...any) {
	o.Next.RecordHeartbeat(ctx, details...)
	if len(details) == 1 {
		if hb, ok := details[0].(heartbeat); ok && hb.Checkpoint != nil {
			o.w.once.Do(func() { close(o.w.fired) })
		}
	}
}
