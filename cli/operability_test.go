package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

// jsonLines returns the JSON objects among the lines of text (the text
// report is not JSON), and fails on a line that looks like JSON but is not.
func jsonLines(t *testing.T, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

func withMsg(lines []map[string]any, msg string) []map[string]any {
	var out []map[string]any
	for _, l := range lines {
		if l["msg"] == msg {
			out = append(out, l)
		}
	}
	return out
}

// dirtyCSVJob writes a CSV file of n rows whose even rows have a bad
// amount, and a job reading it with a dirty file; it returns the job and
// the dirty file's path.
func dirtyCSVJob(t *testing.T, n int) (jobPath, dirtyPath string) {
	dir := t.TempDir()
	var csv strings.Builder
	for i := 1; i <= n; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&csv, "%d,bad%d\n", i, i)
		} else {
			fmt.Fprintf(&csv, "%d,%d.25\n", i, i)
		}
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "orders.csv"), []byte(csv.String()), 0o644))
	dirtyPath = filepath.Join(dir, "dirty.jsonl")
	return writeJob(t, fmt.Sprintf(`{"job": {
	  "setting": {"errorLimit": {"record": 100000}, "dirty": {"path": %q}},
	  "content": [{
	    "reader": {"name": "txtfilereader", "parameter": {"path": [%q],
	      "column": [{"index": 0, "type": "long", "name": "id"}, {"index": 1, "type": "decimal", "name": "amount"}]}},
	    "writer": {"name": "streamwriter", "parameter": {"print": false}}
	  }]}}`, dirtyPath, filepath.Join(dir, "orders.csv"))), dirtyPath
}

func TestRunLogsJSONAndWritesAJSONReport(t *testing.T) {
	jobPath, dirtyPath := dirtyCSVJob(t, 400)
	reportPath := filepath.Join(t.TempDir(), "report.json")
	r := runIn(t, "run", jobPath, "--log-format", "json", "-v", "--report", reportPath)
	require.Equal(t, 0, r.code, r.stderr)

	logs := jsonLines(t, r.stderr)
	require.NotEmpty(t, logs)
	for _, l := range logs {
		assert.Contains(t, l, "time")
		assert.Contains(t, l, "level")
	}
	dirtyLines := withMsg(logs, "dirty record")
	assert.Len(t, dirtyLines, datasync.DefaultDirtyLogFirst, "the first few, not 200 lines")
	assert.Equal(t, "JSON lines in "+dirtyPath, dirtyLines[0]["records_to"])
	summary := withMsg(logs, "dirty records summary (final)")
	require.Len(t, summary, 1)
	assert.EqualValues(t, 200, summary[0]["dirty"])
	assert.Len(t, summary[0]["by_reason"], 1, "%v", summary[0]["by_reason"])

	finished := withMsg(logs, "job finished")
	require.Len(t, finished, 1)
	assert.EqualValues(t, 200, finished[0]["records_written"], "the result as attributes")
	assert.EqualValues(t, 200, finished[0]["records_dirty"])
	assert.EqualValues(t, 400, finished[0]["records_read"])
	for _, msg := range []string{"source planned", "split planned", "source opened", "sink opened", "sink flushed", "split done"} {
		assert.NotEmpty(t, withMsg(logs, msg), "debug line %q with -v", msg)
	}
	assert.Contains(t, r.stderr, "Records written", "the text report is still printed")

	text, err := os.ReadFile(reportPath)
	require.NoError(t, err)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(text, &raw))
	for _, key := range []string{"report_version", "job", "start", "end", "elapsed_sec", "status", "exit_code", "totals", "tasks"} {
		assert.Contains(t, raw, key)
	}
	var rep Report
	require.NoError(t, json.Unmarshal(text, &rep))
	assert.Equal(t, ReportVersion, rep.ReportVersion)
	assert.Equal(t, StatusSucceeded, rep.Status)
	assert.Equal(t, 0, rep.ExitCode)
	assert.Empty(t, rep.Error)
	assert.Equal(t, jobPath, rep.Job.File)
	assert.Equal(t, "datax", rep.Job.Dialect)
	assert.Equal(t, os.Getpid(), rep.Job.PID)
	assert.False(t, rep.End.Before(rep.Start))
	require.NotNil(t, rep.Totals)
	assert.EqualValues(t, 400, rep.Totals.RecordsRead)
	assert.EqualValues(t, 200, rep.Totals.RecordsWritten)
	assert.EqualValues(t, 200, rep.Totals.RecordsDirty)
	assert.Positive(t, rep.Totals.BytesRead)
	assert.Positive(t, rep.Totals.RecordsPerSec)
	assert.Equal(t, 1, rep.Totals.SplitsDone)
	require.Len(t, rep.Tasks, 1)
	task := rep.Tasks[0]
	assert.Equal(t, "txtfilereader", task.Reader)
	assert.Equal(t, StatusSucceeded, task.Status)
	require.Len(t, task.Splits, 1)
	assert.EqualValues(t, 200, task.Splits[0].RecordsWritten)
	assert.Equal(t, 1, task.Splits[0].Attempts)
	require.NotNil(t, task.Dirty)
	assert.EqualValues(t, 200, task.Dirty.Count)
	assert.Equal(t, dirtyPath, task.Dirty.Destination)
	require.Len(t, task.Dirty.ByReason, 1)
	assert.EqualValues(t, 200, task.Dirty.ByReason[0].Count)
	assert.Contains(t, task.Dirty.ByReason[0].Reason, "amount")
}

