package temporal

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/cli"
	"github.com/datasync-go/datasync/internal/testdb"
)

// The command line end to end: "temporal worker" serving a task queue,
// "temporal run job.json" running a job on it and printing the result.
func TestCommandWorkerAndRun(t *testing.T) {
	dsn := testdb.Postgres(t)
	pgPassword(t, dsn)
	db := openDB(t, dsn)
	execSQL(t, db,
		`CREATE TABLE src (id bigint PRIMARY KEY, v text NOT NULL)`,
		`INSERT INTO src SELECT i, 'row ' || i FROM generate_series(1, 5000) i`,
		`CREATE TABLE dst (id bigint, v text)`)
	path := filepath.Join(t.TempDir(), "job.json")
	require.NoError(t, os.WriteFile(path, []byte(pgJob(t, dsn, `{"speed": {"channel": 2}}`, "src", "dst", []string{"id", "v"}, 6, "")), 0o600))
	conn := []string{"--address", server.GetFrontendHostPort(), "--namespace", server.GetDefaultNamespace(),
		"--task-queue", fmt.Sprintf("command-%d", time.Now().UnixNano())}
	ext := Command(nil)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	workerCtx, stopWorker := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var workerErr bytes.Buffer
	workerCode := -1
	wg.Go(func() {
		workerCode = ext.Run(workerCtx, append([]string{"worker"}, conn...), &bytes.Buffer{}, &workerErr)
	})
	var out, errOut bytes.Buffer
	code := ext.Run(ctx, append([]string{"run", path, "--progress", "0"}, conn...), &out, &errOut)
	stopWorker()
	wg.Wait()
	require.Equal(t, cli.ExitOK, code, "stderr: %s", errOut.String())
	assert.Contains(t, out.String(), "5000 records read, 5000 written, 0 dirty")
	assert.Contains(t, out.String(), "6/6 splits")
	assert.Equal(t, cli.ExitOK, workerCode, "the worker stops cleanly: %s", workerErr.String())
	assert.Equal(t, int64(5000), queryInt(t, db, `SELECT count(*) FROM dst`))

	// An invalid job fails on the workers with the exit code of an invalid job.
	require.NoError(t, os.WriteFile(path, []byte(`{"job": {"content": [{"reader": {"name": "nosuchreader"}, "writer": {"name": "streamwriter"}}]}}`), 0o600))
	workerCtx, stopWorker = context.WithCancel(ctx)
	wg.Go(func() { ext.Run(workerCtx, append([]string{"worker"}, conn...), &bytes.Buffer{}, &bytes.Buffer{}) })
	errOut.Reset()
	code = ext.Run(ctx, append([]string{"run", path, "--progress", "0"}, conn...), &out, &errOut)
	stopWorker()
	wg.Wait()
	assert.Equal(t, cli.ExitInvalid, code)
	assert.Contains(t, errOut.String(), `no reader named "nosuchreader"`)
}
