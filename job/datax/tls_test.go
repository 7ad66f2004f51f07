package datax_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/job/datax"
)

// describeTLS says what a go-sql-driver/mysql DSN and TLS configuration do:
// "false", "preferred", "skip-verify" (encrypt, no verification),
// "verify-ca" (the chain, not the name) or "verify-full" (both).
func describeTLS(t *testing.T, dsn string, c *tls.Config) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err, dsn)
	if c == nil {
		return map[string]string{"false": "false", "preferred": "preferred", "skip-verify": "skip-verify", "true": "verify-full"}[cfg.TLSConfig]
	}
	switch {
	case cfg.TLSConfig == "preferred":
		require.True(t, c.InsecureSkipVerify)
		return "preferred"
	case c.InsecureSkipVerify && c.VerifyPeerCertificate != nil:
		return "verify-ca"
	case c.InsecureSkipVerify:
		return "skip-verify"
	}
	return "verify-full"
}

// TestMySQLTLSReadings checks how the TLS settings of Connector/J 5.1 and
// 8, MariaDB Connector/J and go-sql-driver/mysql combine: the strictest
// reading wins.
func TestMySQLTLSReadings(t *testing.T) {
	for params, want := range map[string]string{
		"":                              "preferred", // Connector/J 8's default, and 5.1's with a 5.7+ server
		"useSSL=false":                  "false",
		"useSSL=no&requireSSL=true":     "false", // useSSL=false wins in both
		"sslMode=DISABLED":              "false",
		"sslMode=disabled&useSSL=false": "false",
		"sslMode=PREFERRED":             "preferred",
		"sslMode=REQUIRED":              "skip-verify",
		"SSLMODE=required":              "skip-verify", // Connector/J 8 ignores case
		"sslMode=VERIFY_CA":             "verify-ca",
		"sslMode=VERIFY_IDENTITY":       "verify-full",
		"requireSSL=true":               "skip-verify",
		"useSSL=true":                   "verify-ca", // 5.1: verifyServerCertificate defaults to true
		"useSSL":                        "verify-ca", // given without a value: true
		"useSSL=true&requireSSL=true":   "verify-ca",
		"useSSL=true&verifyServerCertificate=false":                  "preferred",
		"useSSL=true&verifyServerCertificate=false&requireSSL=true":  "skip-verify",
		"verifyServerCertificate=true":                               "verify-ca", // Connector/J 8
		"sslMode=REQUIRED&useSSL=true":                               "verify-ca", // 5.1 ignores sslMode and verifies
		"sslMode=DISABLED&useSSL=true&verifyServerCertificate=false": "preferred",
		"sslMode=trust":                                   "skip-verify",
		"sslMode=verify-ca":                               "verify-ca",
		"sslMode=verify-full":                             "verify-full",
		"useSsl=true":                                     "verify-full", // MariaDB's legacy useSsl
		"useSsl=true&trustServerCertificate=true":         "skip-verify",
		"useSsl=true&disableSslHostnameVerification=true": "verify-ca",
		"sslMode=DISABLED&useSsl=true":                    "verify-full", // MariaDB's useSsl overrides sslMode
		"tls=true":                                        "verify-full",
		"tls=skip-verify":                                 "skip-verify",
		"tls=preferred":                                   "preferred",
		"tls=false":                                       "preferred", // Connector/J's default still holds
		"useSSL=false&tls=true":                           "verify-full",
		"sslMode=REQUIRED&tlsVersions=TLSv1.2,TLSv1.3":    "skip-verify",
		"sslMode=PREFERRED&enabledTLSProtocols=TLSv1.3":   "preferred",
		"fallbackToSystemKeyStore=false&sslMode=REQUIRED": "skip-verify",
	} {
		u, err := datax.ParseJDBC("jdbc:mysql://db.example.com/shop?"+params, "mysql")
		require.NoError(t, err, params)
		dsn, c := u.MySQLDSN("app", "pw")
		assert.Equal(t, want, describeTLS(t, dsn, c), params)
	}
}

