package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/datasync-go/datasync/cli/internal/ui"
	"github.com/datasync-go/datasync/job/datasource"
)

const uiHelp = `Usage: datasync ui [--listen 127.0.0.1:PORT] [--datasources FILE] [--dir DIR]

Serves the codeless UI, a web page that builds a sync job step by step, as
DataWorks' codeless UI does: choose the source and the destination among the
registered data sources (add one and test it if needed; MySQL and PostgreSQL,
and OSS csv objects with a header line as a source), choose the table (or
write a query) and preview its first rows, map the fields (by name, by row or
by hand, with their types), check the job against the live systems (each
problem shown beside the field it concerns), set the channel (parallelism,
rate limit, dirty records tolerated and where they go), then run it with live
progress and a final report, or convert it to a DataWorks v2.0 script and a
DataX job and save them (one way: a script does not go back to the UI).

The page is at the address printed at start, which carries a token: every
call of the page's API must carry it. Only the listen address is answered
(no other Host header, no other origin), and credentials never reach the
page: data sources added from it name the environment variable or the file
holding the password. It listens on loopback unless --allow-remote is given.
Scripts are saved and dirty records written in --dir. Ctrl-C stops it and
the jobs it runs.

Examples:
  datasync ui
  datasync ui --listen 127.0.0.1:8080 --datasources ./datasources.json --dir ./jobs
`

func (e *env) uiCommand(ctx context.Context, args []string) int {
	fs := e.newFlagSet("ui", uiHelp)
	listen := fs.String("listen", "127.0.0.1:0", "the `address` to listen on, host:port (port 0 picks a free one)")
	dir := fs.String("dir", ".", "the `directory` scripts are saved in and dirty records written to")
	remote := fs.Bool("allow-remote", false, "allow a listen address other than loopback (the page and its token then travel unencrypted)")
	catalog := e.addCatalogFlag(fs)
	if _, code, ok := e.nameArgs(fs, args, 0); !ok {
		return code
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s ui: --listen %q: %v\n", e.name, *listen, err)
		return ExitInvalid
	}
	if !isLoopback(host) && !*remote {
		fmt.Fprintf(e.stderr, "%s ui: --listen %q is not a loopback address: anyone who can reach it and read the token could run jobs; "+
			"give --allow-remote to listen there anyway\n", e.name, *listen)
		return ExitInvalid
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		fmt.Fprintf(e.stderr, "%s ui: --dir %q is not a directory\n", e.name, *dir)
		return ExitInvalid
	}
	if _, err := catalog.load(true); err != nil {
		return e.catalogProblem(err)
	}
	srv, err := ui.New(ui.Config{
		Registry:    e.registry,
		LoadCatalog: func() (*datasource.Catalog, error) { return catalog.load(true) },
		SaveCatalog: func(cat *datasource.Catalog) (string, error) {
			path, err := catalog.savePath(cat)
			if err != nil {
				return "", err
			}
			return path, cat.Save(path)
		},
		Probe:  probe,
		Where:  where,
		Dir:    *dir,
		Logger: newLogger(e.stderr, false),
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "%s ui: %v\n", e.name, err)
		return ExitFailed
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s ui: %v\n", e.name, err)
		return ExitFailed
	}
	addr := ln.Addr().(*net.TCPAddr)
	hosts := []string{net.JoinHostPort(host, fmt.Sprint(addr.Port))}
	fmt.Fprintf(e.stdout, "datasync ui: open %s\n(Ctrl-C stops it)\n", srv.URL(ln.Addr().String()))
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx, ln, hosts...); err != nil {
		fmt.Fprintf(e.stderr, "%s ui: %v\n", e.name, err)
		return ExitFailed
	}
	return ExitOK
}

// isLoopback reports whether host (of a listen address) is a loopback name
// or address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