func TestReportToStandardOutputAndAJobThatFailsBeforeStarting(t *testing.T) {
	path := writeJob(t, fmt.Sprintf(`{"job": {"content": [{
	  "reader": {"name": "txtfilereader", "parameter": {"path": [%q], "column": [{"index": 0, "type": "long"}]}},
	  "writer": {"name": "streamwriter", "parameter": {"print": false}}}]}}`, filepath.Join(t.TempDir(), "none*.csv")))
	r := runIn(t, "run", path, "--report", "-")
	require.Equal(t, ExitFailed, r.code, r.stderr)
	assert.Contains(t, r.stderr, "matches no file", "the error is printed")
	assert.NotContains(t, r.stderr, "Records read", "no report of zeros")
	var rep Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	assert.Equal(t, StatusFailed, rep.Status)
	assert.Equal(t, ExitFailed, rep.ExitCode)
	assert.Contains(t, rep.Error, "matches no file")
	assert.Nil(t, rep.Totals, "no figures for a job that did not start")
	require.Len(t, rep.Tasks, 1)
	assert.Nil(t, rep.Tasks[0].Figures)
	assert.NotContains(t, r.stdout, `"totals"`)
}

func TestReportOfADirtyLimitAndOfRetries(t *testing.T) {
	jobPath, _ := dirtyCSVJob(t, 10)
	text, err := os.ReadFile(jobPath)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(jobPath, bytes.Replace(text, []byte(`"record": 100000`), []byte(`"record": 2`), 1), 0o644))
	r := runIn(t, "run", jobPath, "--report", "-", "--quiet")
	require.Equal(t, ExitDirty, r.code, r.stderr)
	var rep Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	assert.Equal(t, StatusDirtyLimit, rep.Status)
	assert.Equal(t, ExitDirty, rep.ExitCode)
	require.NotNil(t, rep.Totals, "the job started: its figures are reported")
	assert.Greater(t, rep.Totals.RecordsDirty, int64(2))

	// Retries, with their causes, as the library reports them.
	rep = Report{Tasks: []TaskInfo{{}}}
	cause := errors.New("connection reset by peer")
	rep.addTask(0, datasync.Result{Splits: []datasync.SplitResult{{ID: "s1", Attempts: 2}},
		Retries: 1, RetryLog: []datasync.Retry{{Split: "s1", Attempt: 1, Backoff: time.Second, Err: cause}}}, nil, "")
	require.Len(t, rep.Tasks[0].Retries, 1)
	assert.Equal(t, RetryInfo{Split: "s1", Attempt: 1, BackoffSec: 1, Cause: "connection reset by peer"}, rep.Tasks[0].Retries[0])
}

func TestQuietLogsOnlyWarningsAndErrors(t *testing.T) {
	r := runIn(t, "run", writeJob(t, strings.Replace(printJob, `"print": true`, `"print": false`, 1)), "-p", "word=x", "--quiet")
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "level=INFO")
	assert.NotContains(t, r.stderr, "progress")
	assert.Regexp(t, `Records written\s+:\s+5\n`, r.stderr, "the report is printed")

	jobPath, _ := dirtyCSVJob(t, 4)
	r = runIn(t, "run", jobPath, "--quiet")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "level=WARN", "warnings still show")
	assert.NotContains(t, r.stderr, "level=INFO")
}

