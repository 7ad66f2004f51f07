// Command pgperf measures the PostgreSQL connector against PostgreSQL's own
// tools, in the same run, on a generated table of ten mixed columns (the
// issue's benchmark table: bigint key, int, bigint, varchar(64), ~100-byte
// text, numeric(18,4), double precision, boolean, timestamp(6), date, with
// about 10% NULLs):
//
//   - pipe: psql -c "COPY t TO STDOUT (FORMAT binary)" | psql -c "COPY t2 FROM STDIN (FORMAT binary)"
//   - pass-through: this library, PG -> PG, binary COPY rows passed through
//   - decoded: this library with every value decoded and encoded again
//
// Each run empties the target first (untimed). The library runs in a child
// process, so that its peak resident memory (getrusage) is its own. The
// ratio is the library's rows/s over the pipe's, from the median of the
// runs.
//
//	go run ./connector/postgres/internal/pgperf -dsn 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
//
// It creates the database datasync_perf (dropped at the end unless -keep).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/postgres"
)

const table = `(id bigint PRIMARY KEY, qty int, big bigint, name varchar(64), note text, amount numeric(18,4),
	score double precision, active boolean, created timestamp(6), day date)`

// Each nullable column is NULL in one row of ten (not the same rows).
const generate = `INSERT INTO t SELECT i,
	CASE WHEN i % 10 = 1 THEN NULL ELSE (i % 1000)::int END,
	CASE WHEN i % 10 = 2 THEN NULL ELSE i * 1000003 END,
	CASE WHEN i % 10 = 3 THEN NULL ELSE 'customer-' || lpad((i * 7919 % 1000003)::text, 7, '0') END,
	CASE WHEN i % 10 = 4 THEN NULL ELSE left(repeat('note ' || i || '; ', 20), 100) END,
	CASE WHEN i % 10 = 5 THEN NULL ELSE (i * 37 + (i % 10000) / 10000.0)::numeric(18,4) END,
	CASE WHEN i % 10 = 6 THEN NULL ELSE i / 7.0 END,
	CASE WHEN i % 10 = 7 THEN NULL ELSE i % 2 = 0 END,
	CASE WHEN i % 10 = 8 THEN NULL ELSE '2024-01-01'::timestamp + i * interval '1234567 microseconds' END,
	CASE WHEN i % 10 = 9 THEN NULL ELSE '2024-01-01'::date + (i % 3650)::int END
	FROM generate_series(1, $1::bigint) i`

func main() {
	dsn := flag.String("dsn", os.Getenv("DATASYNC_TEST_POSTGRES_DSN"), "a DSN of the server (any database)")
	rows := flag.Int64("rows", 1_000_000, "rows in the generated table")
	runs := flag.Int("runs", 3, "runs of each scenario")
	parallelism := flag.Int("parallelism", 4, "the library's parallelism")
	batchRows := flag.Int("batchrows", datasync.DefaultBatchRows, "the library's batch size in rows")
	keep := flag.Bool("keep", false, "keep the database datasync_perf (and reuse its table next time)")
	child := flag.String("child", "", "internal: run one library scenario")
	flag.Parse()
	if *child != "" {
		runChild(*child, *dsn, *parallelism, *batchRows)
		return
	}
	if *dsn == "" {
		log.Fatal("give -dsn or set DATASYNC_TEST_POSTGRES_DSN")
	}
	ctx := context.Background()
	perfDSN := setup(ctx, *dsn, *rows)
	if !*keep {
		defer drop(ctx, *dsn)
	}
	conn, err := pgx.Connect(ctx, perfDSN)
	check(err)
	defer conn.Close(ctx)
	var size int64
	check(conn.QueryRow(ctx, `SELECT pg_table_size('t')`).Scan(&size))
	fmt.Printf("table t: %d rows, %.1f MB on disk; %d runs each; library parallelism %d, batches of %d rows\n",
		*rows, float64(size)/1e6, *runs, *parallelism, *batchRows)

	results := map[string][]result{}
	scenarios := []string{"pipe", "pass-through", "decoded"}
	for range *runs {
		for _, s := range scenarios {
			_, err := conn.Exec(ctx, "TRUNCATE t2")
			check(err)
			_, err = conn.Exec(ctx, "CHECKPOINT")
			check(err)
			var r result
			if s == "pipe" {
				r = runPipe(perfDSN)
			} else {
				r = runLibrary(s, perfDSN, *parallelism, *batchRows)
			}
			var n int64
			check(conn.QueryRow(ctx, "SELECT count(*) FROM t2").Scan(&n))
			if n != *rows {
				log.Fatalf("%s copied %d rows, not %d", s, n, *rows)
			}
			fmt.Printf("  %-13s %6.2fs  %9.0f rows/s  peak RSS %6.1f MB  client CPU %5.2fs\n", s, r.elapsed.Seconds(), float64(*rows)/r.elapsed.Seconds(), float64(r.rssKB)/1024, r.cpu.Seconds())
			results[s] = append(results[s], r)
		}
	}
	pipe := median(results["pipe"])
	fmt.Printf("\nmedian of %d runs:\n", *runs)
	for _, s := range scenarios {
		m := median(results[s])
		var peak int64
		for _, r := range results[s] {
			peak = max(peak, r.rssKB)
		}
		fmt.Printf("  %-13s %6.2fs  %9.0f rows/s  %6.1f MB/s  x%.2f of the pipe  peak RSS %6.1f MB\n", s, m.Seconds(),
			float64(*rows)/m.Seconds(), float64(size)/1e6/m.Seconds(), pipe.Seconds()/m.Seconds(), float64(peak)/1024)
	}
}

