package faultproxy_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/datasync-go/datasync/internal/faultproxy"
)

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// server is a TCP server that records what each connection sends and
// echoes it back.
type server struct {
	ln  net.Listener
	wg  sync.WaitGroup
	mu  sync.Mutex
	got [][]byte // by connection, in order of acceptance
}

func newServer(t *testing.T) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &server{ln: ln}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			i := len(s.got)
			s.got = append(s.got, nil)
			s.mu.Unlock()
			s.wg.Go(func() {
				defer c.Close()
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					s.mu.Lock()
					s.got[i] = append(s.got[i], buf[:n]...)
					s.mu.Unlock()
					if n > 0 {
						if _, err := c.Write(buf[:n]); err != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			})
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// received returns what connection i has sent the server so far.
func (s *server) received(i int) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i >= len(s.got) {
		return nil
	}
	return bytes.Clone(s.got[i])
}

func newProxy(t *testing.T, s *server) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.New(s.ln.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Close()) })
	return p
}

func dial(t *testing.T, p *faultproxy.Proxy) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// echo sends msg and reads as many bytes back, giving up after wait.
func echo(c net.Conn, msg string, wait time.Duration) (string, error) {
	if _, err := c.Write([]byte(msg)); err != nil {
		return "", err
	}
	return readN(c, len(msg), wait)
}

func readN(c net.Conn, n int, wait time.Duration) (string, error) {
	c.SetReadDeadline(time.Now().Add(wait))
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, n)
	got, err := io.ReadFull(c, buf)
	return string(buf[:got]), err
}

// silence is how long a test waits to be sure no byte moves.
const silence = 200 * time.Millisecond

func requireTimeout(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
}

func TestForwardsAndCounts(t *testing.T) {
	s := newServer(t)
	p := newProxy(t, s)
	c := dial(t, p)
	got, err := echo(c, "hello", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "hello", got)
	assert.Equal(t, 1, p.Connections())
	assert.Equal(t, 1, p.Accepted())
	assert.Equal(t, int64(5), p.Bytes(faultproxy.Upstream))
	assert.Equal(t, int64(5), p.Bytes(faultproxy.Downstream))
	assert.Equal(t, int64(10), p.Bytes(faultproxy.Both))

	c.Close()
	require.Eventually(t, func() bool { return p.Connections() == 0 }, time.Minute, time.Millisecond)
	assert.Equal(t, 1, p.Accepted())
}

func TestStallHoldsBytesAndKeepsTheConnectionOpen(t *testing.T) {
	for _, tc := range []struct {
		dir          faultproxy.Direction
		serverGetsIt bool
	}{
		{faultproxy.Both, false},
		{faultproxy.Upstream, false},
		{faultproxy.Downstream, true},
	} {
		t.Run(tc.dir.String(), func(t *testing.T) {
			s := newServer(t)
			p := newProxy(t, s)
			c := dial(t, p)
			_, err := echo(c, "a", time.Minute) // the connection is up
			require.NoError(t, err)

			p.Stall(tc.dir)
			_, err = echo(c, "bc", silence)
			requireTimeout(t, err)
			if tc.serverGetsIt {
				assert.Eventually(t, func() bool { return string(s.received(0)) == "abc" }, time.Minute, time.Millisecond)
			} else {
				assert.Equal(t, "a", string(s.received(0)))
			}
			assert.Equal(t, 1, p.Connections(), "a stall keeps the sockets open")

			// A connection made during the stall is stalled too.
			c2 := dial(t, p)
			_, err = echo(c2, "x", silence)
			requireTimeout(t, err)

			p.Resume()
			got, err := readN(c, 2, time.Minute)
			require.NoError(t, err)
			assert.Equal(t, "bc", got, "held bytes flow on")
			got, err = readN(c2, 1, time.Minute)
			require.NoError(t, err)
			assert.Equal(t, "x", got)
		})
	}
}

func TestStallOpenLetsNewConnectionsThrough(t *testing.T) {
	s := newServer(t)
	p := newProxy(t, s)
	old := dial(t, p)
	_, err := echo(old, "a", time.Minute)
	require.NoError(t, err)

	p.StallOpen(faultproxy.Both)
	_, err = echo(old, "b", silence)
	requireTimeout(t, err)

	fresh := dial(t, p)
	got, err := echo(fresh, "new", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "new", got)

	p.Resume()
	got, err = readN(old, 1, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "b", got)
}

func TestCutClosesEveryConnection(t *testing.T) {
	s := newServer(t)
	p := newProxy(t, s)
	c1, c2 := dial(t, p), dial(t, p)
	for _, c := range []net.Conn{c1, c2} {
		_, err := echo(c, "a", time.Minute)
		require.NoError(t, err)
	}
	p.Stall(faultproxy.Both) // a cut also ends stalled connections
	p.Cut()
	assert.Equal(t, 0, p.Connections())
	for _, c := range []net.Conn{c1, c2} {
		_, err := readN(c, 1, time.Minute)
		require.Error(t, err)
		assert.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the client sees the connection end: %v", err)
	}

	p.Resume()
	c3 := dial(t, p)
	got, err := echo(c3, "again", time.Minute)
	require.NoError(t, err, "the proxy accepts connections after a cut")
	assert.Equal(t, "again", got)
	assert.Equal(t, 3, p.Accepted())
}

func TestCutAfterDeliversExactlyNBytes(t *testing.T) {
	s := newServer(t)
	p := newProxy(t, s)
	c := dial(t, p)
	_, err := echo(c, "ready", time.Minute)
	require.NoError(t, err)

	p.CutAfter(faultproxy.Upstream, 10)
	_, err = c.Write([]byte("0123456789abcdefghij"))
	require.NoError(t, err)
	c.SetReadDeadline(time.Now().Add(time.Minute))
	_, err = io.ReadAll(c) // an EOF or a reset, whichever the kernel makes of it
	assert.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the client's connection ends: %v", err)
	require.Eventually(t, func() bool { return p.Connections() == 0 }, time.Minute, time.Millisecond)
	require.Eventually(t, func() bool { return string(s.received(0)) == "ready0123456789" }, time.Minute, time.Millisecond,
		"the server gets the 10 bytes")
	time.Sleep(silence)
	assert.Equal(t, "ready0123456789", string(s.received(0)), "and no more")
	assert.Equal(t, int64(15), p.Bytes(faultproxy.Upstream))

	// The cut fired once: a new connection is not cut.
	c2 := dial(t, p)
	got, err := echo(c2, "0123456789abc", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "0123456789abc", got)
}

func TestUnreachableTargetRefusesTheClient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	p, err := faultproxy.New(addr)
	require.NoError(t, err)
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr())
	require.NoError(t, err)
	defer c.Close()
	_, err = readN(c, 1, time.Minute)
	require.Error(t, err)
	assert.False(t, errors.Is(err, os.ErrDeadlineExceeded))
	assert.Equal(t, 0, p.Connections())
}
