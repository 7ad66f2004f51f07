package proc

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runners are the ways the harness may run processes: directly, and
// through GNU time when it is installed.
func runners(t *testing.T) map[string]Runner {
	rs := map[string]Runner{"direct": {}}
	if gt := FindGNUTime(context.Background()); gt != "" {
		rs["gnu time"] = Runner{GNUTime: gt}
	} else {
		t.Log("GNU time is not installed: testing direct runs only")
	}
	return rs
}

func TestPipeline(t *testing.T) {
	for name, r := range runners(t) {
		t.Run(name, func(t *testing.T) {
			out := r.Run(context.Background(), []*exec.Cmd{
				exec.Command("sh", "-c", "printf 'a\\nb\\nc\\n'"),
				exec.Command("tr", "a-z", "A-Z"),
				exec.Command("sort", "-r"),
			})
			require.NoError(t, out.Err)
			assert.Equal(t, "C\nB\nA\n", string(out.Stdout))
			require.Len(t, out.Procs, 3)
			assert.Equal(t, []string{"sh", "tr", "sort"}, []string{out.Procs[0].Name, out.Procs[1].Name, out.Procs[2].Name})
			for _, p := range out.Procs {
				assert.Zero(t, p.ExitCode)
				assert.Positive(t, p.PeakRSS, p.Name)
				assert.NotEmpty(t, p.PeakSource)
			}
		})
	}
}

func TestRedirections(t *testing.T) {
	dir := t.TempDir()
	in, outPath := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	require.NoError(t, os.WriteFile(in, []byte("hello\n"), 0o644))
	for name, r := range runners(t) {
		t.Run(name, func(t *testing.T) {
			src, err := os.Open(in)
			require.NoError(t, err)
			defer src.Close()
			dst, err := os.Create(outPath)
			require.NoError(t, err)
			defer dst.Close()
			first, last := exec.Command("cat"), exec.Command("tr", "a-z", "A-Z")
			first.Stdin, last.Stdout = src, dst
			out := r.Run(context.Background(), []*exec.Cmd{first, last})
			require.NoError(t, out.Err)
			got, err := os.ReadFile(outPath)
			require.NoError(t, err)
			assert.Equal(t, "HELLO\n", string(got))
		})
	}
}

func TestFailureNamesTheCommandAndItsError(t *testing.T) {
	for name, r := range runners(t) {
		t.Run(name, func(t *testing.T) {
			out := r.Run(context.Background(), []*exec.Cmd{
				exec.Command("sh", "-c", "echo data"),
				exec.Command("sh", "-c", "cat >/dev/null; echo 'ERROR:  boom' >&2; exit 3"),
			})
			require.Error(t, out.Err)
			assert.Contains(t, out.Err.Error(), "sh (2 of 2)")
			assert.Contains(t, out.Err.Error(), "ERROR:  boom")
			assert.Equal(t, 3, out.Procs[1].ExitCode)
		})
	}
}

func TestMissingProgram(t *testing.T) {
	out := Runner{}.Run(context.Background(), []*exec.Cmd{exec.Command("sh", "-c", "sleep 30"), exec.Command("/nonexistent/tool")})
	require.Error(t, out.Err)
	assert.Contains(t, out.Err.Error(), "start tool")
	assert.Equal(t, -1, out.Procs[1].ExitCode)
}

func TestCancelKillsThePipeline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	out := Runner{}.Run(ctx, []*exec.Cmd{exec.Command("sleep", "30"), exec.Command("cat")})
	require.Error(t, out.Err)
	assert.ErrorIs(t, out.Err, context.DeadlineExceeded)
}

func TestDecidePeak(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		rusage, sampled, parent int64
		want                    int64
		source                  string
	}{
		{rusage: 300 * mb, sampled: 290 * mb, parent: 25 * mb, want: 300 * mb, source: PeakRusage}, // above the harness: the child's own
		{rusage: 25 * mb, sampled: 13 * mb, parent: 25 * mb, want: 13 * mb, source: PeakSampled},   // the harness's floor: sampled
		{rusage: 25 * mb, sampled: 0, parent: 25 * mb, want: 25 * mb, source: PeakBound},           // never sampled: only a bound
		{rusage: 9 * mb, sampled: 0, parent: 0, want: 9 * mb, source: PeakRusage},                  // no floor known (not Linux)
	}
	for _, tt := range tests {
		got, source := decidePeak(tt.rusage, tt.sampled, tt.parent)
		assert.Equal(t, tt.want, got)
		assert.Equal(t, tt.source, source)
	}
}

func TestGNUTimePeak(t *testing.T) {
	dir := t.TempDir()
	for content, want := range map[string]int64{
		"13136\n": 13136 * 1024,
		"Command exited with non-zero status 3\n1540\n": 1540 * 1024,
		"":        0,
		"garbage": 0,
	} {
		p := filepath.Join(dir, "rss")
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		assert.Equal(t, want, gnuTimePeak(p), "%q", content)
	}
	assert.Zero(t, gnuTimePeak(filepath.Join(dir, "missing")))
}

// burnEnv makes the test binary, re-executed by TestCPUTimeCounted, burn
// CPU until SelfCPU says it used 0.2 s, instead of running the tests.
const burnEnv = "DATASYNC_BENCH_PROC_BURN"

func TestMain(m *testing.M) {
	if os.Getenv(burnEnv) != "" {
		os.Exit(burn(200*time.Millisecond, 20*time.Second))
	}
	os.Exit(m.Run())
}

// burn spins until this process's CPU time (by SelfCPU) reaches want;
// 0 when it did, 3 when limit of wall time passed first.
func burn(want, limit time.Duration) int {
	deadline := time.Now().Add(limit)
	x := 0
	for time.Now().Before(deadline) {
		for range 100_000 {
			x++
		}
		if u, s := SelfCPU(); u+s >= want {
			return 0
		}
	}
	return 3
}

// TestCPUTimeCounted checks SelfCPU and the Usage's CPU times against each
// other: a child that spins until SelfCPU reports 0.2 s of its own CPU must
// be measured, directly and through GNU time (whose wait4 rusage holds its
// child's), as having used at least that, and not much more than its wall
// time on the cores it may use.
func TestCPUTimeCounted(t *testing.T) {
	self, err := os.Executable()
	require.NoError(t, err)
	for name, r := range runners(t) {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(self)
			cmd.Env = append(os.Environ(), burnEnv+"=1")
			out := r.Run(context.Background(), []*exec.Cmd{cmd})
			require.NoError(t, out.Err, "the child spins until SelfCPU reaches 0.2 s: exit 3 means it never did")
			cpu := out.Procs[0].UserCPU + out.Procs[0].SysCPU
			assert.GreaterOrEqual(t, cpu, 200*time.Millisecond)
			assert.LessOrEqual(t, cpu, time.Duration(runtime.NumCPU())*out.Elapsed)
		})
	}
}
