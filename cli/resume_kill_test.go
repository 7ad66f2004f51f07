package cli

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testdb"
)

// killRows is the size of the kill tests' source table (2^17 rows).
const killRows = 1 << 17

// killJob is a job from a table src of killRows rows (id, v) into a
// PostgreSQL table dst without a key, in insert mode, with a progress
// table: slowed down by a record rate so that it runs for a few seconds,
// and committing every 100ms, so that a kill lands among many commits.
const killJob = `{"job": {
  "setting": {"speed": {"channel": 4, "record": 40000}, "flush": {"every": "100ms"}},
  "content": [{
    "reader": {"name": %q, "parameter": {"username": %q, "splitPk": "id", "column": ["id", "v"],
      "connection": [{"jdbcUrl": [%q], "table": ["src"]}]}},
    "writer": {"name": "postgresqlwriter", "parameter": {"username": %q, "column": ["id", "v"],
      "writeMode": "insert", "progressTable": "default",
      "connection": [{"jdbcUrl": %q, "table": ["dst"]}]}}
  }]}}`

// TestKilledRunsResumeExactly kills a multi-split PostgreSQL -> PostgreSQL
// and MySQL -> PostgreSQL job with SIGKILL at random moments, three times,
// then runs it to the end: the target holds every row exactly once, and the
// last run reads only the rows the killed runs had not committed (finished
// splits are skipped, the others resume after their last commit). Meanwhile
// a second run of the job is refused, and so is resuming a changed job.
func TestKilledRunsResumeExactly(t *testing.T) {
	for _, from := range []string{"postgresql", "mysql"} {
		t.Run(from+" to postgresql", func(t *testing.T) {
			dstDSN := testdb.Postgres(t)
			dst := pgConn(t, dstDSN)
			pgExec(t, dst, `CREATE TABLE dst (id bigint, v text)`)
			var reader, readerUser, readerURL string
			if from == "postgresql" {
				srcDSN := testdb.Postgres(t)
				pgExec(t, pgConn(t, srcDSN), `CREATE TABLE src (id bigint PRIMARY KEY, v text)`,
					fmt.Sprintf(`INSERT INTO src SELECT i, 'row ' || i FROM generate_series(1, %d) i`, killRows))
				reader, readerURL, readerUser = "postgresqlreader", pgJDBC(t, srcDSN), pgUser(t, srcDSN)
			} else {
				srcDSN := testdb.MySQL(t)
				db, err := sql.Open("mysql", srcDSN)
				require.NoError(t, err)
				defer db.Close()
				db.SetMaxOpenConns(1)
				stmts := []string{`CREATE TABLE src (id BIGINT PRIMARY KEY, v VARCHAR(40))`, `INSERT INTO src VALUES (1, 'row 1')`}
				for n := 1; n < killRows; n *= 2 {
					stmts = append(stmts, fmt.Sprintf(`INSERT INTO src SELECT id + %d, CONCAT('row ', id + %d) FROM src`, n, n))
				}
				for _, s := range stmts {
					_, err := db.Exec(s)
					require.NoError(t, err, s)
				}
				cfg, err := gomysql.ParseDSN(srcDSN)
				require.NoError(t, err)
				reader, readerUser = "mysqlreader", cfg.User
				readerURL = fmt.Sprintf("jdbc:mysql://%s/%s?useSSL=false", cfg.Addr, cfg.DBName)
			}
			text := fmt.Sprintf(killJob, reader, readerUser, readerURL, pgUser(t, dstDSN), pgJDBC(t, dstDSN))
			path := writeJob(t, text)
			stateDir := filepath.Join(t.TempDir(), "state")
			args := []string{"run", path, "--state-dir", stateDir, "--quiet"}

			killed := 0
			for i := range 3 {
				cmd := command(args...)
				before := pgCount(t, dst, "dst")
				require.NoError(t, cmd.Start())
				// Once the run commits its first rows, at a random moment.
				for deadline := time.Now().Add(30 * time.Second); pgCount(t, dst, "dst") == before && time.Now().Before(deadline); {
					time.Sleep(20 * time.Millisecond)
				}
				time.Sleep(time.Duration(rand.IntN(600)) * time.Millisecond)
				if i == 0 {
					second := runIn(t, args...)
					assert.Equal(t, ExitFailed, second.code)
					assert.Contains(t, second.stderr, "is being run by pid")
				}
				require.NoError(t, cmd.Process.Kill())
				err := cmd.Wait()
				if _, ok := err.(*exec.ExitError); !ok {
					break // it finished before the kill
				}
				killed++
			}
			require.Positive(t, killed)
			// A COMMIT the killed process sent just before it died still
			// lands: count once the server has ended its sessions.
			waitForNoOtherSessions(t, dst)
			committed := pgCount(t, dst, "dst")
			// The job file gives no progressJob: the task's identity keys
			// its progress, not the table's name another job may share.
			var jobs int
			var jobID string
			require.NoError(t, dst.QueryRow(context.Background(),
				`SELECT count(DISTINCT job), min(job) FROM datasync_progress`).Scan(&jobs, &jobID))
			assert.Equal(t, 1, jobs)
			assert.Regexp(t, `^task:[0-9a-f]{24}$`, jobID)
			require.Less(t, committed, int64(killRows), "the killed runs left work to do")
			t.Logf("%d runs killed; %d of %d rows committed", killed, committed, killRows)

			// The job changed: no resuming it, unless --fresh (not taken here).
			require.NoError(t, os.WriteFile(path, []byte(strings.Replace(text, `"record": 40000`, `"record": 50000`, 1)), 0o644))
			changed := runIn(t, args...)
			assert.Equal(t, ExitFailed, changed.code)
			assert.Contains(t, changed.stderr, "--fresh")
			require.NoError(t, os.WriteFile(path, []byte(text), 0o644))

			last := runIn(t, args...)
			require.Equal(t, ExitOK, last.code, last.stderr)
			assert.Contains(t, last.stderr, "resuming the unfinished run")
			assert.Equal(t, int64(killRows)-committed, reportCount(t, last.stderr, "Records read"),
				"the last run reads only what the killed runs did not commit")
			var n, distinct, sum int64
			var digest string
			require.NoError(t, dst.QueryRow(context.Background(),
				`SELECT count(*), count(DISTINCT id), sum(id), md5(string_agg(v, ',' ORDER BY id)) FROM dst`).Scan(&n, &distinct, &sum, &digest))
			assert.Equal(t, [3]int64{killRows, killRows, killRows * (killRows + 1) / 2}, [3]int64{n, distinct, sum})
			var want string
			require.NoError(t, dst.QueryRow(context.Background(),
				fmt.Sprintf(`SELECT md5(string_agg('row ' || i, ',' ORDER BY i)) FROM generate_series(1, %d) i`, killRows)).Scan(&want))
			assert.Equal(t, want, digest)
			assert.Equal(t, int64(0), pgCount(t, dst, "datasync_progress"), "a finished job leaves no progress")

			list := runIn(t, "state", "list", "--state-dir", stateDir)
			require.Equal(t, ExitOK, list.code, list.stderr)
			assert.Contains(t, list.stdout, "finished")
		})
	}
}

func pgConn(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func pgExec(t *testing.T, c *pgx.Conn, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := c.Exec(context.Background(), s)
		require.NoError(t, err, s)
	}
}

func pgCount(t *testing.T, c *pgx.Conn, table string) int64 {
	t.Helper()
	var n int64
	require.NoError(t, c.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n))
	return n
}

func pgJDBC(t *testing.T, dsn string) string {
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	return fmt.Sprintf("jdbc:postgresql://%s%s?sslmode=disable", u.Host, u.Path)
}

func pgUser(t *testing.T, dsn string) string {
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	return u.User.Username()
}

// reportCount reads a count from the report, such as "Records read".
func reportCount(t *testing.T, report, label string) int64 {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(label) + `\s*:\s*([\d,]+)`).FindStringSubmatch(report)
	require.NotNil(t, m, "no %q in the report:\n%s", label, report)
	n, err := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
	require.NoError(t, err)
	return n
}

// waitForNoOtherSessions waits until c's database has no session but c's
// own: the server finishes what a killed client sent before it closes the
// killed client's sessions.
func waitForNoOtherSessions(t *testing.T, c *pgx.Conn) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		var n int
		require.NoError(t, c.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`).Scan(&n))
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions of the killed runs are still open after 30s", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
