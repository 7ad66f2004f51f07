package datax_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/testtls"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/sink"
)

// sessionTLS reads the session's cipher and TLS version: empty without TLS.
const sessionTLS = "SELECT " +
	"(SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER') AS cipher, " +
	"(SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_VERSION') AS version"

// connectThroughDataX reads sessionTLS through a DataX mysqlreader whose
// jdbcUrl is url, and returns the TLS version the session used ("" for
// none), or the error.
func mysqlThroughDataX(t *testing.T, url string) (string, error) {
	t.Helper()
	c, ok := job.DefaultRegistry.Lookup("mysqlreader")
	require.True(t, ok)
	raw, err := json.Marshal(map[string]any{"username": "root", "password": "not-checked",
		"connection": []any{map[string]any{"jdbcUrl": []string{url}, "querySql": []string{sessionTLS}}}})
	require.NoError(t, err)
	params, err := c.Source.Decode(raw)
	require.NoError(t, err)
	src, err := c.Source.Build(params)
	if closer, ok := src.(io.Closer); ok {
		defer closer.Close()
	}
	if err != nil {
		return "", err
	}
	out := sink.Collect()
	p, err := datasync.NewPipeline(src, out, datasync.WithRetry(0, 0))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := p.Run(ctx); err != nil {
		return "", err
	}
	recs := out.Records()
	require.Len(t, recs, 1)
	cipher, version := recs[0][0].String(), recs[0][1].String()
	if cipher == "" {
		return "", nil
	}
	return version, nil
}

// TestJDBCSSLSettingsAgainstRealServers connects through DataX's
// mysqlreader with every form of TLS setting of MySQL Connector/J,
// MariaDB Connector/J and go-sql-driver/mysql, to a server with TLS (at an
// address its certificate names and at one it does not) and to a server
// without: a setting that asks for TLS never connects in plaintext, one
// that asks for verification never connects to a server it cannot verify.
func TestMySQLJDBCSSLSettingsAgainstRealServers(t *testing.T) {
	s := testtls.MariaDB(t)
	for _, tc := range []struct {
		params string
		// on: the TLS server at an address its certificate names; alt: at
		// one it does not; off: the server without TLS.
		on, alt, off string
	}{
		// Connector/J's default is PREFERRED: TLS when the server has it.
		{"", overTLS, overTLS, plaintext},
		{"useUnicode=true&characterEncoding=utf8", overTLS, overTLS, plaintext},
		{"useSSL=false", plaintext, plaintext, plaintext},
		{"sslMode=DISABLED", plaintext, plaintext, plaintext},
		{"sslMode=PREFERRED", overTLS, overTLS, plaintext},
		{"sslMode=REQUIRED", overTLS, overTLS, refused},
		{"sslmode=required", overTLS, overTLS, refused},
		{"requireSSL=true", overTLS, overTLS, refused},
		// useSSL=true verifies the server's certificate in Connector/J 5.1
		// (DataX's), against the system's CAs, which lack the test CA.
		{"useSSL=true", refused, refused, refused},
		{"useSSL=true&serverSslCert={ca}", overTLS, overTLS, refused},
		{"useSSL=true&verifyServerCertificate=false", overTLS, overTLS, plaintext},
		{"useSSL=true&requireSSL=true&verifyServerCertificate=false", overTLS, overTLS, refused},
		{"verifyServerCertificate=true&serverSslCert={ca}", overTLS, overTLS, refused},
		{"sslMode=VERIFY_CA", refused, refused, refused},
		{"sslMode=VERIFY_CA&serverSslCert={ca}", overTLS, overTLS, refused},
		{"sslMode=VERIFY_CA&serverSslCert={other}", refused, refused, refused},
		{"sslMode=VERIFY_IDENTITY&serverSslCert={ca}", overTLS, refused, refused},
		{"sslMode=VERIFY_IDENTITY", refused, refused, refused},
		// sslMode explicit wins over the legacy settings in Connector/J 8,
		// but not in 5.1, which verifies here: the stricter holds.
		{"sslMode=DISABLED&useSSL=true&serverSslCert={ca}", overTLS, overTLS, refused},
		// go-sql-driver/mysql's own parameter.
		{"tls=true&serverSslCert={ca}", overTLS, refused, refused},
		{"tls=skip-verify", overTLS, overTLS, refused},
		{"tls=preferred", overTLS, overTLS, plaintext},
		// MariaDB Connector/J.
		{"sslMode=trust", overTLS, overTLS, refused},
		{"sslMode=verify-ca&serverSslCert={ca}", overTLS, overTLS, refused},
		{"sslMode=verify-full&serverSslCert=file://{ca}", overTLS, refused, refused},
		{"useSsl=true&serverSslCert={ca}", overTLS, refused, refused},
		{"useSsl=true&trustServerCertificate=true", overTLS, overTLS, refused},
		{"useSsl=true&disableSslHostnameVerification=true&serverSslCert={ca}", overTLS, overTLS, refused},
	} {
		t.Run(tc.params, func(t *testing.T) {
			params := strings.NewReplacer("{ca}", s.PKI.CA, "{other}", s.PKI.OtherCA).Replace(tc.params)
			for _, target := range []struct {
				name, addr, want string
			}{
				{"TLS server", s.On.Addr(testtls.Host), tc.on},
				{"TLS server at an address its certificate does not name", s.On.Addr(testtls.AltHost), tc.alt},
				{"server without TLS", s.Off.Addr(testtls.Host), tc.off},
			} {
				version, err := mysqlThroughDataX(t, fmt.Sprintf("jdbc:mysql://%s/information_schema?%s", target.addr, params))
				assert.Equal(t, target.want, outcome(version, err), "%s (error: %v)", target.name, err)
			}
		})
	}
}

