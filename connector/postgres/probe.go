package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ProbeConnectTimeout is how long Probe waits for the server to accept the
// connection when the DSN sets no connect_timeout; ProbeTimeout bounds the
// whole probe when ctx has no deadline.
const (
	ProbeConnectTimeout = 5 * time.Second
	ProbeTimeout        = 15 * time.Second
)

// ProbeReport is what Probe found out about a server and a role: the
// answers to "can a job read and write here?", before any job runs.
type ProbeReport struct {
	// Server names the server as user@host:port/database, without the
	// password.
	Server string
	// Version is the server's server_version, such as "15.6".
	Version string
	// User is current_user; Superuser says whether it is one (and so may
	// do anything).
	User      string
	Superuser bool
	// Database is current_database(); Schema is current_schema(), where
	// tables named without a schema are, and what the privileges below are
	// about ("" when the search_path names no existing schema).
	Database string
	Schema   string
	// Usage and Create are the role's privileges on Schema: USAGE to
	// reach its tables at all, CREATE to create one (createTable, and the
	// staging tables of upsert are temporary, so they need Temp instead).
	Usage, Create bool
	// Temp is the TEMPORARY privilege on the database (upsert's staging
	// tables).
	Temp bool
	// Tables is how many tables Schema has; Select, Insert, Update and
	// Truncate how many of them the role may read, insert into, update
	// (upsert) and truncate.
	Tables                           int
	Select, Insert, Update, Truncate int
	// Copy is nil when a COPY FROM STDIN of one row into a temporary table
	// worked, the sink's bulk path; otherwise why not.
	Copy error
}

// String is the report as lines of "what: finding", for people.
func (r ProbeReport) String() string {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-16s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("server", "%s", r.Server)
	line("version", "%s", r.Version)
	user := r.User
	if r.Superuser {
		user += " (superuser)"
	}
	line("user", "%s", user)
	if r.Schema == "" {
		line("schema", "none: the search_path names no existing schema")
	} else {
		line("schema", "%s", r.Schema)
	}
	line("reader", "%s", r.tables("SELECT", r.Select))
	line("writer", "%s", r.tables("INSERT", r.Insert))
	line("  upsert", "%s", r.upsert())
	line("  createTable", "%s", r.schemaPrivilege("CREATE", r.Create))
	line("  truncate", "%s", r.tables("TRUNCATE", r.Truncate))
	if r.Copy == nil {
		line("COPY", "available")
	} else {
		line("COPY", "not available: %v", r.Copy)
	}
	return b.String()
}

// tables says whether the role has privilege on the schema's tables.
func (r ProbeReport) tables(privilege string, n int) string {
	if r.Schema == "" {
		return "no schema"
	}
	if !r.Usage {
		return "missing USAGE on schema " + r.Schema
	}
	switch {
	case r.Tables == 0:
		return fmt.Sprintf("ok (USAGE on schema %s, which has no table yet)", r.Schema)
	case n == r.Tables:
		return fmt.Sprintf("ok (USAGE, %s on all %d tables of schema %s)", privilege, n, r.Schema)
	case n == 0:
		return fmt.Sprintf("missing %s on every table of schema %s", privilege, r.Schema)
	}
	return fmt.Sprintf("%s on %d of the %d tables of schema %s only", privilege, n, r.Tables, r.Schema)
}

func (r ProbeReport) upsert() string {
	if !r.Temp {
		return "missing TEMPORARY on database " + r.Database + " (for the staging table)"
	}
	return r.tables("UPDATE", r.Update)
}

func (r ProbeReport) schemaPrivilege(privilege string, ok bool) string {
	switch {
	case r.Schema == "":
		return "no schema"
	case ok:
		return fmt.Sprintf("ok (%s on schema %s)", privilege, r.Schema)
	}
	return fmt.Sprintf("missing %s on schema %s", privilege, r.Schema)
}

// Probe connects to the server of dsn, as "test connectivity" does in
// DataWorks, and reports its version, the role's privileges for reading
// and writing the tables of its current schema, and whether COPY works. It
// changes nothing: the one write is a row copied into a temporary table,
// gone with the session.
//
// The connection waits ProbeConnectTimeout unless the DSN sets a
// connect_timeout, and the whole probe ProbeTimeout unless ctx has a
// deadline. The error, when the server cannot be reached or refuses the
// role, names the server (never the password) and keeps pgx's error as its
// cause (a *pgconn.PgError with the SQLSTATE when the server refused:
// 28P01 for a wrong password, 28000 for an unknown role, 3D000 for an
// unknown database).
func Probe(ctx context.Context, dsn string) (ProbeReport, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return ProbeReport{}, fmt.Errorf("postgres: cannot parse the DSN: %s", redact(err, dsn))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = ProbeConnectTimeout
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "datasync probe"
	}
	r := ProbeReport{Server: fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ProbeTimeout)
		defer cancel()
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return r, &probeError{msg: "postgres: cannot connect to " + r.Server + ": " + redact(err, dsn), err: err}
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var schema *string
	err = conn.QueryRow(ctx, `SELECT current_setting('server_version'), current_user, current_database(), current_schema(),
		(SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
		has_database_privilege(current_database(), 'TEMPORARY')`).Scan(&r.Version, &r.User, &r.Database, &schema, &r.Superuser, &r.Temp)
	if err != nil {
		return r, fmt.Errorf("postgres: %s: read the server's version: %w", r.Server, err)
	}
	if schema != nil {
		r.Schema = *schema
		err = conn.QueryRow(ctx, `SELECT has_schema_privilege($1, 'USAGE'), has_schema_privilege($1, 'CREATE'),
			count(c.oid),
			count(c.oid) FILTER (WHERE has_table_privilege(c.oid, 'SELECT')),
			count(c.oid) FILTER (WHERE has_table_privilege(c.oid, 'INSERT')),
			count(c.oid) FILTER (WHERE has_table_privilege(c.oid, 'UPDATE')),
			count(c.oid) FILTER (WHERE has_table_privilege(c.oid, 'TRUNCATE'))
			FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p')
			WHERE n.nspname = $1`, r.Schema).Scan(&r.Usage, &r.Create, &r.Tables, &r.Select, &r.Insert, &r.Update, &r.Truncate)
		if err != nil {
			return r, fmt.Errorf("postgres: %s: read the role's privileges on schema %s: %w", r.Server, r.Schema, err)
		}
	}
	r.Copy = probeCopy(ctx, conn, r.Temp)
	if ctx.Err() != nil {
		return r, fmt.Errorf("postgres: %s: probe: %w", r.Server, ctx.Err())
	}
	return r, nil
}

// probeCopy copies one row into a temporary table, as the sink copies, and
// says why that failed (nil when it worked).
func probeCopy(ctx context.Context, conn *pgx.Conn, temp bool) error {
	if !temp {
		return errors.New("not tested: no TEMPORARY privilege on the database to make a table to copy into")
	}
	// In a transaction rolled back: the table is gone when the probe ends.
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("not tested: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "CREATE TEMPORARY TABLE ds_probe_copy (a int) ON COMMIT DROP"); err != nil {
		return fmt.Errorf("not tested: create a temporary table: %w", err)
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"ds_probe_copy"}, []string{"a"}, pgx.CopyFromRows([][]any{{int32(1)}}))
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("one row sent, %d copied", n)
	}
	return nil
}

// probeError is a connection failure: its text is redacted, its cause
// pgx's error, for errors.As.
type probeError struct {
	msg string
	err error
}

func (e *probeError) Error() string { return e.msg }
func (e *probeError) Unwrap() error { return e.err }
