package testtls

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var postgres kind

// Postgres returns the private PostgreSQL servers, starting them the first
// time. The user postgres logs in without a password over TLS or not; on
// the TLS-on server the user ClientUser logs in with the client
// certificate only (pg_hba "cert"), over TLS.
func Postgres(t testing.TB) *Servers { return postgres.need(t, "PostgreSQL", startPostgres) }

// PostgresURL returns a URL for s as user postgres on host, with sslmode
// disable: for the test's own statements.
func (s *Server) PostgresURL(host string) string {
	return fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable&connect_timeout=5", s.Addr(host))
}

// pgHBA lets ClientUser in with its certificate only, and everyone else in
// without a password, with or without TLS.
const pgHBA = "hostssl all " + ClientUser + " all cert\n" +
	"host all " + ClientUser + " all reject\n" +
	"host all all all trust\n" +
	"local all all trust\n"

func startPostgres() (*Servers, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	dir, err := tempDir("datasync-testtls-postgres-")
	if err != nil {
		return nil, err
	}
	// PostgreSQL refuses to run as root: run it as the user postgres, who
	// must own its directory and its key file.
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	pki, err := NewPKI(dir)
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(pki.ServerKey, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	on := filepath.Join(dir, "on")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", on, "-A", "trust", "-U", "postgres",
		"--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	if err := os.WriteFile(filepath.Join(on, "pg_hba.conf"), []byte(pgHBA), 0o600); err != nil {
		return nil, err
	}
	// The TLS-off server is a copy: cheaper than a second initdb.
	off := filepath.Join(dir, "off")
	cp := exec.Command("cp", "-a", on, off)
	if out, err := cp.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("copy the data directory: %v: %s", err, out)
	}
	type result struct {
		s   *Server
		err error
	}
	onc, offc := make(chan result, 1), make(chan result, 1)
	go func() { s, err := startPostgresServer(bin, on, cred, pki); onc <- result{s, err} }()
	go func() { s, err := startPostgresServer(bin, off, cred, nil); offc <- result{s, err} }()
	rOn, rOff := <-onc, <-offc
	if err := errors.Join(rOn.err, rOff.err); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, rOn.s.PostgresURL(Host))
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE ROLE "+ClientUser+" LOGIN"); err != nil {
		return nil, err
	}
	return &Servers{PKI: pki, On: rOn.s, Off: rOff.s}, nil
}

// startPostgresServer starts the server of data directory data, with TLS
// when pki is not nil.
func startPostgresServer(bin, data string, cred *syscall.Credential, pki *PKI) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"-D", data, "-p", strconv.Itoa(port), "-k", data,
		"-c", "listen_addresses=" + Host + "," + AltHost, "-c", "fsync=off", "-c", "max_connections=40",
		"-c", "shared_buffers=16MB", "-c", "logging_collector=off"}
	name := "PostgreSQL (TLS off)"
	if pki != nil {
		name = "PostgreSQL (TLS on)"
		args = append(args, "-c", "ssl=on", "-c", "ssl_cert_file="+pki.ServerCert,
			"-c", "ssl_key_file="+pki.ServerKey, "-c", "ssl_ca_file="+pki.CA)
	} else {
		args = append(args, "-c", "ssl=off")
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = data
	// SIGINT is PostgreSQL's fast shutdown: it does not wait for clients.
	s := &Server{Port: port, name: name, dir: data, log: filepath.Join(filepath.Dir(data), filepath.Base(data)+".log"), quit: syscall.SIGINT}
	return s, s.start(cmd, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, s.PostgresURL(Host))
		if err != nil {
			return err
		}
		return conn.Close(ctx)
	})
}

// postgresBin returns the directory of initdb and postgres: the newest
// under /usr/lib/postgresql (Debian's layout), or the one in PATH.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", &missingError{prog: "PostgreSQL's initdb"}
}

// serverUser returns the user to run PostgreSQL as when the tests run as
// root (the user postgres), nil otherwise.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs the user postgres: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
