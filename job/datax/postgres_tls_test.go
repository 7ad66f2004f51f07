package datax_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// connectThroughDataX reads whether the session uses TLS through a DataX
// postgresqlreader whose jdbcUrl is url, logging in as user.
func postgresThroughDataX(t *testing.T, url, user string) (string, error) {
	t.Helper()
	c, ok := job.DefaultRegistry.Lookup("postgresqlreader")
	require.True(t, ok)
	raw, err := json.Marshal(map[string]any{"username": user, "connection": []any{map[string]any{
		"jdbcUrl": []string{url}, "querySql": []string{"SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"}}}})
	require.NoError(t, err)
	params, err := c.Source.Decode(raw)
	require.NoError(t, err)
	src, err := c.Source.Build(params)
	if closer, ok := src.(io.Closer); ok {
		defer closer.Close()
	}
	if err != nil {
		return refused, err
	}
	out := sink.Collect()
	p, err := datasync.NewPipeline(src, out, datasync.WithRetry(0, 0))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := p.Run(ctx); err != nil {
		return refused, err
	}
	recs := out.Records()
	require.Len(t, recs, 1)
	if recs[0][0].String() == "true" {
		return overTLS, nil
	}
	return plaintext, nil
}

// useHome makes dir the home directory, where pgjdbc and pgx look for
// .postgresql/root.crt, so that no file of the machine's takes part.
func useHome(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	return home
}

// TestJDBCSSLSettingsAgainstRealServers connects through DataX's
// postgresqlreader with every form of pgjdbc's TLS settings to a server
// with TLS (at an address its certificate names and at one it does not)
// and to one without: a setting that asks for TLS never connects in
// plaintext, one that asks for verification never connects to a server it
// cannot verify.
func TestPostgresJDBCSSLSettingsAgainstRealServers(t *testing.T) {
	s := testtls.Postgres(t)
	useHome(t)
	for _, tc := range []struct {
		params string
		// on: the TLS server at an address its certificate names; alt: at
		// one it does not; off: the server without TLS.
		on, alt, off string
	}{
		{"", overTLS, overTLS, plaintext}, // pgjdbc's default is prefer
		{"sslmode=disable", plaintext, plaintext, plaintext},
		{"sslmode=allow", plaintext, plaintext, plaintext}, // plaintext first, TLS if refused
		{"sslmode=prefer", overTLS, overTLS, plaintext},
		{"sslmode=require", overTLS, overTLS, refused},
		{"sslmode=REQUIRE", overTLS, overTLS, refused},
		{"sslMode=require", overTLS, overTLS, refused}, // pgjdbc ignores the spelling; the stricter holds
		// ssl=true means verify-full, with ~/.postgresql/root.crt (absent
		// here) unless sslrootcert names another file.
		{"ssl=true", refused, refused, refused},
		{"ssl", refused, refused, refused},
		{"ssl=true&sslrootcert={ca}", overTLS, refused, refused},
		{"ssl=false", overTLS, overTLS, plaintext}, // pgjdbc: anything but true is prefer
		{"sslmode=verify-ca&sslrootcert={ca}", overTLS, overTLS, refused},
		{"sslmode=verify-ca&sslrootcert={other}", refused, refused, refused},
		{"sslmode=verify-full&sslrootcert={ca}", overTLS, refused, refused},
		{"sslmode=verify-full&sslrootcert={other}", refused, refused, refused},
		{"sslmode=require&sslrootcert={other}", refused, refused, refused}, // libpq: require with a root certificate verifies
		// The classic "encrypt, do not verify" of pgjdbc.
		{"ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory", overTLS, overTLS, refused},
		{"sslmode=require&sslfactory=org.postgresql.ssl.LibPQFactory", overTLS, overTLS, refused},
		{"sslmode=require&sslfactory=org.postgresql.ssl.SingleCertValidatingFactory&sslfactoryarg=file:{ca}", overTLS, overTLS, refused},
		{"sslmode=require&sslfactory=org.postgresql.ssl.SingleCertValidatingFactory&sslfactoryarg=file:{other}", refused, refused, refused},
		{"sslmode=require&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory", refused, refused, refused}, // the system's CAs
		// The servers let postgres in without SCRAM, so there is no channel
		// binding: requiring it fails, which shows it is honoured.
		{"sslmode=require&channelBinding=require", refused, refused, refused},
		{"channelBinding=prefer", overTLS, overTLS, plaintext},
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
				got, err := postgresThroughDataX(t, fmt.Sprintf("jdbc:postgresql://%s/postgres?%s", target.addr, params), "postgres")
				assert.Equal(t, target.want, got, "%s (error: %v)", target.name, err)
			}
		})
	}
}

