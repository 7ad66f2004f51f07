package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is a bytes.Buffer written by the command while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestUIServesThePageWithATokenUntilCancelled(t *testing.T) {
	catalog := filepath.Join(t.TempDir(), "datasources.json")
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- (&Command{Stdout: &stdout, Stderr: &stderr}).Run(ctx, []string{"ui", "--datasources", catalog, "--dir", t.TempDir()})
	}()
	urlRE := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/#token=([A-Za-z0-9_-]+)`)
	var m []string
	require.Eventually(t, func() bool { m = urlRE.FindStringSubmatch(stdout.String()); return m != nil }, 10*time.Second, 10*time.Millisecond,
		"the address is printed: %s %s", stdout.String(), stderr.String())
	base, token := m[1], m[2]

	resp, err := http.Get(base + "/")
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(page), "codeless UI")

	call := func(tok string) int {
		req, _ := http.NewRequest("GET", base+"/api/datasources", nil)
		req.Header.Set("X-Datasync-Token", tok)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, call(token), "an empty catalog that does not exist yet")
	assert.Equal(t, http.StatusUnauthorized, call("wrong"))

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, ExitOK, code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("ui did not stop when its context was cancelled")
	}
}

func TestUIRefusesANonLoopbackAddressUnlessAllowed(t *testing.T) {
	noDefaultCatalog(t)
	r := runCLI(t, "ui", "--listen", "0.0.0.0:0", "--datasources", filepath.Join(t.TempDir(), "c.json"))
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, "not a loopback address")
	assert.Contains(t, r.stderr, "--allow-remote")

	r = runCLI(t, "ui", "--listen", "nonsense")
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, `--listen "nonsense"`)

	r = runCLI(t, "ui", "--dir", filepath.Join(t.TempDir(), "missing"))
	assert.Equal(t, ExitInvalid, r.code)
	assert.Contains(t, r.stderr, "is not a directory")

	r = runCLI(t, "help")
	assert.True(t, strings.Contains(r.stdout, "ui          serve the codeless UI"), r.stdout)
}
