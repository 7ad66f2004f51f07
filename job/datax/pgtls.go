package datax

import (
	"encoding/pem"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// pgjdbc's SSL socket factories (SocketFactoryFactory.getSslSocketFactory).
const (
	factoryLibPQ          = "org.postgresql.ssl.LibPQFactory" // the default
	factoryLibPQOld       = "org.postgresql.ssl.jdbc4.LibPQFactory"
	factoryNonValidating  = "org.postgresql.ssl.NonValidatingFactory"
	factoryDefaultJava    = "org.postgresql.ssl.DefaultJavaSSLFactory"
	factorySingleCert     = "org.postgresql.ssl.SingleCertValidatingFactory"
	defaultHostnameVerify = "org.postgresql.ssl.PGjdbcHostnameVerifier"
)

// pgSSLModes are libpq's and pgjdbc's sslmode values, weakest first.
var pgSSLModes = []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}

func pgModeRank(m string) int {
	for i, s := range pgSSLModes {
		if s == m {
			return i
		}
	}
	return -1
}

// parsePostgresSSL reads the TLS settings of a jdbc:postgresql URL as
// pgjdbc 42 (DataX ships 42.3.3) reads them, and returns the pgx
// connection settings that apply them, never more weakly.
//
// sslmode is disable, allow, prefer (the default), require, verify-ca or
// verify-full, in any case. Without it, ssl=true, or ssl given with no
// value, means verify-full; any other value of ssl means prefer
// (SslMode.of). The default factory (LibPQFactory) verifies, in the verify
// modes, against sslrootcert, by default ~/.postgresql/root.crt (on Windows
// %APPDATA%\postgresql\root.crt), failing when it cannot be read; that
// default is passed to pgx explicitly, since pgx would fall back to the
// system's CAs. With sslrootcert, require verifies the chain in pgx (as in
// libpq), which pgjdbc 42.3 does not: stronger, never weaker.
//
// sslfactory: NonValidatingFactory verifies nothing (pgjdbc still checks
// the host name in verify-full, which without a verified chain protects
// nothing), so it maps to at most require; DefaultJavaSSLFactory verifies
// against the system's CAs (Java's default trust store), so require becomes
// verify-ca; SingleCertValidatingFactory with sslfactoryarg=file:PATH
// verifies against that certificate, so it becomes sslrootcert=PATH and
// require becomes verify-ca. Other factories, host name verifiers and
// password callbacks are Java classes: refused.
//
// sslcert and sslkey are passed on when they are PEM files; pgjdbc also
// reads DER (its default key is PKCS #8 DER) and PKCS #12, which pgx does
// not: refused, naming the file. sslpassword, sslNegotiation and
// channelBinding have pgx counterparts; gssEncMode can only be disable or
// allow (pgx has no GSSAPI encryption). Names match in any case: a setting
// pgjdbc would ignore for its spelling is honoured rather than dropped.
func parsePostgresSSL(v url.Values) (url.Values, error) {
	p := newJDBCParams(v)
	var errs []error
	get := func(name string) (string, string, bool) {
		val, as, ok, err := p.get(name)
		if err != nil {
			errs = append(errs, err)
		}
		return val, as, ok
	}
	out := url.Values{}

	mode := "prefer"
	if val, as, ok := get("sslmode"); ok {
		mode = strings.ToLower(val)
		if pgModeRank(mode) < 0 {
			errs = append(errs, paramError(as, "%q is not one of %s", val, strings.Join(pgSSLModes, ", ")))
			mode = "verify-full"
		}
	} else if val, _, ok := get("ssl"); ok && (val == "" || strings.EqualFold(val, "true")) {
		mode = "verify-full"
	}
	atLeast := func(m string) {
		if pgModeRank(mode) < pgModeRank(m) {
			mode = m
		}
	}

	rootCert, _, haveRootCert := get("sslrootcert")
	factory, factoryAs, _ := get("sslfactory")
	switch factory {
	case "", factoryLibPQ, factoryLibPQOld:
		if !haveRootCert && pgModeRank(mode) >= pgModeRank("verify-ca") {
			rootCert, haveRootCert = defaultRootCert(), true
		}
	case factoryNonValidating:
		if pgModeRank(mode) > pgModeRank("require") {
			mode = "require"
		}
	case factoryDefaultJava:
		if mode == "require" {
			mode = "verify-ca"
		}
	case factorySingleCert:
		arg, argAs, _ := get("sslfactoryarg")
		path, ok := strings.CutPrefix(arg, "file:")
		switch {
		case !ok || path == "":
			errs = append(errs, paramError(orName(argAs, "sslfactoryarg"),
				"SingleCertValidatingFactory's certificate must be given as file:PATH for the Go driver"))
		case haveRootCert && rootCert != path:
			errs = append(errs, paramError("sslrootcert", "differs from the certificate of SingleCertValidatingFactory"))
		default:
			rootCert, haveRootCert = path, true
		}
		if mode == "require" {
			mode = "verify-ca"
		}
	default:
		errs = append(errs, paramError(factoryAs, "%q is a Java class the Go driver cannot use", factory))
	}
	if haveRootCert {
		out.Set("sslrootcert", rootCert)
	}

	if val, as, ok := get("sslhostnameverifier"); ok && val != defaultHostnameVerify {
		errs = append(errs, paramError(as, "%q is a Java class the Go driver cannot use", val))
	}
	if _, as, ok := get("sslpasswordcallback"); ok {
		errs = append(errs, paramError(as, "names a Java class the Go driver cannot use; give sslpassword"))
	}

	cert, certAs, haveCert := get("sslcert")
	key, keyAs, haveKey := get("sslkey")
	switch {
	case haveCert && !haveKey:
		errs = append(errs, paramError(certAs, "give sslkey too (pgjdbc's default key file is DER, which the Go driver cannot read)"))
	case haveKey && !haveCert:
		errs = append(errs, paramError(keyAs, "give sslcert too"))
	case haveCert:
		if err := checkPEMFile(certAs, cert, "certificate"); err != nil {
			errs = append(errs, err)
		}
		if err := checkPEMFile(keyAs, key, "key"); err != nil {
			errs = append(errs, err)
		}
		out.Set("sslcert", cert)
		out.Set("sslkey", key)
	}
	if val, _, ok := get("sslpassword"); ok {
		out.Set("sslpassword", val)
	}

	if val, as, ok := get("sslNegotiation"); ok {
		switch n := strings.ToLower(val); n {
		case "postgres", "direct":
			out.Set("sslnegotiation", n)
			if n == "direct" {
				atLeast("require") // a direct TLS connection has no plaintext fallback
			}
		default:
			errs = append(errs, paramError(as, "%q is not postgres or direct", val))
		}
	}
	if val, as, ok := get("channelBinding"); ok {
		switch b := strings.ToLower(val); b {
		case "disable", "prefer", "require":
			out.Set("channel_binding", b)
		default:
			errs = append(errs, paramError(as, "%q is not disable, prefer or require", val))
		}
	}
	if val, as, ok := get("gssEncMode"); ok {
		switch strings.ToLower(val) {
		case "disable", "allow":
		default:
			errs = append(errs, paramError(as, "%q asks for GSSAPI encryption, which the Go driver does not have", val))
		}
	}
	// sslResponseTimeout bounds the wait for the server's answer to the TLS
	// request: no bearing on what is verified.
	get("sslResponseTimeout")

	known := map[string]bool{"ssl": true, "sslmode": true, "sslrootcert": true, "sslfactory": true, "sslfactoryarg": true,
		"sslhostnameverifier": true, "sslpasswordcallback": true, "sslcert": true, "sslkey": true, "sslpassword": true,
		"sslnegotiation": true, "sslresponsetimeout": true}
	for _, name := range p.names() {
		if strings.HasPrefix(name, "ssl") && !known[name] {
			errs = append(errs, paramError(p.folded[name][0], "is not a pgjdbc TLS setting the Go driver knows"))
		}
	}
	out.Set("sslmode", mode)
	return out, errors.Join(errs...)
}

