package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/job"
	_ "github.com/datasync-go/datasync/job/builtin"
)

// commandEnv, when set, makes the test binary run the datasync command
// with its arguments instead of the tests: the tests run the command as a
// process of its own, which is the only way to send it a real SIGINT and
// to see what connectors print on standard output.
const commandEnv = "DATASYNC_CLI_TEST_COMMAND"

// binary is the test binary, run as the command.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv(commandEnv) == "1" {
		os.Exit((&Command{}).Run(context.Background(), os.Args[1:]))
	}
	binary = os.Args[0]
	os.Exit(m.Run())
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	cmd := command(args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// runIn runs the command in this process: for commands whose whole output
// goes through the Command's writers (a streamwriter prints to the
// process's standard output, so a job that prints runs with runCLI).
func runIn(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := (&Command{Stdout: &stdout, Stderr: &stderr}).Run(context.Background(), args)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// command returns the datasync command with args, as a process.
func command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), commandEnv+"=1")
	return cmd
}

func writeJob(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "job.json")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

const printJob = `{"job": {
  "setting": {"speed": {"channel": 1}},
  "content": [{
    "reader": {"name": "streamreader", "parameter": {
      "column": [{"incr": "1,1", "type": "long"}, {"value": "${word}", "type": "string"}],
      "sliceRecordCount": 5}},
    "writer": {"name": "streamwriter", "parameter": {"print": true, "fieldDelimiter": ","}}
  }]}}`

func TestRunAGoodJob(t *testing.T) {
	r := runCLI(t, "run", writeJob(t, printJob), "-p", "word=hello, world")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "1,hello, world\n2,hello, world\n3,hello, world\n4,hello, world\n5,hello, world\n", r.stdout)
	for _, label := range []string{"Job start time", "Job end time", "Total elapsed", "Average throughput",
		"Record write speed", "Records read", "Records written", "Dirty records", "Waited on reader / writer"} {
		assert.Contains(t, r.stderr, label)
	}
	assert.Regexp(t, `Records written\s+:\s+5\n`, r.stderr)
}

func TestInvalidJobsExitWithTwoAndSayWhereTheMistakeIs(t *testing.T) {
	cases := map[string]struct {
		job  string
		args []string
		want []string
	}{
		"unknown setting": {
			job:  strings.Replace(printJob, `"fieldDelimiter"`, `"fieldDelimter"`, 1),
			args: []string{"-p", "word=x"},
			want: []string{`job.content[0].writer.parameter.fieldDelimter: unknown setting "fieldDelimter"; did you mean "fieldDelimiter"?`},
		},
		"missing setting": {
			job:  strings.Replace(printJob, `"sliceRecordCount": 5`, `"sliceRecords": 5`, 1),
			args: []string{"-p", "word=x"},
			want: []string{`job.content[0].reader.parameter.sliceRecordCount: missing required setting`},
		},
		"wrong type": {
			job:  strings.Replace(printJob, `"channel": 1`, `"channel": "one"`, 1),
			args: []string{"-p", "word=x"},
			want: []string{`job.setting.speed.channel: want a whole number, got a string`},
		},
		"unknown connector": {
			job:  strings.Replace(printJob, `"streamwriter"`, `"streamwritter"`, 1),
			args: []string{"-p", "word=x"},
			want: []string{`job.content[0].writer.name: no writer named "streamwritter"; did you mean "streamwriter"?`},
		},
		"missing variable": {
			job:  printJob,
			want: []string{`${word} on line 5 has no value: give it with -p word=...`},
		},
		"all at once": {
			job: strings.NewReplacer(`"channel": 1`, `"channel": "one"`, `"streamwriter"`, `"nowriter"`,
				`"sliceRecordCount"`, `"sliceRecordCont"`).Replace(printJob),
			args: []string{"-p", "word=x"},
			want: []string{"4 problems", "job.setting.speed.channel", `no writer named "nowriter"`, `did you mean "sliceRecordCount"`},
		},
		"not JSON": {
			job:  "{\"job\": {\n  \"content\": [\n}",
			want: []string{"invalid JSON at line 3"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"run", writeJob(t, c.job)}, c.args...)
			r := runIn(t, args...)
			assert.Equal(t, 2, r.code, r.stderr)
			for _, want := range c.want {
				assert.Contains(t, r.stderr, want)
			}
			assert.Empty(t, r.stdout, "no data moved")
		})
	}

	r := runIn(t, "run", filepath.Join(t.TempDir(), "nope.json"))
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "no such file")
	assert.Equal(t, 2, runIn(t, "run").code)
	assert.Equal(t, 2, runIn(t, "run", "a.json", "b.json").code)
	assert.Equal(t, 2, runIn(t, "run", "a.json", "-p", "novalue").code)
	assert.Equal(t, 2, runIn(t, "frobnicate").code)
	assert.Equal(t, 2, runCLI(t).code)
}

func TestInterruptedJobStopsCleanlyAndSaysWhatWasWritten(t *testing.T) {
	path := writeJob(t, `{"job": {
	  "setting": {"speed": {"channel": 2, "record": 2000}},
	  "content": [{
	    "reader": {"name": "streamreader", "parameter": {"column": [{"incr": "1,1", "type": "long"}], "sliceRecordCount": 1000000}},
	    "writer": {"name": "streamwriter", "parameter": {"print": false}}
	  }]}}`)
	cmd := command("run", path, "--progress", "100ms")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	var log bytes.Buffer
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "msg=progress") && strings.Contains(lines.Text(), "written=") && !strings.Contains(lines.Text(), "written=0 ") {
			break
		}
	}
	start := time.Now()
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, log.String())
	assert.Equal(t, 1, exit.ExitCode())
	assert.Less(t, time.Since(start), 5*time.Second, "stops promptly")
	assert.Regexp(t, `interrupted: [\d,]+ records were written and committed \(0 of \d splits complete\)`, log.String())
	assert.Contains(t, log.String(), "Records written")
}

