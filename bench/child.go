package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/datasync-go/datasync/bench/internal/proc"
)

// childArg, as the first argument, makes the binary run one library scenario
// instead of the harness: the harness re-executes itself this way so that a
// library run is a process of its own, measured like the native tools'.
// It is not a flag, so it stays out of -help.
const childArg = "__datasync-bench-library-child"

// childResult is what a library child prints on its standard output.
type childResult struct {
	RecordsRead    int64         `json:"records_read"`
	RecordsWritten int64         `json:"records_written"`
	RecordsDirty   int64         `json:"records_dirty"`
	BytesWritten   int64         `json:"bytes_written"`
	Elapsed        time.Duration `json:"elapsed"` // the pipeline's own, without process start and exit
	// UserCPU and SysCPU are the CPU time the process used during the
	// pipeline's run (getrusage before and after it), without start-up.
	UserCPU time.Duration `json:"user_cpu"`
	SysCPU  time.Duration `json:"system_cpu"`
}

// libraryCommand returns the command that runs the library side of p's
// scenario in a child process.
func libraryCommand(p Params) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the harness's own binary: %w", err)
	}
	arg, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, childArg, string(arg))
	cmd.Env = os.Environ()
	return cmd, nil
}

// runChild is the child's main: run the scenario of the JSON Params in arg,
// print a childResult, exit non-zero with the error on failure.
func runChild(arg string) int {
	var p Params
	if err := json.Unmarshal([]byte(arg), &p); err != nil {
		fmt.Fprintln(os.Stderr, "datasync-bench child: bad parameters:", err)
		return 2
	}
	fn := libraryScenarios[p.Scenario]
	if fn == nil {
		fmt.Fprintf(os.Stderr, "datasync-bench child: no library scenario %q\n", p.Scenario)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopProfile, err := startProfile(p)
	if err != nil {
		fmt.Fprintln(os.Stderr, "datasync-bench child:", err)
		return 2
	}
	user0, sys0 := proc.SelfCPU()
	res, err := fn(ctx, p)
	user1, sys1 := proc.SelfCPU()
	if perr := stopProfile(); perr != nil && err == nil {
		err = perr
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", p.Scenario, err)
		return 1
	}
	out, _ := json.Marshal(childResult{
		RecordsRead: res.RecordsRead, RecordsWritten: res.RecordsWritten, RecordsDirty: res.RecordsDirty,
		BytesWritten: res.BytesWritten, Elapsed: res.Elapsed,
		UserCPU: user1 - user0, SysCPU: sys1 - sys0,
	})
	fmt.Println(string(out))
	return 0
}
