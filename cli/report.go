package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/numfmt"
)

// printReport prints the final report in the layout of DataX's, with
// English labels. The waits are shares of the workers' time (summed over
// workers, as the waits are): reader high means the source is slow,
// writer high the sink, rate limit high that the job's speed limit holds
// it back.
func printReport(w io.Writer, res datasync.Result, dirtyPath string) {
	line := func(label, value string) { fmt.Fprintf(w, "%-27s: %20s\n", label, value) }
	fmt.Fprintln(w)
	line("Job start time", res.Start.Format("2006-01-02 15:04:05"))
	line("Job end time", res.End.Format("2006-01-02 15:04:05"))
	line("Total elapsed", res.Elapsed.Round(time.Millisecond).String())
	line("Average throughput", numfmt.Bytes(int64(res.BytesPerSec()))+"/s")
	line("Record write speed", numfmt.Group(int64(res.RecordsPerSec()))+" rec/s")
	line("Records read", numfmt.Group(res.RecordsRead))
	line("Records written", numfmt.Group(res.RecordsWritten))
	line("Dirty records", numfmt.Group(res.RecordsDirty))
	rd, wr, th := res.WaitShares()
	line("Worker time", fmt.Sprintf("%s (%d workers)", res.WorkerTime().Round(time.Millisecond), res.Workers))
	line("Waited on reader / writer", fmt.Sprintf("%.0f%% / %.0f%% of worker time", 100*rd, 100*wr))
	line("Waited on rate limit", fmt.Sprintf("%.0f%% of worker time", 100*th))
	if res.Retries > 0 {
		line("Split retries", numfmt.Group(int64(res.Retries)))
	}
	if res.RecordsFiltered > 0 {
		line("Records filtered", numfmt.Group(res.RecordsFiltered)) // dropped by a transformer
	}
	switch {
	case res.RecordsDirty > 0 && dirtyPath != "":
		fmt.Fprintf(w, "Dirty records were written to %s\n", dirtyPath)
	case res.RecordsDirty > 0 && res.DirtyDestination != "":
		fmt.Fprintf(w, "Dirty records went to %s\n", res.DirtyDestination)
	}
}
