package netdial

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// silentServer accepts connections and never reads or writes: a peer that
// is up and says nothing, as behind a stalled route.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var accepted []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			accepted = append(accepted, c)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		for _, c := range accepted {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func TestAbortFreesWhatWaitsOnTheConnections(t *testing.T) {
	d := New(time.Minute)
	addr := silentServer(t)
	var errs [2]error
	var wg sync.WaitGroup
	for i := range errs {
		c, err := d.DialContext(context.Background(), "tcp", addr)
		require.NoError(t, err)
		wg.Go(func() {
			_, errs[i] = c.Read(make([]byte, 1)) // waits for ever: the server says nothing
		})
	}
	assert.Equal(t, 2, d.Open())
	d.Abort()
	wg.Wait()
	for _, err := range errs {
		assert.ErrorIs(t, err, net.ErrClosed)
	}
	assert.Zero(t, d.Open())
}

func TestClosedConnectionsAreForgotten(t *testing.T) {
	d := New(0)
	c, err := d.DialContext(context.Background(), "tcp", silentServer(t))
	require.NoError(t, err)
	require.Equal(t, 1, d.Open())
	require.NoError(t, c.Close())
	assert.NoError(t, c.Close(), "Close is idempotent")
	assert.Zero(t, d.Open())
}

func TestCloseAbortsAPoolThatWaitsOnTheNetwork(t *testing.T) {
	closeWait = 100 * time.Millisecond
	defer func() { closeWait = CloseWait }()
	d := New(0)
	addr := silentServer(t)
	stuck, err := d.DialContext(context.Background(), "tcp", addr)
	require.NoError(t, err)
	polite, err := d.DialContext(context.Background(), "tcp", addr)
	require.NoError(t, err)

	// A pool whose goodbye on one connection never gets an answer.
	var readErr error
	d.Close(func() {
		polite.Close()
		_, readErr = stuck.Read(make([]byte, 1))
		stuck.Close()
	})
	assert.ErrorIs(t, readErr, net.ErrClosed)
	assert.Zero(t, d.Open())

	// A pool that closes at once is not aborted.
	c, err := d.DialContext(context.Background(), "tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	d.Close(func() {})
	assert.Equal(t, 1, d.Open())
	require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Millisecond)))
	_, err = c.Read(make([]byte, 1))
	assert.True(t, errors.Is(err, os.ErrDeadlineExceeded), "still open: %v", err)
}

func TestCleanupContextIsBounded(t *testing.T) {
	ctx, cancel := CleanupContext()
	defer cancel()
	deadline, ok := ctx.Deadline()
	require.True(t, ok)
	assert.WithinDuration(t, time.Now().Add(CloseWait), deadline, time.Second)
}
