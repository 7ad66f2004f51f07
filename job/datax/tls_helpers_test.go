package datax_test

import (
	"os"
	"testing"

	"github.com/datasync-go/datasync/internal/testtls"
)

// TestMain stops the private TLS servers the TLS tests start.
func TestMain(m *testing.M) {
	code := m.Run()
	testtls.Stop()
	os.Exit(code)
}

// The outcomes of a connection.
const (
	overTLS   = "TLS"
	plaintext = "plaintext"
	refused   = "fails"
)

func outcome(version string, err error) string {
	switch {
	case err != nil:
		return refused
	case version == "":
		return plaintext
	}
	return overTLS
}
