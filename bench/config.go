package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Config is the harness's command line.
type Config struct {
	Rows        int64
	Runs        int
	Only        []string // scenario names or patterns; empty: all
	Parallelism []int    // the library's parallelism levels, each a row
	Seed        uint64
	JSON        bool
	List        bool
	Regen       bool

	Postgres string // pgx DSN of the PostgreSQL server (its database is replaced)
	MySQL    string // go-sql-driver DSN of the MySQL server (its database is replaced)
	Database string // source database name on both servers; targets add "_target"
	Dir      string // where the CSV files go
	Redis    string // "host:port" of the Redis server (csv->redis)
	RedisDB  int    // its database the scenario writes (emptied by the harness)
	Timeout  time.Duration
	// Profile is a directory where every library run writes its CPU and
	// allocation profiles (pprof), "" for none.
	Profile string
}

// TargetDatabase is the name of the database that receives the data.
func (c Config) TargetDatabase() string { return c.Database + "_target" }

// parseConfig parses the command line (without the program name).
func parseConfig(args []string, stderr io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./bench [flags]\n\n"+
			"Runs the datasync benchmark scenarios beside the native tools, interleaved,\n"+
			"verifies every target, and prints a table (or JSON). See bench/README.md.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.Int64Var(&c.Rows, "rows", 1_000_000, "rows in the generated dataset")
	fs.IntVar(&c.Runs, "runs", 3, "timed runs of every scenario and tool; the table shows medians")
	only := fs.String("only", "", "comma-separated scenarios to run, by name or pattern (pg->pg, 'pg->*', '*->csv', memory); default all")
	par := fs.String("parallelism", "1,4", "comma-separated parallelism levels of the library runs")
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the generated dataset")
	fs.BoolVar(&c.JSON, "json", false, "print the results as JSON instead of a table")
	fs.BoolVar(&c.List, "list", false, "list the selected scenarios and the exact native commands, and exit")
	fs.BoolVar(&c.Regen, "regen", false, "regenerate the dataset even if a matching one is loaded")
	fs.StringVar(&c.Postgres, "postgres", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server DSN")
	fs.StringVar(&c.MySQL, "mysql", "root@tcp(127.0.0.1:3306)/", "MySQL/MariaDB server DSN (go-sql-driver form)")
	fs.StringVar(&c.Database, "db", "datasync_bench", "source database on both servers; the target is <db>_target")
	fs.StringVar(&c.Redis, "redis", "127.0.0.1:6379", "Redis server address (host:port) of csv->redis")
	fs.IntVar(&c.RedisDB, "redis-db", 15, "Redis database csv->redis writes; the harness empties it (FLUSHDB) before every run")
	fs.StringVar(&c.Dir, "dir", "bench/out", "directory for the CSV dataset and CSV targets")
	fs.DurationVar(&c.Timeout, "timeout", 30*time.Minute, "limit of one run of one scenario")
	fs.StringVar(&c.Profile, "profile", "", "directory where each library run writes its CPU and allocation profiles (pprof); profiling costs a little CPU of its own")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	var errs []error
	if c.Rows < 1 {
		errs = append(errs, errors.New("-rows must be at least 1"))
	}
	if c.Runs < 1 {
		errs = append(errs, errors.New("-runs must be at least 1"))
	}
	if c.Timeout <= 0 {
		errs = append(errs, errors.New("-timeout must be positive"))
	}
	if !validIdentifier(c.Database) {
		errs = append(errs, fmt.Errorf("-db %q: use lower-case letters, digits and underscores", c.Database))
	}
	var err error
	if c.Parallelism, err = parseInts(*par); err != nil {
		errs = append(errs, fmt.Errorf("-parallelism: %w", err))
	}
	for _, s := range strings.Split(*only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			c.Only = append(c.Only, s)
		}
	}
	return c, errors.Join(errs...)
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// validIdentifier reports whether s can be used unquoted as a database name
// on both servers and means the same on both (PostgreSQL folds unquoted
// names to lower case, MySQL on Linux does not).
func validIdentifier(s string) bool {
	if s == "" || len(s) > 50 || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
