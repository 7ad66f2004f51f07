package temporal

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/testdb"
)

// pgPassword puts the test server's password in the environment the
// workers resolve ${pg_password} from: it never enters workflow history.
func pgPassword(t *testing.T, dsn string) {
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	pw, _ := u.User.Password()
	t.Setenv("pg_password", pw)
}

// testOptions make splits checkpoint often, so that a stopped worker
// leaves a split half done.
var testOptions = []datasync.Option{datasync.WithFlushEvery(0, 50*time.Millisecond), datasync.WithBatchSize(100, 1<<20)}

func TestThreeWorkersFortySplitsOneWorkerLostEveryRowOnce(t *testing.T) {
	dsn := testdb.Postgres(t)
	pgPassword(t, dsn)
	db := openDB(t, dsn)
	const rows = 40_000
	execSQL(t, db,
		`CREATE TABLE src (id bigint PRIMARY KEY, v text NOT NULL, n int NOT NULL)`,
		fmt.Sprintf(`INSERT INTO src SELECT i, 'row ' || i, i %% 977 FROM generate_series(1, %d) i`, rows),
		`CREATE TABLE dst (id bigint, v text, n int)`) // no key: a row written twice shows
	// 8000 records/s over 4 splits at a time: 2000/s, half a second per split.
	// Transactional checkpoints (progressTable): rows and checkpoint commit
	// together, so a resumed split never writes a row twice.
	spec := JobSpec{Text: pgJob(t, dsn, `{"speed": {"channel": 4, "record": 8000}}`, "src", "dst", []string{"id", "v", "n"}, 40,
		`, "progressTable": "default"`)}

	watch := newCheckpointWatch()
	c := newCluster(t, 3, func(int) *Worker { return &Worker{Options: testOptions} },
		worker.Options{Interceptors: []interceptor.WorkerInterceptor{watch}})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := c.start(ctx, testInput(spec))

	select {
	case <-watch.fired: // worker 0 is in the middle of a split, past a checkpoint
	case <-ctx.Done():
		t.Fatal("worker 0 never ran a split to a checkpoint")
	}
	c.workers[0].Stop()

	res, err := Wait(ctx, run)
	require.NoError(t, err)
	t.Logf("result: %s; %d split attempts", res, res.SplitAttempts)
	assert.Equal(t, 40, res.SplitsPlanned)
	assert.Equal(t, 40, res.SplitsDone)
	assert.Greater(t, res.SplitAttempts, 40, "the split of the stopped worker ran again")
	// The counts of the resumed split take the lost attempt's part from its
	// last progress report: close, not exact (the rows below are exact).
	assert.InEpsilon(t, float64(rows), float64(res.RecordsWritten), 0.02)
	assert.Equal(t, int64(rows), queryInt(t, db, `SELECT count(*) FROM dst`))
	assert.Equal(t, int64(rows), queryInt(t, db, `SELECT count(DISTINCT id) FROM dst`))
	assert.Equal(t, queryInt(t, db, `SELECT sum(id * 1000 + n) FROM src`), queryInt(t, db, `SELECT sum(id * 1000 + n) FROM dst`))
	assert.Equal(t, int64(0), queryInt(t, db, `SELECT count(*) FROM dst d JOIN src s USING (id) WHERE d.v <> s.v OR d.n <> s.n`))
}

