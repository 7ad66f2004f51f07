// Package netdial opens the network connections of the pools connectors
// own, so that a stalled network (the server up, no bytes moving) never
// holds a job for long: every connection has TCP keepalives, and closing a
// pool that waits on stalled connections gives up after CloseWait and
// closes their sockets. It also bounds the cleanup statements a reader or
// writer runs while closing (CleanupContext).
//
// Pools the caller owns are left alone: their connections are the
// caller's, dialled and closed as the caller chose.
package netdial

import (
	"context"
	"errors"
	"net"
	"sync"
	"syscall"
	"time"
)

// The keepalive settings: an idle connection is probed after 15 s, and
// given up 4 unanswered probes later, about a minute after its peer
// vanished (the system default is two hours).
var keepAlive = net.KeepAliveConfig{Enable: true, Idle: 15 * time.Second, Interval: 15 * time.Second, Count: 4}

// CloseWait bounds how long closing a connection, or a pool of them, may
// wait on the network: a polite goodbye to the server that does not get
// through in that time is abandoned by closing the socket.
const CloseWait = 3 * time.Second

// closeWait is CloseWait, shortened by tests.
var closeWait = CloseWait

// CleanupContext returns the context for the statements a reader or writer
// runs while closing (ROLLBACK, dropping a staging table, restoring a
// session): they are given up after CloseWait, which closes their
// connection, and the server then rolls back by itself.
func CleanupContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), closeWait)
}

// Dialer dials the connections of one pool. Its zero value is not usable:
// make one with New.
type Dialer struct {
	net   net.Dialer
	mu    sync.Mutex
	conns map[*conn]struct{} // open connections
}

// New returns a Dialer whose connections have keepalives. timeout, when
// positive, bounds each dial (the driver's connect timeout).
func New(timeout time.Duration) *Dialer {
	return &Dialer{
		net:   net.Dialer{Timeout: max(timeout, 0), KeepAliveConfig: keepAlive},
		conns: map[*conn]struct{}{},
	}
}

// DialContext connects to addr on network, as net.Dialer.DialContext does,
// and keeps track of the connection until it is closed.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	nc, err := d.net.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c := &conn{Conn: nc, d: d}
	d.mu.Lock()
	d.conns[c] = struct{}{}
	d.mu.Unlock()
	return c, nil
}

// Open returns how many of the Dialer's connections are open.
func (d *Dialer) Open() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.conns)
}

// Abort closes every open connection of the Dialer: whatever waits on one
// of them fails at once.
func (d *Dialer) Abort() {
	d.mu.Lock()
	conns := make([]*conn, 0, len(d.conns))
	for c := range d.conns {
		conns = append(conns, c)
	}
	d.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Close runs closePool, the pool's own Close, which says goodbye to the
// server on each connection and may wait on stalled ones; when it has not
// returned after CloseWait, the connections are aborted, which lets it
// finish.
func (d *Dialer) Close(closePool func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		closePool()
	}()
	t := time.NewTimer(closeWait)
	defer t.Stop()
	select {
	case <-done:
		return
	case <-t.C:
	}
	d.Abort()
	<-done
}

// conn is a connection of a Dialer.
type conn struct {
	net.Conn
	d    *Dialer
	once sync.Once
	err  error
}

func (c *conn) Close() error {
	c.once.Do(func() {
		c.d.mu.Lock()
		delete(c.d.conns, c)
		c.d.mu.Unlock()
		c.err = c.Conn.Close()
	})
	return c.err
}

// SyscallConn gives drivers the socket, as the connection it wraps does
// (go-sql-driver/mysql checks a pooled connection's liveness through it).
func (c *conn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.New("netdial: the connection has no socket")
}
