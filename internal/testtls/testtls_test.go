package testtls_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"os"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/testtls"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testtls.Stop()
	os.Exit(code)
}

func rootsOf(t *testing.T, file string) *x509.CertPool {
	pem, err := os.ReadFile(file)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem))
	return pool
}

func TestMariaDBServers(t *testing.T) {
	s := testtls.MariaDB(t)
	cfg, err := mysql.ParseDSN(s.On.MySQLDSN(testtls.Host))
	require.NoError(t, err)
	cfg.TLS = &tls.Config{RootCAs: rootsOf(t, s.PKI.CA), ServerName: testtls.Host}
	conn, err := mysql.NewConnector(cfg)
	require.NoError(t, err)
	db := sql.OpenDB(conn)
	defer db.Close()
	var name, cipher string
	require.NoError(t, db.QueryRow("SHOW SESSION STATUS LIKE 'Ssl_cipher'").Scan(&name, &cipher))
	assert.NotEmpty(t, cipher, "a verified TLS connection")

	off, err := sql.Open("mysql", s.Off.MySQLDSN(testtls.AltHost)+"&tls=skip-verify")
	require.NoError(t, err)
	defer off.Close()
	assert.ErrorContains(t, off.Ping(), "TLS", "the other server has no TLS")
}

func TestPostgresServers(t *testing.T) {
	s := testtls.Postgres(t)
	ctx := context.Background()
	url := "postgres://" + testtls.ClientUser + "@" + s.On.Addr(testtls.Host) + "/postgres?sslmode=verify-full&sslrootcert=" +
		s.PKI.CA + "&sslcert=" + s.PKI.ClientCert + "&sslkey=" + s.PKI.ClientKey
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	var ssl bool
	require.NoError(t, conn.QueryRow(ctx, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&ssl))
	assert.True(t, ssl)
	require.NoError(t, conn.Close(ctx))

	_, err = pgx.Connect(ctx, "postgres://postgres@"+s.Off.Addr(testtls.Host)+"/postgres?sslmode=require")
	assert.ErrorContains(t, err, "refused TLS")
}
