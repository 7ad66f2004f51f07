package mysql

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// ProbeConnectTimeout is how long Probe waits for the server to accept the
// connection when the DSN sets no timeout; ProbeTimeout bounds the whole
// probe when ctx has no deadline.
const (
	ProbeConnectTimeout = 5 * time.Second
	ProbeTimeout        = 15 * time.Second
)

// ProbeReport is what Probe found out about a server and an account: the
// answers to "can a job read and write here?", before any job runs.
type ProbeReport struct {
	// Server names the server as user@net(address)/database, without the
	// password.
	Server string
	// Version is the server's VERSION(), such as "8.0.36" or
	// "10.11.6-MariaDB".
	Version string
	// User is CURRENT_USER(): the account the server matched, such as
	// "app@%".
	User string
	// Database is the DSN's database ("" when it names none).
	Database string
	// Privileges are the account's privileges on the whole of Database
	// (global grants and grants on the database), such as "SELECT" and
	// "INSERT", sorted. TablePrivileges are those granted on some of its
	// tables only. Both are read from information_schema, which does not
	// show privileges that come through MySQL 8 roles.
	Privileges      []string
	TablePrivileges []string
	// LocalInfile is the server's local_infile variable: whether it
	// accepts LOAD DATA LOCAL at all.
	LocalInfile bool
	// LoadDataLocal is nil when a LOAD DATA LOCAL INFILE of one row into a
	// temporary table worked, the sink's fast path; otherwise why not (the
	// sink then writes with multi-row INSERT).
	LoadDataLocal error
}

// The privileges a role needs, by what it does.
var (
	readerPrivileges   = []string{"SELECT"}
	writerPrivileges   = []string{"INSERT"} // writeMode insert
	replacePrivileges  = []string{"INSERT", "DELETE"}
	updatePrivileges   = []string{"INSERT", "UPDATE"}
	createPrivileges   = []string{"CREATE"} // createTable
	truncatePrivileges = []string{"DROP"}   // truncate: MySQL's TRUNCATE TABLE needs DROP
)

// Missing returns which of privileges the account lacks on the whole
// database.
func (r ProbeReport) Missing(privileges ...string) []string {
	var out []string
	for _, p := range privileges {
		if !slices.Contains(r.Privileges, p) {
			out = append(out, p)
		}
	}
	return out
}

// String is the report as lines of "what: finding", for people.
func (r ProbeReport) String() string {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-16s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("server", "%s", r.Server)
	line("version", "%s", r.Version)
	line("user", "%s", r.User)
	line("reader", "%s", r.need(readerPrivileges))
	line("writer", "%s", r.need(writerPrivileges))
	line("  replace", "%s", r.need(replacePrivileges))
	line("  update", "%s", r.need(updatePrivileges))
	line("  createTable", "%s", r.need(createPrivileges))
	line("  truncate", "%s", r.need(truncatePrivileges))
	switch {
	case r.LoadDataLocal == nil:
		line("LOAD DATA LOCAL", "available")
	case !r.LocalInfile:
		line("LOAD DATA LOCAL", "not available, the server's local_infile is OFF (writers use multi-row INSERT): %v", r.LoadDataLocal)
	default:
		line("LOAD DATA LOCAL", "not available (writers use multi-row INSERT): %v", r.LoadDataLocal)
	}
	return b.String()
}

// need says whether the account has privileges on the database.
func (r ProbeReport) need(privileges []string) string {
	missing := r.Missing(privileges...)
	if len(missing) == 0 {
		return "ok (" + strings.Join(privileges, ", ") + ")"
	}
	var onTables []string
	for _, p := range missing {
		if slices.Contains(r.TablePrivileges, p) {
			onTables = append(onTables, p)
		}
	}
	if len(onTables) == len(missing) {
		return "on some tables only (" + strings.Join(onTables, ", ") + " granted per table)"
	}
	return "missing " + strings.Join(missing, ", ") + " on " + r.database()
}

func (r ProbeReport) database() string {
	if r.Database == "" {
		return "the server (the DSN names no database)"
	}
	return "database " + r.Database
}

// Probe connects to the server of dsn, as "test connectivity" does in
// DataWorks, and reports its version, the account's privileges for reading
// and writing, and whether LOAD DATA LOCAL works. It changes nothing: the
// one write is a row loaded into a temporary table, gone with the session.
//
// The connection waits ProbeConnectTimeout unless the DSN sets a timeout,
// and the whole probe ProbeTimeout unless ctx has a deadline. The error,
// when the server cannot be reached or refuses the account, names the
// server (never the password) and keeps the driver's error as its cause:
// a refused or timed-out connection, "Access denied for user" (error
// 1045), "Unknown database" (1049).
func Probe(ctx context.Context, dsn string) (ProbeReport, error) {
	return ProbeTLS(ctx, dsn, nil)
}

