package testtls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

var mariaDB kind

// MariaDB returns the private MariaDB servers, starting them the first
// time. Their root user has no password and every privilege: the servers
// run without grant tables (which saves the seconds mariadb-install-db
// takes), since TLS is negotiated before authentication and so does not
// depend on them.
func MariaDB(t testing.TB) *Servers { return mariaDB.need(t, "MariaDB", startMariaDB) }

// MySQLDSN returns a go-sql-driver/mysql DSN for s as root on host, with
// TLS off: for the test's own statements on a server without TLS.
func (s *Server) MySQLDSN(host string) string {
	cfg := mysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr = "root", "tcp", s.Addr(host)
	cfg.Timeout = 5 * time.Second
	return cfg.FormatDSN()
}

func startMariaDB() (*Servers, error) {
	prog, err := findProgram([]string{"mariadbd", "mysqld"}, "/usr/sbin/mariadbd", "/usr/sbin/mysqld")
	if err != nil {
		return nil, err
	}
	dir, err := tempDir("datasync-testtls-mariadb-")
	if err != nil {
		return nil, err
	}
	pki, err := NewPKI(dir)
	if err != nil {
		return nil, err
	}
	type result struct {
		s   *Server
		err error
	}
	on, off := make(chan result, 1), make(chan result, 1)
	go func() { s, err := startMariaDBServer(prog, filepath.Join(dir, "on"), pki); on <- result{s, err} }()
	go func() { s, err := startMariaDBServer(prog, filepath.Join(dir, "off"), nil); off <- result{s, err} }()
	rOn, rOff := <-on, <-off
	if err := errors.Join(rOn.err, rOff.err); err != nil {
		return nil, err
	}
	return &Servers{PKI: pki, On: rOn.s, Off: rOff.s}, nil
}

// startMariaDBServer starts a server in dir, with TLS when pki is not nil.
func startMariaDBServer(prog, dir string, pki *PKI) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, err
	}
	args := []string{
		"--no-defaults", "--datadir=" + data, "--socket=" + filepath.Join(dir, "sock"),
		"--pid-file=" + filepath.Join(dir, "pid"), "--port=" + strconv.Itoa(port),
		"--bind-address=" + Host + "," + AltHost, "--skip-grant-tables", "--skip-name-resolve",
		"--innodb-buffer-pool-size=16M", "--innodb-log-file-size=4M", "--max-connections=50",
	}
	if pki != nil {
		args = append(args, "--ssl-ca="+pki.CA, "--ssl-cert="+pki.ServerCert, "--ssl-key="+pki.ServerKey)
	}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	name := "MariaDB (TLS off)"
	if pki != nil {
		name = "MariaDB (TLS on)"
	}
	s := &Server{Port: port, name: name, dir: dir, log: filepath.Join(dir, "log"), quit: syscall.SIGTERM}
	return s, s.start(exec.Command(prog, args...), func() error {
		db, err := sql.Open("mysql", s.MySQLDSN(Host))
		if err != nil {
			return err
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var have string
		if err := db.QueryRowContext(ctx, "SELECT @@have_ssl").Scan(&have); err != nil {
			return err
		}
		if want := map[bool]string{true: "YES", false: "DISABLED"}[pki != nil]; have != want {
			return fmt.Errorf("have_ssl is %s, not %s", have, want)
		}
		return nil
	})
}

// findProgram returns the first of names found in PATH, or of paths that
// exists.
func findProgram(names []string, paths ...string) (string, error) {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", &missingError{prog: names[0]}
}