func TestLoggingFlagsThatMakeNoSense(t *testing.T) {
	job := writeJob(t, printJob)
	r := runIn(t, "run", job, "-p", "word=x", "-v", "--quiet")
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, "-v and --quiet")
	r = runIn(t, "run", job, "-p", "word=x", "--log-format", "xml")
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, `--log-format "xml": want text or json`)
}

func TestMistypedCommandsGetADidYouMean(t *testing.T) {
	for typed, want := range map[string]string{"rnu": "run", "chekc": "check", "pln": "plan", "datsource": "datasource", "verison": "version"} {
		r := runIn(t, typed)
		assert.Equal(t, ExitInvalid, r.code)
		assert.Contains(t, r.stderr, fmt.Sprintf("unknown command %q; did you mean %q?", typed, want))
	}
	r := runIn(t, "frobnicate")
	assert.NotContains(t, r.stderr, "did you mean")
	r = runIn(t, "datasource", "lst")
	assert.Contains(t, r.stderr, `did you mean "list"?`)
}

func TestTheBarNeverEndsAboveItsEstimate(t *testing.T) {
	var out bytes.Buffer
	progressBar(&out)(datasync.Progress{RecordsRead: 299_940, EstimatedRecords: 299_290, SplitsTotal: 1, SplitsDone: 1, Done: true})
	assert.Contains(t, out.String(), "299,940/299,940 rec")
	assert.Contains(t, out.String(), "100%")
	out.Reset()
	progressBar(&out)(datasync.Progress{RecordsRead: 100, EstimatedRecords: 400})
	assert.Contains(t, out.String(), "100/400 rec")
}

func TestMetricsAreServedForPrometheusWhileTheJobRuns(t *testing.T) {
	path := writeJob(t, `{"job": {
	  "setting": {"speed": {"channel": 2, "record": 5000}},
	  "content": [{
	    "reader": {"name": "streamreader", "parameter": {"column": [{"incr": "1,1", "type": "long"}], "sliceRecordCount": 1000000}},
	    "writer": {"name": "streamwriter", "parameter": {"print": false}}
	  }]}}`)
	cmd := command("run", path, "--metrics-addr", "127.0.0.1:0", "--log-format", "json", "--progress", "1h")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := bufio.NewScanner(stderr)
	var url string
	for url == "" && lines.Scan() {
		var m map[string]any
		if json.Unmarshal(lines.Bytes(), &m) == nil && m["msg"] == "serving metrics" {
			url, _ = m["url"].(string)
		}
	}
	require.NotEmpty(t, url, "the metrics address is logged")
	go func() { _, _ = io.Copy(io.Discard, stderr) }()

	read := regexp.MustCompile(`(?m)^datasync_records_total\{[^}]*direction="read"[^}]*\} (\S+)$`)
	var body string
	var first float64
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		body = scrape(t, url)
		first = sumValues(read.FindAllStringSubmatch(body, -1))
		if first > 0 && strings.Contains(body, `direction="written"`) && strings.Contains(body, "datasync_write_duration_seconds_bucket") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.Positive(t, first, "records read are counted while the job runs:\n%s", body)
	for _, want := range []string{"datasync_records_total", "datasync_bytes_total", "datasync_write_duration_seconds_bucket",
		"datasync_splits_running", "datasync_throttle_waiting", "datasync_throttle_wait_seconds_total", `direction="written"`, `split="`} {
		assert.Contains(t, body, want)
	}
	assert.Regexp(t, `(?m)^datasync_splits_running\{[^}]*\} 2$`, body, "two splits running")
	time.Sleep(300 * time.Millisecond)
	later := sumValues(read.FindAllStringSubmatch(scrape(t, url), -1))
	assert.Greater(t, later, first, "the counters move as the job runs")

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	err = cmd.Wait()
	var exit interface{ ExitCode() int }
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, ExitFailed, exit.ExitCode(), "interrupted")
	_, err = http.Get(url)
	assert.Error(t, err, "the endpoint goes away with the job")
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func sumValues(matches [][]string) float64 {
	var sum float64
	for _, m := range matches {
		v, _ := strconv.ParseFloat(m[1], 64)
		sum += v
	}
	return sum
}
