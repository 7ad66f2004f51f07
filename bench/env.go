package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// env is where the benchmark runs: the databases and files of the sources
// and targets, how to reach them with the drivers and with the command-line
// tools, and which tools are installed.
type env struct {
	cfg Config

	pgServer, pgSource, pgTarget string // pgx DSNs, also valid libpq conninfo for psql
	pg                           *pgx.ConnConfig

	mysqlServer, mysqlSource, mysqlTarget string // go-sql-driver DSNs
	mysql                                 *mysql.Config

	csvSource    string // absolute path of the dataset's CSV file
	csvTargetDir string // absolute path of the directory CSV targets write into

	tools map[string]string // logical tool name -> path, "" when not installed
}

// The tools, by the name the harness knows them by, and the executables that
// may provide each, in order of preference.
var toolNames = map[string][]string{
	"psql":         {"psql"},
	"pg_dump":      {"pg_dump"},
	"mariadb":      {"mariadb", "mysql"},
	"mariadb-dump": {"mariadb-dump", "mysqldump"},
	"pgloader":     {"pgloader"},
}

// newEnv derives the environment from the configuration, without connecting.
func newEnv(cfg Config) (*env, error) {
	e := &env{cfg: cfg, tools: map[string]string{}}
	var err error
	if e.pg, err = pgx.ParseConfig(cfg.Postgres); err != nil {
		return nil, fmt.Errorf("-postgres: %w", err)
	}
	e.pgServer = cfg.Postgres
	if e.pgSource, err = postgresWithDatabase(cfg.Postgres, cfg.Database); err != nil {
		return nil, err
	}
	if e.pgTarget, err = postgresWithDatabase(cfg.Postgres, cfg.TargetDatabase()); err != nil {
		return nil, err
	}
	if e.mysql, err = mysql.ParseDSN(cfg.MySQL); err != nil {
		return nil, fmt.Errorf("-mysql: %w", err)
	}
	e.mysqlServer = mysqlWithDatabase(e.mysql, "")
	e.mysqlSource = mysqlWithDatabase(e.mysql, cfg.Database)
	e.mysqlTarget = mysqlWithDatabase(e.mysql, cfg.TargetDatabase())
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, err
	}
	e.csvSource = filepath.Join(dir, "bench.csv")
	e.csvTargetDir = filepath.Join(dir, "target")
	for name, candidates := range toolNames {
		for _, c := range candidates {
			if p, err := exec.LookPath(c); err == nil {
				e.tools[name] = p
				break
			}
		}
	}
	return e, nil
}

// tool returns the path of a tool, or its name when it is not installed (the
// command then fails to start; the harness reports it unavailable first).
func (e *env) tool(name string) string {
	if p := e.tools[name]; p != "" {
		return p
	}
	return name
}

// postgresWithDatabase returns dsn (a URL or key=value string) pointing at
// database name.
func postgresWithDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("-postgres is not a valid URL: %w", err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return dsn + " dbname=" + name, nil // a later key wins
}

func mysqlWithDatabase(cfg *mysql.Config, name string) string {
	c := cfg.Clone()
	c.DBName = name
	return c.FormatDSN()
}

// psqlEnv is the environment of every psql and pg_dump: the session
// settings that fix the text forms (ISO dates, floats with every digit
// needed to read them back) whatever the server's defaults, and the
// password, which stays off the command line.
func (e *env) psqlEnv() []string {
	env := append(os.Environ(), "PGOPTIONS=-c DateStyle=ISO,YMD -c extra_float_digits=3 -c TimeZone=UTC")
	if e.pg.Password != "" {
		env = append(env, "PGPASSWORD="+e.pg.Password)
	}
	return env
}

// psqlDSN returns dsn for psql and pg_dump: without its password (given in
// PGPASSWORD) when it is a URL.
func psqlDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dsn
	}
	u.User = url.User(u.User.Username())
	return u.String()
}

// psql returns a psql command on the database dsn running sql (or the
// script on its standard input when sql is empty), stopping at the first
// error.
func (e *env) psql(dsn, sql string) *exec.Cmd {
	args := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", psqlDSN(dsn)}
	if sql != "" {
		args = append(args, "-c", sql)
	}
	cmd := exec.Command(e.tool("psql"), args...)
	cmd.Env = e.psqlEnv()
	return cmd
}

// mysqlArgs returns the connection options of the mariadb client and of
// mariadb-dump; the password goes in the environment (MYSQL_PWD), not on
// the command line.
func (e *env) mysqlArgs() []string {
	args := []string{"--user=" + e.mysql.User, "--default-character-set=utf8mb4"}
	if e.mysql.Net == "unix" {
		return append(args, "--protocol=SOCKET", "--socket="+e.mysql.Addr)
	}
	host, port, err := net.SplitHostPort(e.mysql.Addr)
	if err != nil {
		host, port = e.mysql.Addr, "3306"
	}
	return append(args, "--protocol=TCP", "--host="+host, "--port="+port)
}

func (e *env) mysqlEnv() []string {
	env := os.Environ()
	if e.mysql.Passwd != "" {
		env = append(env, "MYSQL_PWD="+e.mysql.Passwd)
	}
	return env
}

// mariadb returns a mariadb client command on database db with extra
// arguments.
func (e *env) mariadb(db string, extra ...string) *exec.Cmd {
	args := append(e.mysqlArgs(), extra...)
	args = append(args, db)
	cmd := exec.Command(e.tool("mariadb"), args...)
	cmd.Env = e.mysqlEnv()
	return cmd
}

// pgloaderURLs returns the source and target connection strings of
// pgloader, which wants URLs of its own for both servers.
func (e *env) pgloaderURLs() (from, into string) {
	my := url.URL{Scheme: "mysql", Host: e.mysql.Addr, Path: "/" + e.cfg.Database}
	if e.mysql.Passwd != "" {
		my.User = url.UserPassword(e.mysql.User, e.mysql.Passwd)
	} else {
		my.User = url.User(e.mysql.User)
	}
	pg := url.URL{Scheme: "postgresql", Host: net.JoinHostPort(e.pg.Host, fmt.Sprint(e.pg.Port)), Path: "/" + e.cfg.TargetDatabase()}
	if e.pg.Password != "" {
		pg.User = url.UserPassword(e.pg.User, e.pg.Password)
	} else {
		pg.User = url.User(e.pg.User)
	}
	return my.String(), pg.String()
}

// mysqlLocalInfile reports whether the MySQL server accepts LOAD DATA LOCAL
// INFILE (its local_infile variable).
func mysqlLocalInfile(ctx context.Context, db *sql.DB) (bool, error) {
	var on bool
	err := db.QueryRowContext(ctx, "SELECT @@GLOBAL.local_infile").Scan(&on)
	return on, err
}
