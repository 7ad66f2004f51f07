package osstest

import (
	"context"
	"strings"
)

// Stage is a moment in the handling of a request, where a Hook runs.
type Stage int

const (
	// BeforeOp is after the request was authenticated and routed, before
	// the operation is done: nothing has changed on the server yet.
	BeforeOp Stage = iota
	// AfterOp is after the operation was done (an upload created, an object
	// stored), before its answer is sent: the server has changed, the client
	// does not know it yet.
	AfterOp
)

// Hook runs Func inside the server while it handles a matching request, to
// test what a client does at a precise moment: Func may block, cancel the
// client's context, or wait for the client to hang up (its ctx is the
// request's, done when the client closes the connection). Hooks run for
// every matching request, in the order they were added; a request a Fault
// fails before its operation runs none.
type Hook struct {
	// Op is the operation (an Op constant); "" matches any.
	Op string
	// Bucket and KeyPrefix restrict the hook to a bucket and to keys that
	// start with KeyPrefix; "" matches any.
	Bucket    string
	KeyPrefix string
	// Stage is when Func runs.
	Stage Stage
	// Func is called with the request's context and what the request is.
	Func func(ctx context.Context, r Request)
}

// AddHook adds a hook.
func (s *Server) AddHook(h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, h)
}

// ClearHooks removes every hook.
func (s *Server) ClearHooks() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = nil
}

// hooksAt returns the hooks of a request at a stage.
func (s *Server) hooksAt(stage Stage, op, bucketName, key string) []Hook {
	s.mu.Lock()
	defer s.mu.Unlock()
	var hs []Hook
	for _, h := range s.hooks {
		if h.Stage == stage && (h.Op == "" || h.Op == op) && (h.Bucket == "" || h.Bucket == bucketName) && strings.HasPrefix(key, h.KeyPrefix) {
			hs = append(hs, h)
		}
	}
	return hs
}

// runHooks runs the hooks of a request at a stage, outside the lock.
func runHooks(ctx context.Context, hs []Hook, r Request) {
	for _, h := range hs {
		h.Func(ctx, r)
	}
}