// ProbeTLS is Probe with tlsConfig, when not nil, in place of the TLS
// settings the DSN's tls parameter names, as SourceConfig.TLS is.
func ProbeTLS(ctx context.Context, dsn string, tlsConfig *tls.Config) (ProbeReport, error) {
	cfg, err := parseDSN(dsn)
	if err != nil {
		return ProbeReport{}, fmt.Errorf("mysql: %w", err)
	}
	if tlsConfig != nil {
		cfg.TLS = tlsConfig.Clone() // the driver sets its ServerName
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = ProbeConnectTimeout
	}
	r := ProbeReport{Server: describeDSN(cfg), Database: cfg.DBName}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ProbeTimeout)
		defer cancel()
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return r, fmt.Errorf("mysql: %s: %w", r.Server, err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	c, err := db.Conn(ctx)
	if err != nil {
		return r, fmt.Errorf("mysql: cannot connect to %s: %w", r.Server, err)
	}
	defer c.Close()
	fail := func(what string, err error) (ProbeReport, error) {
		return r, fmt.Errorf("mysql: %s: %s: %w", r.Server, what, err)
	}
	var localInfile sql.NullString
	if err := c.QueryRowContext(ctx, "SELECT VERSION(), CURRENT_USER(), @@GLOBAL.local_infile").Scan(&r.Version, &r.User, &localInfile); err != nil {
		return fail("read the server's version", err)
	}
	r.LocalInfile = localInfile.String == "1" || strings.EqualFold(localInfile.String, "ON")
	if r.Privileges, r.TablePrivileges, err = privileges(ctx, c, r.User, r.Database); err != nil {
		return fail("read the account's privileges", err)
	}
	r.LoadDataLocal = probeLoadData(ctx, c, r.Database)
	if ctx.Err() != nil {
		return fail("probe", ctx.Err())
	}
	return r, nil
}

// privileges returns the account's privileges on the whole of database and
// those it has on some of its tables only.
func privileges(ctx context.Context, c *sql.Conn, user, database string) (whole, tables []string, err error) {
	// information_schema names accounts 'user'@'host'; CURRENT_USER() is
	// user@host, and only the host cannot contain "@".
	at := strings.LastIndex(user, "@")
	if at < 0 {
		return nil, nil, fmt.Errorf("unexpected CURRENT_USER() %q", user)
	}
	grantee := "'" + user[:at] + "'@'" + user[at+1:] + "'"
	// A database grant's TABLE_SCHEMA is a LIKE pattern (db\_%).
	whole, err = strings1(ctx, c, `SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?
		UNION SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND ? LIKE TABLE_SCHEMA`,
		grantee, grantee, database)
	if err != nil {
		return nil, nil, err
	}
	tables, err = strings1(ctx, c, `SELECT DISTINCT PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES
		WHERE GRANTEE = ? AND TABLE_SCHEMA = ?`, grantee, database)
	return whole, tables, err
}

// strings1 returns the first column of a query's rows, sorted and without
// duplicates.
func strings1(ctx context.Context, c *sql.Conn, query string, args ...any) ([]string, error) {
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	slices.Sort(out)
	// USAGE is MySQL's word for "no privilege".
	out = slices.DeleteFunc(slices.Compact(out), func(s string) bool { return s == "USAGE" })
	return out, rows.Err()
}

// probeLoadData loads one row into a temporary table with LOAD DATA LOCAL
// INFILE, as the sink does, and says why that failed (nil when it worked).
func probeLoadData(ctx context.Context, c *sql.Conn, database string) error {
	if database == "" {
		return errors.New("not tested: the DSN names no database to make a temporary table in")
	}
	if _, err := c.ExecContext(ctx, "CREATE TEMPORARY TABLE ds_probe_load (a INT)"); err != nil {
		return fmt.Errorf("not tested: create a temporary table: %w", err)
	}
	defer c.ExecContext(context.WithoutCancel(ctx), "DROP TEMPORARY TABLE IF EXISTS ds_probe_load")
	name := loadReaderName()
	mysql.RegisterReaderHandler(name, func() io.Reader { return strings.NewReader("1\n") })
	defer mysql.DeregisterReaderHandler(name)
	res, err := c.ExecContext(ctx, "LOAD DATA LOCAL INFILE 'Reader::"+name+"' INTO TABLE ds_probe_load (a)")
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("one row sent, %d loaded (%v)", n, err)
	}
	return nil
}
