package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strconv"

	"github.com/datasync-go/datasync/connector/memcache"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/connector/redis"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
	"github.com/datasync-go/datasync/job/datax"
)

const datasourceTestHelp = `Usage: datasync datasource test NAME [--datasources FILE]

Tests a data source's connectivity, as DataWorks' "test connectivity" does:
connects with its credentials and reports
  mysql:       the server's version, the account, the privileges a reader
               (SELECT) and a writer (INSERT; DELETE for replace, UPDATE for
               update, CREATE for createTable, DROP for truncate) need, and
               whether LOAD DATA LOCAL works (a row loaded into a temporary table);
  postgresql:  the server's version, the role, its privileges on the current
               schema and its tables (USAGE, SELECT; INSERT, UPDATE, CREATE,
               TRUNCATE), and whether COPY works (a row copied into a temporary table);
  oss:         whether the endpoint answers, the bucket exists, the
               credentials are valid and may list objects.
Nothing is changed. Connecting waits 5 seconds at most.

Exit codes: 0 connected (the report says what is missing, if anything),
1 cannot connect or refused, 2 no such data source or bad catalog.

Example:
  datasync datasource test orders_rds
`

func (e *env) datasourceTest(ctx context.Context, args []string) int {
	fs := e.newFlagSet("test", datasourceTestHelp)
	catalog := e.addCatalogFlag(fs)
	names, code, ok := e.nameArgs(fs, args, 1)
	if !ok {
		return code
	}
	cat, err := catalog.load(false)
	if err != nil {
		return e.catalogProblem(err)
	}
	d, err := cat.Get(names[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "%s datasource test: %v\n", e.name, err)
		return ExitInvalid
	}
	r, err := d.Resolve()
	if err != nil {
		fmt.Fprintf(e.stderr, "%s datasource test: %v\n", e.name, err)
		return ExitFailed
	}
	redactor := &job.Redactor{}
	redactor.Add(r.Secrets()...)
	out := &redactingWriter{w: e.stdout, r: redactor}
	errOut := &redactingWriter{w: e.stderr, r: redactor}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	report, err := probe(ctx, r)
	if err != nil {
		fmt.Fprintf(errOut, "%s datasource test: data source %q (%s at %s): %v\n", e.name, d.Name, d.Type, where(d), err)
		return ExitFailed
	}
	fmt.Fprintf(out, "data source %q (%s at %s): connected\n%s", d.Name, d.Type, where(d), report)
	return ExitOK
}

// probe runs the connector's Probe for a resolved data source and returns
// its report.
func probe(ctx context.Context, r datasource.Resolved) (fmt.Stringer, error) {
	d := r.DataSource
	switch {
	case d.Type.Relational():
		dsn, tlsConfig, err := datax.DataSourceDSN(r) // as the jobs naming it connect
		if err != nil {
			return nil, err
		}
		if d.Engine() == datasource.MySQL {
			return mysql.ProbeTLS(ctx, dsn, tlsConfig)
		}
		return postgres.Probe(ctx, dsn)
	case d.Type == datasource.OSS:
		return oss.Probe(ctx, oss.ProbeConfig{Endpoint: d.Endpoint, Bucket: d.Bucket, Region: d.Region,
			AccessID: r.AccessID, AccessKey: r.AccessKey, SecurityToken: r.SecurityToken})
	case d.Type == datasource.Redis:
		db, _ := strconv.Atoi(d.Database) // checked by the catalog
		return redis.Probe(ctx, redis.Conn{Addr: d.Addr(), Username: r.Username, Password: r.Password, DB: db})
	case d.Type == datasource.Memcache:
		return memcache.Probe([]string{d.Addr()}, 0)
	}
	return nil, fmt.Errorf("cannot test a data source of type %q", d.Type)
}
