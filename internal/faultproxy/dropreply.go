package faultproxy

import "bytes"

// replyDrop is an armed DropReplyAfter.
type replyDrop struct {
	pattern []byte
	left    int // occurrences to let through before the one whose reply is dropped
}

// DropReplyAfter arms a lost reply: the n-th time (n ≥ 1, counting on all
// connections together from now) pattern passes upstream, such as a
// "COMMIT" statement, it is delivered to the server, and that connection is
// cut as soon as the server starts answering, without forwarding the answer.
// The server has then acted on the statement, and the client never learns
// it did: a commit whose reply is lost. It fires once; a later call re-arms
// it. A pattern split between two reads is found too.
func (p *Proxy) DropReplyAfter(pattern []byte, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop = &replyDrop{pattern: bytes.Clone(pattern), left: max(n, 1) - 1}
}

// Drops returns how many replies DropReplyAfter has dropped.
func (p *Proxy) Drops() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dropped
}

// watchUpstream looks for the armed pattern in data, about to go upstream
// on l, after what l sent before (l.tail); when it is the occurrence that
// fires, l's next answer is dropped.
func (p *Proxy) watchUpstream(l *link, data []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.drop
	if d == nil || len(d.pattern) == 0 {
		return
	}
	buf := append(l.tail, data...)
	for i := 0; ; {
		j := bytes.Index(buf[i:], d.pattern)
		if j < 0 {
			break
		}
		i += j + len(d.pattern)
		if d.left == 0 {
			l.dropReply = true
			p.drop = nil
			break
		}
		d.left--
		buf = buf[i:]
		i = 0
	}
	keep := min(len(buf), len(d.pattern)-1)
	l.tail = append(l.tail[:0], buf[len(buf)-keep:]...)
}

// dropping reports whether l's answers are to be dropped, and cuts l if so.
func (p *Proxy) dropping(l *link) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !l.dropReply {
		return false
	}
	p.dropped++
	p.cutLocked(l)
	return true
}