func TestCancellingTheWorkflowStopsItsSplits(t *testing.T) {
	dsn := testdb.Postgres(t)
	pgPassword(t, dsn)
	db := openDB(t, dsn)
	execSQL(t, db,
		`CREATE TABLE src (id bigint PRIMARY KEY, v text NOT NULL)`,
		`INSERT INTO src SELECT i, 'row ' || i FROM generate_series(1, 100000) i`,
		`CREATE TABLE dst (id bigint, v text)`)
	// 2000 records/s: 50 s for the whole job, cancelled long before.
	spec := JobSpec{Text: pgJob(t, dsn, `{"speed": {"channel": 4, "record": 2000}}`, "src", "dst", []string{"id", "v"}, 8, "")}
	c := newCluster(t, 3, func(int) *Worker { return &Worker{Options: testOptions} })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := c.start(ctx, testInput(spec))

	require.Eventually(t, func() bool {
		p, err := GetProgress(ctx, c.client, run.GetID(), run.GetRunID())
		return err == nil && p.SplitsRunning == 4 && p.RecordsWritten > 0
	}, time.Minute, 100*time.Millisecond, "the splits never started")
	require.NoError(t, c.client.CancelWorkflow(ctx, run.GetID(), run.GetRunID()))
	_, err := Wait(ctx, run)
	var canceled *temporal.CanceledError
	require.ErrorAs(t, err, &canceled)

	desc, err := c.client.DescribeWorkflowExecution(ctx, run.GetID(), run.GetRunID())
	require.NoError(t, err)
	assert.Equal(t, enums.WORKFLOW_EXECUTION_STATUS_CANCELED, desc.WorkflowExecutionInfo.Status)
	assert.Empty(t, desc.PendingActivities, "every split stopped before the workflow ended")
	written := queryInt(t, db, `SELECT count(*) FROM dst`)
	assert.Less(t, written, int64(100000))
	time.Sleep(time.Second)
	assert.Equal(t, written, queryInt(t, db, `SELECT count(*) FROM dst`), "nothing is written after the cancellation")
}

func TestDirtyLimitAcrossWorkers(t *testing.T) {
	dsn := testdb.Postgres(t)
	pgPassword(t, dsn)
	db := openDB(t, dsn)
	const rows = 12_000
	// Every 1000th row breaks the target's check: one at the start of each
	// of the 12 splits, so that no split passes the limit of 5 by itself
	// and the job passes it with its sixth split.
	execSQL(t, db,
		`CREATE TABLE src (id bigint PRIMARY KEY, n int NOT NULL)`,
		fmt.Sprintf(`INSERT INTO src SELECT i, CASE WHEN i %% 1000 = 10 THEN -1 ELSE i END FROM generate_series(1, %d) i`, rows),
		`CREATE TABLE dst (id bigint, n int CHECK (n >= 0))`,
		// Made beforehand: the workers would race to create it.
		`CREATE TABLE dirty (dirty_split text, dirty_stage text, dirty_row bigint, dirty_column text,
			dirty_value text, dirty_reason text, id bigint, n int)`)
	u, _ := url.Parse(dsn)
	jdbc := fmt.Sprintf("jdbc:postgresql://%s%s?sslmode=disable", u.Host, u.Path)
	setting := fmt.Sprintf(`{"speed": {"channel": 4, "record": 4000}, "errorLimit": {"record": 5},
		"dirty": {"writer": {"name": "postgresqlwriter", "parameter": {"username": %q, "password": "${pg_password}",
			"column": ["*"], "connection": [{"jdbcUrl": %q, "table": ["dirty"]}]}}}}`, u.User.Username(), jdbc)
	spec := JobSpec{Text: pgJob(t, dsn, setting, "src", "dst", []string{"id", "n"}, 12, "")}
	c := newCluster(t, 3, func(int) *Worker { return &Worker{Options: testOptions} })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Wait(ctx, c.start(ctx, testInput(spec)))

	require.ErrorIs(t, err, datasync.ErrDirtyLimit)
	var dirty *DirtyLimitError
	require.True(t, errors.As(err, &dirty))
	assert.Greater(t, dirty.Dirty, int64(5))
	assert.Equal(t, int64(5), dirty.MaxRecords)
	assert.Less(t, res.SplitsDone, 12, "the job stopped before it ran every split")
	collected := queryInt(t, db, `SELECT count(*) FROM dirty`)
	assert.GreaterOrEqual(t, collected, int64(6), "the dirty records reached the collector")
	assert.Greater(t, queryInt(t, db, `SELECT count(DISTINCT dirty_split) FROM dirty`), int64(5), "from several splits")
	assert.Equal(t, int64(0), queryInt(t, db, `SELECT count(*) FROM dirty WHERE n >= 0`))
}
