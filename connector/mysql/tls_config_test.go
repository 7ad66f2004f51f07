package mysql_test

import (
	"crypto/tls"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/mysql"
)

// TestTLSConfigGoesWithADSNThatWantsTLS checks the TLS setting's
// validation: it applies to connections made from DSN only.
func TestTLSConfigGoesWithADSNThatWantsTLS(t *testing.T) {
	db, err := sql.Open("mysql", "root@tcp(127.0.0.1:1)/x")
	require.NoError(t, err)
	defer db.Close()
	_, err = mysql.NewSource(mysql.SourceConfig{DB: db, TLS: &tls.Config{}, Table: "t"})
	assert.ErrorContains(t, err, "TLS applies to connections made from dsn")
	_, err = mysql.NewSink(mysql.SinkConfig{DSN: "root@tcp(127.0.0.1:1)/x?tls=false", TLS: &tls.Config{}, Table: "t"})
	assert.ErrorContains(t, err, "asks for no TLS")
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: "root@tcp(127.0.0.1:1)/x?tls=skip-verify", TLS: &tls.Config{}, Table: "t"})
	require.NoError(t, err)
	require.NoError(t, src.Close())
}