type result struct {
	elapsed time.Duration
	rssKB   int64         // peak resident memory; for the pipe, of the larger psql
	cpu     time.Duration // CPU time of the client processes (user + system)
}

func median(rs []result) time.Duration {
	d := make([]time.Duration, len(rs))
	for i, r := range rs {
		d[i] = r.elapsed
	}
	slices.Sort(d)
	return d[len(d)/2]
}

// runPipe times psql's binary COPY out piped into psql's binary COPY in.
func runPipe(dsn string) result {
	f, err := os.CreateTemp("", "pgperf-rss")
	check(err)
	defer os.Remove(f.Name())
	f.Close()
	script := fmt.Sprintf(`/usr/bin/time -a -o %[1]s -f "%%M %%U %%S" psql -X -q -d "$DSN" -c "COPY t TO STDOUT (FORMAT binary)" | /usr/bin/time -a -o %[1]s -f "%%M %%U %%S" psql -X -q -d "$DSN" -c "COPY t2 FROM STDIN (FORMAT binary)"`, f.Name())
	cmd := exec.Command("bash", "-o", "pipefail", "-c", script)
	cmd.Env = append(os.Environ(), "DSN="+dsn)
	cmd.Stderr = os.Stderr
	start := time.Now()
	check(cmd.Run())
	elapsed := time.Since(start)
	out, err := os.ReadFile(f.Name())
	check(err)
	var rss int64
	var cpu float64
	for line := range strings.Lines(string(out)) {
		var kb int64
		var user, sys float64
		fmt.Sscan(line, &kb, &user, &sys)
		rss = max(rss, kb)
		cpu += user + sys
	}
	return result{elapsed: elapsed, rssKB: rss, cpu: time.Duration(cpu * float64(time.Second))}
}

// runLibrary runs one scenario in a child process and times it, process
// start included.
func runLibrary(scenario, dsn string, parallelism, batchRows int) result {
	cmd := exec.Command(os.Args[0], "-child", scenario, "-dsn", dsn, "-parallelism", fmt.Sprint(parallelism), "-batchrows", fmt.Sprint(batchRows))
	cmd.Stderr = os.Stderr
	start := time.Now()
	out, err := cmd.Output()
	elapsed := time.Since(start)
	check(err)
	var res datasync.Result
	check(json.Unmarshal(out, &res))
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return result{elapsed: elapsed, rssKB: ru.Maxrss, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
}

func runChild(scenario, dsn string, parallelism, batchRows int) {
	src, err := postgres.NewSource(postgres.SourceConfig{DSN: dsn, Table: "t"})
	check(err)
	defer src.Close()
	dst, err := postgres.NewSink(postgres.SinkConfig{DSN: dsn, Table: "t2", DisablePassThrough: scenario == "decoded"})
	check(err)
	defer dst.Close()
	p, err := datasync.NewPipeline(src, dst, datasync.WithParallelism(parallelism),
		datasync.WithBatchSize(batchRows, max(datasync.DefaultBatchBytes, batchRows*1024)))
	check(err)
	res, err := p.Run(context.Background())
	check(err)
	res.Splits = nil
	check(json.NewEncoder(os.Stdout).Encode(res))
}

// setup creates the database and its tables, generating t unless it holds
// the rows asked for; it returns the database's DSN.
func setup(ctx context.Context, dsn string, rows int64) string {
	conn, err := pgx.Connect(ctx, dsn)
	check(err)
	var exists bool
	check(conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'datasync_perf')`).Scan(&exists))
	if !exists {
		_, err = conn.Exec(ctx, "CREATE DATABASE datasync_perf")
		check(err)
	}
	conn.Close(ctx)
	u, err := url.Parse(dsn)
	check(err)
	u.Path = "/datasync_perf"
	perfDSN := u.String()
	conn, err = pgx.Connect(ctx, perfDSN)
	check(err)
	defer conn.Close(ctx)
	var n int64
	if conn.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n) != nil || n != rows {
		start := time.Now()
		for _, q := range []string{"DROP TABLE IF EXISTS t", "DROP TABLE IF EXISTS t2", "CREATE TABLE t " + table} {
			_, err := conn.Exec(ctx, q)
			check(err)
		}
		_, err := conn.Exec(ctx, generate, rows)
		check(err)
		_, err = conn.Exec(ctx, "VACUUM ANALYZE t")
		check(err)
		fmt.Printf("generated %d rows in %s\n", rows, time.Since(start).Round(time.Millisecond))
	}
	_, err = conn.Exec(ctx, "CREATE TABLE IF NOT EXISTS t2 "+table)
	check(err)
	return perfDSN
}

func drop(ctx context.Context, dsn string) {
	conn, err := pgx.Connect(ctx, dsn)
	check(err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS datasync_perf")
	check(err)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
