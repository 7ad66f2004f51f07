package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/verify"
)

const verifyHelp = `Usage: datasync verify <job.json> [-p name=value ...] [options]

Compares each task's source with its target without moving data: both are
read, every row's values are put in one canonical form (so that PostgreSQL,
MySQL and files compare equal when their values are equal: decimals,
timestamps, floats, bytes, NULL apart from ''), and the rows are compared
by count and checksum per key range. The ranges that differ are printed
with the keys missing from the target, extra in it, or changed.

Rows are identified by --key, else by the source's primary key, else by all
their columns. The target is read back as the writer writes it (PostgreSQL
and MySQL tables, txtfilewriter's files). An incremental task's source is compared whole; a
source with a where condition is compared with the whole target table.

Exit code: 0 when every task's target equals its source, 1 otherwise.

Examples:
  datasync verify mysql-to-postgres.json
  datasync verify orders.json --key order_id --range-rows 1000
`

// verifyFlags are the options of verify and of run --verify.
type verifyFlags struct {
	key       *string
	rangeRows *int
	maxKeys   *int
}

func addVerifyFlags(fs *flag.FlagSet) verifyFlags {
	return verifyFlags{
		key:       fs.String("key", "", "the `columns` (comma-separated, the source's names) that identify a row (default: the source's key)"),
		rangeRows: fs.Int("range-rows", 10_000, "keys per compared range"),
		maxKeys:   fs.Int("max-keys", 20, "differing keys listed per range and kind"),
	}
}

func (f verifyFlags) options() verify.Options {
	o := verify.Options{RangeRows: *f.rangeRows, MaxKeys: *f.maxKeys}
	if k := strings.TrimSpace(*f.key); k != "" {
		o.Key = strings.Split(k, ",")
	}
	return o
}

func (e *env) verifyCommand(ctx context.Context, args []string) int {
	fs, vars := e.jobFlags("verify", verifyHelp)
	vf := addVerifyFlags(fs)
	s, code, ok := e.openJob(fs, vars, args)
	if !ok {
		return code
	}
	defer s.job.Close()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	sources := make([]datasync.Source, len(s.job.Tasks))
	for i, t := range s.job.Tasks {
		sources[i] = t.Source
	}
	return s.verifyTasks(ctx, s.out, sources, vf.options())
}

// verifyTasks compares each task's target with sources[i] and prints what
// it found to out; it returns ExitOK when all are equal.
func (s *session) verifyTasks(ctx context.Context, out io.Writer, sources []datasync.Source, o verify.Options) int {
	code := ExitOK
	for i, t := range s.job.Tasks {
		name := fmt.Sprintf("task %d (%s -> %s)", i, t.ReaderName, t.WriterName)
		rep, err := verify.CompareSink(ctx, sources[i], t.Sink, o)
		if err != nil {
			fmt.Fprintf(s.errOut, "%s: %s: verify: %v\n", s.name, name, err)
			code = ExitFailed
			continue
		}
		if rep.Equal() {
			fmt.Fprintf(out, "%s: verified: source and target hold the same %d rows (%d key ranges)\n", name, rep.SourceRows, rep.Ranges)
			continue
		}
		code = ExitFailed
		fmt.Fprintf(out, "%s: DIFFERENT: source %d rows, target %d rows; %d of %d key ranges differ:\n",
			name, rep.SourceRows, rep.TargetRows, len(rep.Diffs), rep.Ranges)
		for _, d := range rep.Diffs {
			fmt.Fprintf(out, "  %s\n", d)
		}
	}
	return code
}