func TestMySQLTLSRestrictions(t *testing.T) {
	parse := func(params string) *tls.Config {
		u, err := datax.ParseJDBC("jdbc:mysql://db.example.com/shop?sslMode=VERIFY_IDENTITY&"+params, "mysql")
		require.NoError(t, err, params)
		_, c := u.MySQLDSN("", "")
		require.NotNil(t, c, params)
		assert.Equal(t, "db.example.com", c.ServerName, "the host name is verified")
		return c
	}
	c := parse("tlsVersions=TLSv1.2")
	assert.Equal(t, []uint16{tls.VersionTLS12, tls.VersionTLS12}, []uint16{c.MinVersion, c.MaxVersion})
	c = parse("enabledTLSProtocols=TLSv1.1,TLSv1.2&tlsVersions=TLSv1.2,TLSv1.3")
	assert.Equal(t, []uint16{tls.VersionTLS12, tls.VersionTLS12}, []uint16{c.MinVersion, c.MaxVersion}, "both apply")
	c = parse("enabledSSLCipherSuites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
	assert.Equal(t, []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, c.CipherSuites)
	assert.Equal(t, uint16(tls.VersionTLS12), c.MaxVersion, "no TLS 1.3 suite named: no TLS 1.3, as in Java")
	c = parse("tlsCiphersuites=TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256")
	assert.Equal(t, uint16(tls.VersionTLS13), c.MinVersion, "only TLS 1.3 suites: only TLS 1.3")

	testCA := newTestCA(t)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(ca, []byte(testCA), 0o600))
	for _, v := range []string{ca, "file:" + ca, "file://" + ca, testCA} {
		c = parse("serverSslCert=" + url.QueryEscape(v))
		require.NotNil(t, c.RootCAs, v)
		assert.False(t, c.RootCAs.Equal(nil))
	}
}

func TestMySQLTLSSettingsThatCannotBeHonoured(t *testing.T) {
	for params, want := range map[string]string{
		"trustCertificateKeyStoreUrl=file:/ts.jks":                     "parameter trustCertificateKeyStoreUrl: names a Java key store",
		"clientCertificateKeyStoreUrl=file:/ks.p12":                    "parameter clientCertificateKeyStoreUrl: names a Java key store",
		"sslContextProvider=BC":                                        "parameter sslContextProvider: names a Java security provider",
		"sslMode=VERIFY_CA&fallbackToSystemTrustStore=false":           "parameter fallbackToSystemTrustStore: false leaves no CA",
		"sslMode=SOMETIMES":                                            `parameter sslMode: "SOMETIMES" is not DISABLED`,
		"useSSL=perhaps":                                               `parameter useSSL: "perhaps" is not true or false`,
		"useSSL=true&useSSL=false":                                     "parameter useSSL: given more than once, with different values",
		"useSSL=true&usessl=false":                                     "parameter useSSL: given more than once, with different values",
		"tls=custom":                                                   `parameter tls: "custom" is not true, false, skip-verify or preferred`,
		"serverSslCert=http://example.com/ca.pem":                      "parameter serverSslCert: only files can be read, not http: URLs",
		"serverSslCert=-----BEGIN CERTIFICATE-----xx":                  "parameter serverSslCert: holds no PEM certificate",
		"tlsVersions=TLSv1.1,TLSv1.3":                                  `parameter tlsVersions: "TLSv1.1,TLSv1.3" leaves a gap`,
		"tlsVersions=SSLv3":                                            `parameter tlsVersions: "SSLv3" is not a TLS version`,
		"tlsCiphersuites=TLS_AES_128_GCM_SHA256":                       "parameter tlsCiphersuites: names some TLS 1.3 cipher suites but not all",
		"tlsVersions=TLSv1.3&tlsCiphersuites=TLS_RSA_WITH_RC4_128_SHA": "leave no protocol version",
	} {
		_, err := datax.ParseJDBC("jdbc:mysql://h/db?"+params, "mysql")
		require.Error(t, err, params)
		assert.Contains(t, err.Error(), want, params)
	}
	_, err := datax.ParseJDBC("jdbc:mysql://h/db?trustCertificateKeyStoreUrl=file:/ts.jks&trustCertificateKeyStorePassword=Sekr1t", "mysql")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "Sekr1t")
}

