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