func orName(as, name string) string {
	if as == "" {
		return name
	}
	return as
}

// defaultRootCert is pgjdbc's default sslrootcert (LibPQFactory).
func defaultRootCert() string {
	if runtime.GOOS == "windows" {
		return filepath.Join(os.Getenv("APPDATA"), "postgresql", "root.crt")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "~" // pgx then reports the file as unreadable
	}
	return filepath.Join(home, ".postgresql", "root.crt")
}

// checkPEMFile refuses a client certificate or key file that pgx cannot
// read: PKCS #12 or DER, which pgjdbc reads. A file that cannot be read at
// all is left for pgx to report.
func checkPEMFile(name, path, what string) error {
	lower := strings.ToLower(path)
	if strings.HasSuffix(lower, ".p12") || strings.HasSuffix(lower, ".pfx") {
		return paramError(name, "%s is a PKCS #12 file, which the Go driver cannot read: convert it to PEM (openssl pkcs12 -nodes)", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	block, _ := pem.Decode(b)
	switch {
	case block == nil && what == "key":
		return paramError(name, "%s is not PEM (pgjdbc's DER PKCS #8 keys are not read by the Go driver): "+
			"convert it with openssl pkcs8 -inform DER -in KEY -out KEY.pem", path)
	case block == nil:
		return paramError(name, "%s is not PEM: convert it with openssl x509 -inform DER -in CERT -out CERT.pem", path)
	case block.Type == "ENCRYPTED PRIVATE KEY":
		return paramError(name, "%s is an encrypted PKCS #8 key, which the Go driver cannot decrypt: "+
			"decrypt it, or encrypt it in the traditional PEM form", path)
	}
	return nil
}