// TestJDBCSSLDefaultRootCertificate checks that ssl=true verifies against
// ~/.postgresql/root.crt, as pgjdbc does.
func TestPostgresJDBCSSLDefaultRootCertificate(t *testing.T) {
	s := testtls.Postgres(t)
	home := useHome(t)
	ca, err := os.ReadFile(s.PKI.CA)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".postgresql"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".postgresql", "root.crt"), ca, 0o600))
	got, err := postgresThroughDataX(t, "jdbc:postgresql://"+s.On.Addr(testtls.Host)+"/postgres?ssl=true", "postgres")
	require.NoError(t, err)
	assert.Equal(t, overTLS, got)
	got, err = postgresThroughDataX(t, "jdbc:postgresql://"+s.On.Addr(testtls.AltHost)+"/postgres?ssl=true", "postgres")
	assert.Equal(t, refused, got, "verify-full checks the host name")
	assert.ErrorContains(t, err, "certificate")
}

// TestJDBCSSLClientCertificate checks that sslcert and sslkey reach the
// server: its user ClientUser logs in with the certificate only.
func TestPostgresJDBCSSLClientCertificate(t *testing.T) {
	s := testtls.Postgres(t)
	useHome(t)
	base := "jdbc:postgresql://" + s.On.Addr(testtls.Host) + "/postgres?sslmode=verify-full&sslrootcert=" + s.PKI.CA
	got, err := postgresThroughDataX(t, base+"&sslcert="+s.PKI.ClientCert+"&sslkey="+s.PKI.ClientKey, testtls.ClientUser)
	require.NoError(t, err)
	assert.Equal(t, overTLS, got)

	got, _ = postgresThroughDataX(t, base, testtls.ClientUser)
	assert.Equal(t, refused, got, "without the certificate the user cannot log in")

	// pgjdbc reads keys in DER (PKCS #8); the Go driver only reads PEM.
	_, err = postgresThroughDataX(t, base+"&sslcert="+s.PKI.ClientCert+"&sslkey="+s.PKI.ClientKeyDER, testtls.ClientUser)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection[0].jdbcUrl[0]: parameter sslkey:")
}

// TestJDBCSSLSettingsThatCannotBeHonoured checks that a setting the Go
// driver cannot apply is an error naming it, before anything connects.
func TestPostgresJDBCSSLSettingsThatCannotBeHonoured(t *testing.T) {
	useHome(t)
	for params, want := range map[string]string{
		"sslfactory=com.example.MyFactory": "sslfactory",
		"sslmode=require&sslfactory=org.postgresql.ssl.SingleCertValidatingFactory&sslfactoryarg=classpath:ca.pem": "sslfactoryarg",
		"sslhostnameverifier=com.example.Verifier":        "sslhostnameverifier",
		"sslpasswordcallback=com.example.Callback":        "sslpasswordcallback",
		"sslkey=/etc/ssl/client.p12&sslpassword=s3cr3tpw": "sslkey",
		"sslmode=strict":           "sslmode",
		"gssEncMode=require":       "gssEncMode",
		"channelBinding=always":    "channelBinding",
		"sslNegotiation=sometimes": "sslNegotiation",
	} {
		_, err := postgresThroughDataX(t, "jdbc:postgresql://127.0.0.1:1/db?"+params, "postgres")
		require.Error(t, err, params)
		assert.Contains(t, err.Error(), "connection[0].jdbcUrl[0]: parameter "+want+":", params)
		assert.NotContains(t, err.Error(), "s3cr3tpw", "the key's password is not shown")
	}
}
