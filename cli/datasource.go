package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"text/tabwriter"

	"github.com/datasync-go/datasync/job/datasource"
	"github.com/datasync-go/datasync/job/datax"
)

const datasourceHelp = `Usage: datasync datasource <list|test|add|remove> [arguments]

Manages the catalog of named data sources that job files name instead of
connection URLs ("datasource": "orders_rds"), as DataWorks' Data Source page
does. The catalog is the file given with --datasources, else the file named
by $DATASYNC_DATASOURCES, else datasync/datasources.json in the user's
configuration directory (~/.config on Linux).

Commands:
  list                 list the data sources: name, type and where (no secrets)
  test NAME            connect and report the server's version, the privileges
                       a reader and a writer need, and the bulk path
                       (LOAD DATA LOCAL or COPY); exit code 1 when it cannot connect
  add NAME --type ...  add a data source (see 'datasync datasource add --help')
  remove NAME          remove a data source

Examples:
  datasync datasource list
  datasync datasource test orders_rds
  datasync datasource add orders_rds --type mysql --jdbc-url jdbc:mysql://rds.example.com:3306/shop \
      --username etl --password-env ORDERS_RDS_PASSWORD
  datasync datasource remove orders_rds
`

func (e *env) datasourceCommand(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, e.text(datasourceHelp))
		return ExitInvalid
	}
	switch args[0] {
	case "list":
		return e.datasourceList(args[1:])
	case "test":
		return e.datasourceTest(ctx, args[1:])
	case "add":
		return e.datasourceAdd(args[1:])
	case "remove", "rm":
		return e.datasourceRemove(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, e.text(datasourceHelp))
		return ExitOK
	}
	if s := suggest(args[0], []string{"list", "test", "add", "remove"}); s != "" {
		fmt.Fprintf(e.stderr, "%s datasource: unknown command %q; did you mean %q?\n\n%s", e.name, args[0], s, e.text(datasourceHelp))
		return ExitInvalid
	}
	fmt.Fprintf(e.stderr, "%s datasource: unknown command %q\n\n%s", e.name, args[0], e.text(datasourceHelp))
	return ExitInvalid
}

// nameArg parses a datasource command's flags and returns its one NAME
// argument (want 0 for none). ok false means the problem was reported.
func (e *env) nameArgs(fs *flag.FlagSet, args []string, want int) (names []string, code int, ok bool) {
	positional, err := e.parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, ExitOK, false
	}
	if err != nil {
		return nil, ExitInvalid, false
	}
	if len(positional) != want {
		if want == 0 {
			fmt.Fprintf(e.stderr, "%s datasource %s: want no argument, got %q\n", e.name, fs.Name(), positional)
		} else {
			fmt.Fprintf(e.stderr, "%s datasource %s: want a data source name, got %d arguments\n", e.name, fs.Name(), len(positional))
		}
		fs.Usage()
		return nil, ExitInvalid, false
	}
	return positional, 0, true
}

// catalogProblem reports a catalog that cannot be read and returns the exit
// code.
func (e *env) catalogProblem(err error) int {
	fmt.Fprintf(e.stderr, "%s: data source catalog: %v\n", e.name, err)
	return ExitInvalid
}

const datasourceListHelp = `Usage: datasync datasource list [--datasources FILE]

Lists the data sources of the catalog: name, type, and where each is (host,
port and database, or endpoint and bucket). Credentials are never shown, nor
where they come from.

Example:
  datasync datasource list --datasources ./datasources.json
`

func (e *env) datasourceList(args []string) int {
	fs := e.newFlagSet("list", datasourceListHelp)
	catalog := e.addCatalogFlag(fs)
	if _, code, ok := e.nameArgs(fs, args, 0); !ok {
		return code
	}
	cat, err := catalog.load(false)
	if err != nil {
		return e.catalogProblem(err)
	}
	for _, w := range cat.Warnings() {
		fmt.Fprintf(e.stderr, "%s: warning: %s\n", e.name, w)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tWHERE")
	for _, d := range cat.All() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Name, d.Type, where(d))
	}
	return exitCode(tw.Flush())
}

// where says where a data source is, without secrets: host:port/database,
// or endpoint/bucket.
func where(d datasource.DataSource) string {
	switch {
	case d.Type.Relational():
		jdbc, _, _ := datasource.StripOceanBasePrefix(d.URL())
		u, err := datax.ParseJDBC(jdbc, string(d.Engine()))
		if err != nil {
			return "(" + err.Error() + ")"
		}
		port := u.Port
		if port == "" {
			port = map[datasource.Type]string{datasource.MySQL: "3306", datasource.PostgreSQL: "5432"}[d.Engine()]
		}
		return net.JoinHostPort(u.Host, port) + "/" + u.Database
	case d.Type == datasource.OSS:
		if d.Bucket == "" {
			return d.Endpoint
		}
		return strings.TrimSuffix(d.Endpoint, "/") + "/" + d.Bucket
	case d.Type == datasource.Redis:
		return d.Addr() + "/" + cmp.Or(d.Database, "0")
	case d.Type == datasource.Memcache:
		return d.Addr()
	case d.Type == datasource.MongoDB:
		return strings.Join(d.Address, ",") + "/" + d.Database
	}
	return ""
}

const datasourceRemoveHelp = `Usage: datasync datasource remove NAME [--datasources FILE]

Removes a data source from the catalog file. Jobs that name it no longer
load.

Example:
  datasync datasource remove orders_rds
`

func (e *env) datasourceRemove(args []string) int {
	fs := e.newFlagSet("remove", datasourceRemoveHelp)
	catalog := e.addCatalogFlag(fs)
	names, code, ok := e.nameArgs(fs, args, 1)
	if !ok {
		return code
	}
	cat, err := catalog.load(false)
	if err != nil {
		return e.catalogProblem(err)
	}
	if _, err := cat.Get(names[0]); err != nil {
		fmt.Fprintf(e.stderr, "%s datasource remove: %v\n", e.name, err)
		return ExitInvalid
	}
	cat.Remove(names[0])
	path, err := catalog.savePath(cat)
	if err == nil {
		err = cat.Save(path)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "%s datasource remove: %v\n", e.name, err)
		return ExitFailed
	}
	fmt.Fprintf(e.stdout, "removed data source %q from %s\n", names[0], path)
	return ExitOK
}
