package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eightFilesJob reads 8 files of 1,000 rows, 2 at a time, at 4,000 rows a
// second: about two seconds, with splits completing along the way.
func eightFilesJob(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for f := range 8 {
		var b strings.Builder
		for i := range 1000 {
			fmt.Fprintf(&b, "%d,row %d\n", f*1000+i, i)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%d.csv", f)), []byte(b.String()), 0o644))
	}
	return writeJob(t, fmt.Sprintf(`{"job": {
	  "setting": {"speed": {"channel": 2, "record": 4000}},
	  "content": [{
	    "reader": {"name": "txtfilereader", "parameter": {"path": [%q],
	      "column": [{"index": 0, "type": "long"}, {"index": 1, "type": "string"}]}},
	    "writer": {"name": "streamwriter", "parameter": {"print": false}}
	  }]}}`, filepath.Join(dir, "*.csv")))
}

var interruptedRE = regexp.MustCompile(`interrupted: [\d,]+ records were written and committed \((\d+) of (\d+) splits complete\)`)

// TestTheInterruptMessageCountsThePlannedSplits interrupts a job once some
// of its splits are complete: the message counts the complete ones out of
// the planned total, not out of those that had started.
func TestTheInterruptMessageCountsThePlannedSplits(t *testing.T) {
	cmd := command("run", eightFilesJob(t), "--progress", "50ms")
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	var log bytes.Buffer
	done := regexp.MustCompile(`splits=(\d+)/8`)
	seen := 0
	lines := bufio.NewScanner(stderr)
	for seen < 2 && lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if m := done.FindStringSubmatch(lines.Text()); m != nil {
			seen, _ = strconv.Atoi(m[1])
		}
	}
	require.GreaterOrEqual(t, seen, 2, log.String())
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
	}
	require.Error(t, cmd.Wait())
	m := interruptedRE.FindStringSubmatch(log.String())
	require.NotNil(t, m, log.String())
	complete, _ := strconv.Atoi(m[1])
	assert.Equal(t, "8", m[2], "out of the planned splits: %s", m[0])
	assert.GreaterOrEqual(t, complete, seen, "at least the splits the progress showed complete: %s", m[0])
	assert.Less(t, complete, 8, m[0])
}
