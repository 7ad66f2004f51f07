// Command bench is datasync's benchmark harness: it generates a seeded
// ten-column dataset into PostgreSQL, MySQL and a CSV file, runs every
// scenario with the library (in a child process, at parallelism 1 and 4)
// and with the native tools that do the same work, interleaved, verifies
// every target's row count and content checksum against the source, and
// prints median rows/s, MB/s, the ratio to the fastest native tool and peak
// memory, as a table or JSON.
//
//	go run ./bench -rows 20000 -runs 1
//	go run ./bench -only 'pg->pg,mysql->pg' -json
//
// See bench/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/datasync-go/datasync/bench/internal/report"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == childArg {
		os.Exit(runChild(os.Args[2]))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // some run failed: a tool errored or a check did not match
	exitSetup   = 2 // bad flags, or the harness could not set up
	exitStopped = 130
)

func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return exitSetup
	}
	selected, err := selectScenarios(scenarios, cfg.Only)
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return exitSetup
	}
	e, err := newEnv(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return exitSetup
	}
	if cfg.List {
		printList(stdout, e, selected)
		return exitOK
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h := &harness{e: e, log: stderr}
	defer h.close(context.WithoutCancel(ctx))
	start := time.Now()
	if err := h.prepare(ctx, selected); err != nil {
		fmt.Fprintf(stderr, "bench: %v\n(-only runs the scenarios that do not need what failed; -list shows them)\n", err)
		return exitSetup
	}
	results, groups := h.runners(selected)
	h.runAll(ctx, groups)
	report.Summarize(results, cfg.Rows, h.size)

	rep := report.Report{
		Date:        start,
		Machine:     machine(ctx, e, h.procs.GNUTime, h.servers),
		Dataset:     report.Dataset{Rows: cfg.Rows, Seed: cfg.Seed, Bytes: h.size, CSVBytes: h.csvSize, Checksum: h.want.Hex()},
		Runs:        cfg.Runs,
		Parallelism: cfg.Parallelism,
		PeakRSS:     "sampled from /proc; GNU time is not installed",
		Results:     results,
	}
	if h.procs.GNUTime != "" {
		rep.PeakRSS = "exact, by GNU time"
	}
	if cfg.JSON {
		err = report.WriteJSON(stdout, rep)
	} else {
		err = report.WriteText(stdout, rep)
	}
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return exitSetup
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "bench: interrupted; the results above are partial")
		return exitStopped
	}
	for _, r := range results {
		if r.Status == report.Failed {
			return exitFailed
		}
	}
	return exitOK
}

// passwordInURL matches the user and password of a URL, to hide the latter.
var passwordInURL = regexp.MustCompile(`(://[^:/@\s]+:)[^@\s]+@`)

// printList prints the selected scenarios and exactly what each row runs.
func printList(w io.Writer, e *env, selected []scenario) {
	for _, s := range selected {
		fmt.Fprintf(w, "%s\n", s.Name)
		wired := "not wired yet (bench/library.go)"
		if libraryScenarios[s.Name] != nil {
			wired = "in a child process of the harness"
		}
		fmt.Fprintf(w, "  datasync at parallelism %v: %s\n", e.cfg.Parallelism, wired)
		for _, n := range s.Natives {
			p := n.Build(e)
			fmt.Fprintf(w, "  %s:\n    %s\n", n.Name, p)
			for path, content := range p.Files {
				content = passwordInURL.ReplaceAllString(strings.TrimSpace(content), "$1***@")
				fmt.Fprintf(w, "    where %s is:\n      %s\n", path, strings.ReplaceAll(content, "\n", "\n      "))
			}
		}
	}
}
