// Package faultproxy is a TCP proxy for tests that puts network faults
// between a client and a real server: it listens on 127.0.0.1, forwards
// every connection it accepts to the server, and on request stalls the
// bytes in one or both directions while keeping the sockets open (a hung
// server, a dead route), cuts every connection (a killed server, a reset),
// or cuts them once a given number of bytes has passed (a failure in the
// middle of a stream).
//
// A test points the client at Addr instead of the server:
//
//	p, err := faultproxy.New("127.0.0.1:5432")
//	defer p.Close()
//	dsn := "postgres://user@" + p.Addr() + "/db"
//	...
//	p.Stall(faultproxy.Both) // the client now waits for ever, unless it gives up
//
// A stalled direction stops reading from its sender, so the sender's socket
// buffers fill up and its writes block, as they do when a peer stops
// reading; bytes already read are held, not lost, and flow on Resume.
package faultproxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// Direction names the way bytes move through the proxy.
type Direction int

// The directions.
const (
	// Upstream is from the client to the server.
	Upstream Direction = 1 << iota
	// Downstream is from the server to the client.
	Downstream
	// Both is both directions.
	Both = Upstream | Downstream
)

func (d Direction) String() string {
	switch d {
	case Upstream:
		return "upstream"
	case Downstream:
		return "downstream"
	case Both:
		return "both"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// Proxy forwards connections from Addr to a target server. Its methods may
// be called from any goroutine.
type Proxy struct {
	target string
	ln     net.Listener
	wg     sync.WaitGroup // the accept loop and every pump

	mu       sync.Mutex
	changed  *sync.Cond // broadcast when stalls, cuts or budgets change
	closed   bool
	conns    map[*link]bool // the open connections
	accepted int
	stall    Direction  // stalls every connection, including later ones
	moved    [2]int64   // bytes forwarded upstream, downstream
	cutDir   Direction  // CutAfter's direction, 0 when not armed
	cutLeft  int64      // bytes CutAfter lets pass before it cuts
	drop     *replyDrop // DropReplyAfter's, nil when not armed
	dropped  int        // replies dropped
}

// link is one proxied connection: the client's socket and the server's.
type link struct {
	client, server net.Conn
	stall          Direction // stalls of this connection only (StallOpen)
	cut            bool
	tail           []byte // the last bytes sent upstream, for DropReplyAfter
	dropReply      bool   // cut at the server's next bytes instead of forwarding them
}

// New starts a proxy to target ("host:port") on a free port of 127.0.0.1.
func New(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}
	p := &Proxy{target: target, ln: ln, conns: map[*link]bool{}}
	p.changed = sync.NewCond(&p.mu)
	p.wg.Go(p.accept)
	return p, nil
}

// Addr returns the "127.0.0.1:port" clients should connect to.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Stall stops bytes moving in dir on every connection, open now or accepted
// later, until Resume. The sockets stay open: the peers see silence, not an
// error.
func (p *Proxy) Stall(dir Direction) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stall |= dir
}

// StallOpen stops bytes moving in dir on the connections open now only;
// connections accepted later move freely. It is how a test hangs one client
// and lets its retry through.
func (p *Proxy) StallOpen(dir Direction) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.conns {
		l.stall |= dir
	}
}

// Resume lifts every stall, of Stall and of StallOpen; held bytes flow on.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stall = 0
	for l := range p.conns {
		l.stall = 0
	}
	p.changed.Broadcast()
}

// Cut closes every open connection, both sockets, as a server that dies
// does. New connections are still accepted.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutAll()
}

// CutAfter arms a cut: once n more bytes have been forwarded in dir (on all
// connections together, counting either direction for Both), every open
// connection is cut, the n-th byte being the last one delivered. It fires
// once; a later call re-arms it. n must be at least 1.
func (p *Proxy) CutAfter(dir Direction, n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutDir, p.cutLeft = dir, max(n, 1)
}

// Connections returns how many connections are open through the proxy.
func (p *Proxy) Connections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

// Accepted returns how many connections the proxy has accepted in all.
func (p *Proxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// Bytes returns how many bytes have been forwarded in dir (the sum of both
// for Both).
func (p *Proxy) Bytes(dir Direction) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var n int64
	if dir&Upstream != 0 {
		n += p.moved[0]
	}
	if dir&Downstream != 0 {
		n += p.moved[1]
	}
	return n
}

// Close stops listening, cuts every connection and waits for the proxy's
// goroutines to end.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	err := p.ln.Close()
	p.cutAll()
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

// cutAll closes every connection; p.mu is held.
func (p *Proxy) cutAll() {
	for l := range p.conns {
		p.cutLocked(l)
	}
}

func (p *Proxy) cutLocked(l *link) {
	if !l.cut {
		l.cut = true
		l.client.Close()
		l.server.Close()
		delete(p.conns, l)
	}
	p.changed.Broadcast()
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close() // the client sees the refusal as a reset
			continue
		}
		l := &link{client: c, server: s}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			s.Close()
			return
		}
		p.conns[l] = true
		p.accepted++
		p.mu.Unlock()
		var pumps sync.WaitGroup
		pumps.Go(func() { p.pump(l, Upstream, c, s) })
		pumps.Go(func() { p.pump(l, Downstream, s, c) })
		p.wg.Go(func() {
			pumps.Wait()
			p.mu.Lock()
			p.cutLocked(l)
			p.mu.Unlock()
		})
	}
}

// pump forwards bytes from src to dst in dir until either side fails or the
// link is cut, honouring stalls and the armed cut.
func (p *Proxy) pump(l *link, dir Direction, src, dst net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		if !p.await(l, dir) {
			return
		}
		n, err := src.Read(buf)
		data := buf[:n]
		if n > 0 {
			if dir == Upstream {
				p.watchUpstream(l, data)
			} else if p.dropping(l) {
				return
			}
		}
		for len(data) > 0 {
			if !p.await(l, dir) {
				return
			}
			send, cutNow := p.take(dir, int64(len(data)))
			if _, werr := dst.Write(data[:send]); werr != nil {
				p.cut(l)
				return
			}
			data = data[send:]
			if cutNow {
				p.mu.Lock()
				p.cutAll()
				p.mu.Unlock()
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				// Pass the half-close on: the other direction may still
				// have bytes to deliver.
				if tc, ok := dst.(*net.TCPConn); ok {
					tc.CloseWrite()
					return
				}
			}
			p.cut(l)
			return
		}
	}
}

// await blocks while dir is stalled on l, and reports whether l is still
// open.
func (p *Proxy) await(l *link, dir Direction) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !l.cut && (p.stall|l.stall)&dir != 0 {
		p.changed.Wait()
	}
	return !l.cut
}

// take counts up to n bytes about to be forwarded in dir, and returns how
// many may go and whether the armed cut fires after them.
func (p *Proxy) take(dir Direction, n int64) (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cutNow := false
	if p.cutDir&dir != 0 {
		if n >= p.cutLeft {
			n, cutNow = p.cutLeft, true
			p.cutDir, p.cutLeft = 0, 0
		} else {
			p.cutLeft -= n
		}
	}
	if dir == Upstream {
		p.moved[0] += n
	} else {
		p.moved[1] += n
	}
	return n, cutNow
}

func (p *Proxy) cut(l *link) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked(l)
}