// TestPostgresSSLReadings checks the pgx settings made of pgjdbc's.
func TestPostgresSSLReadings(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	root := filepath.Join(home, ".postgresql", "root.crt")
	for params, want := range map[string]string{
		"":                                    "sslmode=prefer",
		"sslmode=disable":                     "sslmode=disable",
		"sslmode=Allow":                       "sslmode=allow",
		"sslmode=require":                     "sslmode=require",
		"sslmode=verify-ca":                   "sslmode=verify-ca&sslrootcert=" + url.QueryEscape(root),
		"ssl=true":                            "sslmode=verify-full&sslrootcert=" + url.QueryEscape(root),
		"ssl":                                 "sslmode=verify-full&sslrootcert=" + url.QueryEscape(root),
		"ssl=false":                           "sslmode=prefer",
		"ssl=true&sslmode=require":            "sslmode=require", // sslmode wins
		"ssl=true&sslrootcert=/ca.pem":        "sslmode=verify-full&sslrootcert=%2Fca.pem",
		"sslmode=require&sslrootcert=/ca.pem": "sslmode=require&sslrootcert=%2Fca.pem",
		"ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory":                                          "sslmode=require",
		"sslmode=prefer&sslfactory=org.postgresql.ssl.NonValidatingFactory":                                    "sslmode=prefer",
		"sslmode=require&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory":                                  "sslmode=verify-ca",
		"sslmode=require&sslfactory=org.postgresql.ssl.SingleCertValidatingFactory&sslfactoryarg=file:/ca.pem": "sslmode=verify-ca&sslrootcert=%2Fca.pem",
		"sslmode=require&sslpassword=pw&sslResponseTimeout=100":                                                "sslmode=require&sslpassword=pw",
		"channelBinding=require&sslNegotiation=direct":                                                         "channel_binding=require&sslmode=require&sslnegotiation=direct",
		"gssEncMode=disable": "sslmode=prefer",
		"sslhostnameverifier=org.postgresql.ssl.PGjdbcHostnameVerifier&sslmode=verify-full": "sslmode=verify-full&sslrootcert=" + url.QueryEscape(root),
	} {
		u, err := datax.ParseJDBC("jdbc:postgresql://h/db?"+params, "postgresql")
		require.NoError(t, err, params)
		got, err := url.Parse(u.PostgresURL("", ""))
		require.NoError(t, err)
		assert.Equal(t, want, got.RawQuery, params)
	}
}

func TestPostgresSSLSettingsThatCannotBeHonoured(t *testing.T) {
	dir := t.TempDir()
	der := filepath.Join(dir, "client.pk8")
	require.NoError(t, os.WriteFile(der, []byte{0x30, 0x82, 0x01}, 0o600))
	pemCert := filepath.Join(dir, "client.pem")
	require.NoError(t, os.WriteFile(pemCert, []byte(newTestCA(t)), 0o600))
	for params, want := range map[string]string{
		"sslmode=sometimes":                     `parameter sslmode: "sometimes" is not one of disable, allow, prefer, require, verify-ca, verify-full`,
		"sslfactory=com.example.Factory":        `parameter sslfactory: "com.example.Factory" is a Java class`,
		"sslhostnameverifier=com.example.V":     `parameter sslhostnameverifier: "com.example.V" is a Java class`,
		"sslpasswordcallback=com.example.C":     "parameter sslpasswordcallback: names a Java class",
		"sslcert=" + pemCert:                    "parameter sslcert: give sslkey too",
		"sslkey=" + der:                         "parameter sslkey: give sslcert too",
		"sslcert=" + pemCert + "&sslkey=" + der: "parameter sslkey: " + der + " is not PEM",
		"sslcert=" + pemCert + "&sslkey=/k.p12": "parameter sslkey: /k.p12 is a PKCS #12 file",
		"sslcert=" + der + "&sslkey=" + der:     "parameter sslcert: " + der + " is not PEM",
		"gssEncMode=prefer":                     "parameter gssEncMode:",
		"sslcompression=1":                      "parameter sslcompression: is not a pgjdbc TLS setting",
		"sslmode=require&sslMode=disable":       "parameter sslmode: given more than once",
		"sslfactory=org.postgresql.ssl.SingleCertValidatingFactory&sslfactoryarg=env:CA": "parameter sslfactoryarg:",
	} {
		_, err := datax.ParseJDBC("jdbc:postgresql://h/db?"+params, "postgresql")
		require.Error(t, err, params)
		assert.Contains(t, err.Error(), want, params)
	}
}

func TestURLPasswordsAreNotShown(t *testing.T) {
	_, err := datax.ParseJDBC("jdbc:mysql://h/db?password=Pw1secret&trustCertificateKeyStorePassword=Pw2secret&trustCertificateKeyStoreUrl=x", "mysql")
	require.Error(t, err)
	_, err = datax.ParseJDBC("jdbc:mysql://h/db?password=Pw1secret&sslpassword=Pw2secret", "postgresql")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "Pw1secret")
	assert.NotContains(t, err.Error(), "Pw2secret")
}

// newTestCA returns a self-signed CA certificate in PEM.
func newTestCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