// TestJDBCTLSVersionsAndCiphers checks that limits on protocol versions and
// cipher suites are applied, not dropped.
func TestMySQLJDBCTLSVersionsAndCiphers(t *testing.T) {
	s := testtls.MariaDB(t)
	base := "jdbc:mysql://" + s.On.Addr(testtls.Host) + "/information_schema?sslMode=REQUIRED&"
	for params, want := range map[string]string{
		"enabledTLSProtocols=TLSv1.2":                             "TLSv1.2",
		"tlsVersions=TLSv1.3":                                     "TLSv1.3",
		"enabledSslProtocolSuites=TLSv1.2":                        "TLSv1.2",
		"tlsCiphersuites=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": "TLSv1.2",
	} {
		version, err := mysqlThroughDataX(t, base+params)
		require.NoError(t, err, params)
		assert.Equal(t, want, version, params)
	}
}

// TestJDBCSSLSettingsThatCannotBeHonoured checks that a setting the Go
// driver cannot apply is an error naming it, before anything connects.
func TestMySQLJDBCSSLSettingsThatCannotBeHonoured(t *testing.T) {
	for params, want := range map[string]string{
		"trustCertificateKeyStoreUrl=file:/etc/ssl/truststore.jks&trustCertificateKeyStorePassword=changeit": "trustCertificateKeyStoreUrl",
		"clientCertificateKeyStoreUrl=file:/etc/ssl/client.p12":                                              "clientCertificateKeyStoreUrl",
		"sslMode=VERIFY_CA&fallbackToSystemTrustStore=false":                                                 "fallbackToSystemTrustStore",
		"sslMode=STRICT":                           "sslMode",
		"useSSL=maybe":                             "useSSL",
		"trustStore=/x.jks":                        "trustStore",
		"keyStore=/x.jks":                          "keyStore",
		"serverSslCert=/nonexistent/ca.pem":        "serverSslCert",
		"serverSslCert=classpath:ca.pem":           "serverSslCert",
		"tls=custom":                               "tls",
		"tlsVersions=TLSv1.2,SSLv3":                "tlsVersions",
		"enabledSslCipherSuites=TLS_NO_SUCH_SUITE": "enabledSslCipherSuites",
		"tlsCiphersuites=TLS_AES_128_GCM_SHA256":   "tlsCiphersuites",
		"tlsSocketType=com.example.Plugin":         "tlsSocketType",
	} {
		url := "jdbc:mysql://127.0.0.1:1/db?" + params
		_, err := mysqlThroughDataX(t, url)
		require.Error(t, err, params)
		assert.Contains(t, err.Error(), "connection[0].jdbcUrl[0]: parameter "+want+":", params)
		assert.NotContains(t, err.Error(), "changeit", "key store passwords are not shown")
	}
}
