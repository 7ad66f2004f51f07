package job_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/job"
)

// TestKeyPasswordsInURLsAreRedacted checks that the passwords of TLS keys
// and key stores given in connection strings are blotted out like the
// login's.
func TestKeyPasswordsInURLsAreRedacted(t *testing.T) {
	j, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 1}},
		"writer": {"name": "secretive", "parameter": {
			"dsn": "jdbc:mysql://db/x?sslMode=VERIFY_CA&trustCertificateKeyStorePassword=Tru5tPass&sslpassword=K3yPass"}}
	}]}}`), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	got := j.Redact("connecting with Tru5tPass and K3yPass")
	assert.Equal(t, "connecting with ****** and ******", got)
}

// TestMySQLDSNPasswordsWithAnAtAreRedacted checks a go-sql-driver DSN whose
// password holds "@": the driver splits at the last "@" before the
// protocol, and the whole password must be blotted out, not a part of it.
func TestMySQLDSNPasswordsWithAnAtAreRedacted(t *testing.T) {
	j, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "streamreader", "parameter": {"column": [{"type": "long", "value": 1}], "sliceRecordCount": 1}},
		"writer": {"name": "secretive", "parameter": {"dsn": "app:p@ss@w0rd@tcp(db:3306)/shop"}}
	}]}}`), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	assert.Equal(t, "login app:******@tcp(db:3306)/shop failed", j.Redact("login app:p@ss@w0rd@tcp(db:3306)/shop failed"))
}
