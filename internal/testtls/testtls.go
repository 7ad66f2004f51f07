// Package testtls starts private MariaDB and PostgreSQL servers for tests
// of TLS settings: one with TLS on, using certificates of a throw-away CA
// made here, and one with TLS off, each on a free loopback port in a
// temporary directory.
//
// A test binary starts each kind once (MariaDB(t), Postgres(t)) and stops
// them all at its end (Stop, from TestMain). The servers are children of
// the test process and die with it. When the server programs are not
// installed the tests are skipped, saying so, or fail with
// DATASYNC_TEST_REQUIRE_DB=1.
package testtls

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/datasync-go/datasync/internal/testdb"
)

// Servers is a TLS-on and a TLS-off server of one kind, and the PKI whose
// certificates the TLS-on one presents.
type Servers struct {
	PKI     *PKI
	On, Off *Server
}

// Server is a running server.
type Server struct {
	Port int
	name string
	dir  string
	log  string
	cmd  *exec.Cmd
	// exited is closed when the process has exited.
	exited chan struct{}
	// quit is the signal that shuts the server down at once.
	quit syscall.Signal
}

// Addr returns host:port of the server on host (Host or AltHost).
func (s *Server) Addr(host string) string { return net.JoinHostPort(host, strconv.Itoa(s.Port)) }

type kind struct {
	once sync.Once
	s    *Servers
	err  error
}

var (
	mu      sync.Mutex
	started []*Server
	tmpDirs []string
)

// need returns the Servers of k, starting them the first time with start,
// or skips (fails, when databases are required) t when they cannot be.
func (k *kind) need(t testing.TB, what string, start func() (*Servers, error)) *Servers {
	t.Helper()
	k.once.Do(func() { k.s, k.err = start() })
	if k.err != nil {
		var missing *missingError
		if errors.As(k.err, &missing) && !testdb.Required() {
			t.Skipf("testtls: %v: skipping a test that needs private %s servers", k.err, what)
		}
		t.Fatalf("testtls: %s: %v", what, k.err)
	}
	return k.s
}

// missingError says a server program is not installed.
type missingError struct{ prog string }

func (e *missingError) Error() string { return e.prog + " is not installed" }

// Stop stops every server started and removes their directories. Call it
// from TestMain after the tests ran.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	for _, s := range started {
		s.stop()
	}
	for _, d := range tmpDirs {
		_ = os.RemoveAll(d)
	}
	started, tmpDirs = nil, nil
}

// tempDir makes a directory removed by Stop.
func tempDir(pattern string) (string, error) {
	d, err := os.MkdirTemp("", pattern)
	if err != nil {
		return "", err
	}
	mu.Lock()
	tmpDirs = append(tmpDirs, d)
	mu.Unlock()
	return d, nil
}

// start runs cmd as a server whose log is s.log, and waits until ready
// reports nil (or the server exits, or a minute passes).
func (s *Server) start(cmd *exec.Cmd, ready func() error) error {
	logFile, err := os.Create(s.log)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// The server dies with the test binary, whatever ends it.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.name, err)
	}
	s.cmd = cmd
	mu.Lock()
	started = append(started, s)
	mu.Unlock()
	exited := make(chan struct{})
	s.exited = exited
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	deadline := time.Now().Add(time.Minute)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("%s exited while starting: %s", s.name, tail(s.log))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after a minute (%v): %s", s.name, err, tail(s.log))
		}
	}
}

// stop shuts the server down and waits for it.
func (s *Server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(s.quit)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// tail returns the end of a log file, for errors.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// freePort returns a TCP port free on the loopback addresses.
func freePort() (int, error) {
	for range 20 {
		l, err := net.Listen("tcp", Host+":0")
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		// The servers listen on AltHost too.
		if l2, err := net.Listen("tcp", net.JoinHostPort(AltHost, strconv.Itoa(port))); err == nil {
			l2.Close()
			return port, nil
		}
	}
	return 0, errors.New("no free port")
}