func TestPlanPrintsSplitsAsJSON(t *testing.T) {
	r := runIn(t, "plan", writeJob(t, strings.Replace(printJob, `"channel": 1`, `"channel": 3`, 1)), "-p", "word=x")
	require.Equal(t, 0, r.code, r.stderr)
	var out planOutput
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	require.Len(t, out.Tasks, 1)
	assert.Len(t, out.Tasks[0].Splits, 3)
	assert.Equal(t, "streamreader", out.Tasks[0].Reader)
	assert.Equal(t, int64(5), out.Tasks[0].Splits[0].Rows)
}

func TestCheckMovesNoData(t *testing.T) {
	r := runIn(t, "check", writeJob(t, printJob), "-p", "word=x")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "task 0 (streamreader -> streamwriter): ok, 1 splits\n", r.stdout)
}

func TestVersionAndHelp(t *testing.T) {
	r := runIn(t, "version")
	assert.Equal(t, 0, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "datasync "), r.stdout)
	for _, cmd := range []string{"run", "check", "plan", "version"} {
		r := runIn(t, cmd, "--help")
		assert.Equal(t, 0, r.code, cmd)
		assert.Contains(t, r.stdout, "Usage: datasync "+cmd, cmd)
		assert.Contains(t, r.stdout, "Example", cmd)
		assert.Empty(t, r.stderr, "help asked for goes to standard output, as --help does: %s", cmd)
	}
	for _, args := range [][]string{{"datasource", "--help"}, {"datasource", "list", "-h"}, {"run", "job.json", "-help"}} {
		r := runIn(t, args...)
		assert.Equal(t, 0, r.code, args)
		assert.Contains(t, r.stdout, "Usage: datasync", args)
		assert.Empty(t, r.stderr, args)
	}
	r = runIn(t, "run", "--no-such-flag")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "flag provided but not defined", "a usage mistake still goes to standard error")
	assert.Contains(t, r.stderr, "Usage: datasync run")
	assert.Empty(t, r.stdout)
	r = runIn(t, "--help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "Exit codes")
}

func TestDirtyLimitJobExitsWithThree(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "orders.csv"), []byte("1,10.50\n2,abc\n3,7.25\n4,\n5,1e400x\n"), 0o644))
	dirty := filepath.Join(dir, "dirty.jsonl")
	text := func(limit int) string {
		return fmt.Sprintf(`{"job": {
		  "setting": {"errorLimit": {"record": %d}, "dirty": {"path": %q}},
		  "content": [{
		    "reader": {"name": "txtfilereader", "parameter": {"path": [%q], "nullFormat": "",
		      "column": [{"index": 0, "type": "long", "name": "id"}, {"index": 1, "type": "decimal", "name": "amount"}]}},
		    "writer": {"name": "streamwriter", "parameter": {"print": true}}
		  }]}}`, limit, dirty, filepath.Join(dir, "*.csv"))
	}
	r := runCLI(t, "run", writeJob(t, text(1)))
	assert.Equal(t, 3, r.code, r.stderr)
	assert.Contains(t, r.stderr, "dirty-data limit exceeded")
	assert.Contains(t, r.stderr, "orders.csv:", "the dirty line is named by file and line")

	r = runCLI(t, "run", writeJob(t, text(2)))
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "1\t10.50\n3\t7.25\n4\tnull\n", r.stdout)
	assert.Regexp(t, `Dirty records\s+:\s+2\n`, r.stderr)
	assert.Contains(t, r.stderr, "Dirty records were written to "+dirty)
	lines, err := os.ReadFile(dirty)
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(string(lines), "\n"))
	assert.Contains(t, string(lines), `"value":"abc"`)
}

func TestCommandUsesItsOwnRegistryAndName(t *testing.T) {
	var stdout, stderr bytes.Buffer
	c := &Command{Name: "mysync", Registry: job.NewRegistry(), Stdout: &stdout, Stderr: &stderr}
	code := c.Run(context.Background(), []string{"check", writeJob(t, printJob), "-p", "word=x"})
	assert.Equal(t, ExitInvalid, code)
	assert.Contains(t, stderr.String(), `mysync: `)
	assert.Contains(t, stderr.String(), `job.content[0].reader.name: no reader named "streamreader"`, "an empty registry knows no connector")

	stdout.Reset()
	c.Version = "v1.2.3"
	require.Equal(t, ExitOK, c.Run(context.Background(), []string{"version"}))
	assert.True(t, strings.HasPrefix(stdout.String(), "mysync v1.2.3 "), stdout.String())
}

func TestCancellingTheContextStopsTheRunAsAnInterrupt(t *testing.T) {
	var stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &Command{Stdout: io.Discard, Stderr: &stderr}
	code := c.Run(ctx, []string{"run", writeJob(t, printJob), "-p", "word=x"})
	assert.Equal(t, ExitFailed, code, stderr.String())
	assert.Contains(t, stderr.String(), "datasync: interrupted: 0 records were written and committed")
}
