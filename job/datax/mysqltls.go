package datax

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// mysqlSSLMode is how much TLS a MySQL connection asks for, weakest first:
// Connector/J 8's sslMode values, which the other drivers' settings map to.
type mysqlSSLMode int

const (
	sslDisabled       mysqlSSLMode = iota // plaintext
	sslPreferred                          // TLS when the server offers it, unverified; else plaintext
	sslRequired                           // TLS, unverified
	sslVerifyCA                           // TLS, the certificate chain verified
	sslVerifyIdentity                     // TLS, the chain and the host name verified
)

var mysqlSSLModeNames = [...]string{"DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"}

func (m mysqlSSLMode) String() string { return mysqlSSLModeNames[m] }

// parseSSLModeValue reads an sslMode value of Connector/J 8 (DISABLED ...
// VERIFY_IDENTITY, in any case) or of MariaDB Connector/J 3 (disable,
// trust, verify-ca, verify-full and its aliases 0/1/false/true).
func parseSSLModeValue(v string) (mysqlSSLMode, bool) {
	switch strings.ToLower(v) {
	case "disabled", "disable", "false", "0":
		return sslDisabled, true
	case "preferred":
		return sslPreferred, true
	case "required", "trust":
		return sslRequired, true
	case "verify_ca", "verify-ca":
		return sslVerifyCA, true
	case "verify_identity", "verify-full", "true", "1":
		return sslVerifyIdentity, true
	}
	return 0, false
}

// mysqlTLS is what a jdbc:mysql URL asks of TLS.
type mysqlTLS struct {
	mode  mysqlSSLMode
	roots *x509.CertPool // the CAs to verify against; nil for the system's
	// minVersion, maxVersion and ciphers restrict the protocol (0 and nil
	// for Go's defaults).
	minVersion, maxVersion uint16
	ciphers                []uint16
}

// Settings that name Java key stores, providers or classes: Go cannot use
// them, so they are refused rather than dropped.
var mysqlJavaOnly = map[string]string{
	"trustcertificatekeystoreurl":  "a Java key store; give the CA certificates as a PEM file in serverSslCert instead",
	"clientcertificatekeystoreurl": "a Java key store; client certificates are not supported in JDBC URLs",
	"truststore":                   "a Java key store; give the CA certificates as a PEM file in serverSslCert instead",
	"keystore":                     "a Java key store; client certificates are not supported in JDBC URLs",
	"keystoreprovider":             "a Java security provider",
	"sslcontextprovider":           "a Java security provider",
	"tlssockettype":                "a Java plugin class",
}

// Settings that only qualify the ones above, or that have no effect on
// what is verified, accepted as the Java drivers accept them.
var mysqlHarmless = map[string]bool{
	"trustcertificatekeystoretype":      true,
	"trustcertificatekeystorepassword":  true,
	"clientcertificatekeystoretype":     true,
	"clientcertificatekeystorepassword": true,
	"truststoretype":                    true,
	"truststorepassword":                true,
	"keystoretype":                      true,
	"keystorepassword":                  true,
	"keypassword":                       true,
	// Use the JVM's client key store (javax.net.ssl.keyStore) when no
	// clientCertificateKeyStoreUrl is given: a client certificate, which a
	// job file cannot carry, and which does not change how the server is
	// verified.
	"fallbacktosystemkeystore": true,
}

// parseMySQLTLS reads the TLS settings of a jdbc:mysql URL, from MySQL
// Connector/J (5.1, which DataX ships, and 8 and later), MariaDB
// Connector/J, and go-sql-driver/mysql's own tls parameter. The drivers
// read the same settings differently; the strictest reading wins, so that
// a URL never gets less protection than in any of them.
//
// Connector/J 5.1 (connection properties useSSL default false,
// verifyServerCertificate default true, requireSSL default false;
// MysqlIO.doHandshake): useSSL=true verifies the server's certificate
// chain (no host name check in 5.1) unless verifyServerCertificate=false;
// without useSSL a MySQL 5.7+ server is used with unverified TLS when it
// offers it. 5.1 matches names exactly and ignores sslMode; its reading
// counts where its settings are given.
//
// Connector/J 8 (DefaultPropertySet.initializeProperties): sslMode,
// default PREFERRED, wins when given; otherwise, when any of useSSL
// (default true), verifyServerCertificate (default false) or requireSSL
// (default false) is given: useSSL=false is DISABLED, else
// verifyServerCertificate=true is VERIFY_CA, else requireSSL=true is
// REQUIRED. Names match in any case (PropertyKey.normalizeCase).
//
// MariaDB Connector/J 3 (Configuration.handleLegacySslSettings, SslMode):
// sslMode disable (default), trust, verify-ca or verify-full; the legacy
// useSsl=true overrides it with verify-full, trust when
// trustServerCertificate is set, verify-ca when
// disableSslHostnameVerification is. That reading is taken only when the
// URL is evidently written for MariaDB's driver (useSsl spelt so, or one
// of those two settings): Connector/J's classic
// useSSL=true&verifyServerCertificate=false must keep its meaning.
//
// The CA certificates are the system's unless serverSslCert (MariaDB's
// PEM file, file: URL or inline PEM) names others; Java key stores cannot
// be read and are refused. tlsVersions/enabledTLSProtocols/
// enabledSslProtocolSuites and tlsCiphersuites/enabledSSLCipherSuites
// restrict the protocol as they say, or are refused when Go cannot.
func parseMySQLTLS(v url.Values) (mysqlTLS, error) {
	p := newJDBCParams(v)
	var errs []error
	get := func(name string) (string, string, bool) {
		val, as, ok, err := p.get(name)
		if err != nil {
			errs = append(errs, err)
		}
		return val, as, ok
	}
	boolean := func(name string, def bool) (bool, bool) {
		val, as, ok := get(name)
		if !ok {
			return def, false
		}
		b, err := parseJDBCBool(as, val)
		if err != nil {
			errs = append(errs, err)
			return def, false
		}
		return b, true
	}

	for _, name := range p.names() {
		if why, ok := mysqlJavaOnly[name]; ok {
			errs = append(errs, paramError(p.folded[name][0], "names %s, which the Go driver cannot use", why))
		}
	}

	// Connector/J 8 and later.
	mode8 := sslPreferred
	sslMode, sslModeAs, haveSSLMode := get("sslMode")
	useSSL, haveUseSSL := boolean("useSSL", true)
	verify8, haveVerify := boolean("verifyServerCertificate", false)
	require, haveRequire := boolean("requireSSL", false)
	switch {
	case haveSSLMode:
		m, ok := parseSSLModeValue(sslMode)
		if !ok {
			errs = append(errs, paramError(sslModeAs, "%q is not DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY "+
				"(nor MariaDB's disable, trust, verify-ca or verify-full)", sslMode))
		}
		mode8 = m
	case haveUseSSL || haveVerify || haveRequire:
		switch {
		case !useSSL:
			mode8 = sslDisabled
		case verify8:
			mode8 = sslVerifyCA
		case require:
			mode8 = sslRequired
		}
	}

	// Connector/J 5.1, DataX's: exact names, no sslMode. Its default (TLS
	// when a 5.7+ server offers it) is the PREFERRED above; it adds a
	// stricter reading only where its legacy settings are given, so that
	// an explicit sslMode=DISABLED, which 5.1 would ignore, is obeyed.
	mode51 := sslDisabled
	if raw, ok, err := p.getExact("useSSL"); err == nil && ok {
		use51, _ := parseJDBCBool("useSSL", raw)
		verify51, req51 := true, false
		if raw, ok, _ := p.getExact("verifyServerCertificate"); ok {
			verify51, _ = parseJDBCBool("verifyServerCertificate", raw)
		}
		if raw, ok, _ := p.getExact("requireSSL"); ok {
			req51, _ = parseJDBCBool("requireSSL", raw)
		}
		switch {
		case !use51:
			mode51 = sslDisabled
		case verify51:
			mode51 = sslVerifyCA
		case req51:
			mode51 = sslRequired
		default:
			mode51 = sslPreferred
		}
	} else if raw, ok, _ := p.getExact("requireSSL"); ok {
		if req, _ := parseJDBCBool("requireSSL", raw); req {
			mode51 = sslRequired
		}
	}

	// MariaDB Connector/J, when the URL is written for it.
	modeMariaDB := sslDisabled
	_, mariaUseSsl := v["useSsl"]
	trustServer, haveTrust := boolean("trustServerCertificate", false)
	noHostname, haveNoHostname := boolean("disableSslHostnameVerification", false)
	if mariaUseSsl || haveTrust || haveNoHostname {
		if raw, _, ok := get("useSSL"); ok && (raw == "" || raw == "1" || strings.EqualFold(raw, "true")) {
			switch {
			case haveTrust && trustServer:
				modeMariaDB = sslRequired
			case haveNoHostname && noHostname:
				modeMariaDB = sslVerifyCA
			default:
				modeMariaDB = sslVerifyIdentity
			}
		}
	}

	// go-sql-driver/mysql's tls parameter, sometimes found in JDBC URLs.
	modeGo := sslDisabled
	if val, as, ok := get("tls"); ok {
		switch strings.ToLower(val) {
		case "true":
			modeGo = sslVerifyIdentity
		case "skip-verify":
			modeGo = sslRequired
		case "preferred":
			modeGo = sslPreferred
		case "false":
		default:
			errs = append(errs, paramError(as, "%q is not true, false, skip-verify or preferred: configurations registered by name do not exist in a job file", val))
		}
	}

	out := mysqlTLS{mode: max(mode8, mode51, modeMariaDB, modeGo)}

	if val, as, ok := get("serverSslCert"); ok {
		roots, err := loadServerSSLCert(as, val)
		if err != nil {
			errs = append(errs, err)
		}
		out.roots = roots
	}
	if fallback, ok := boolean("fallbackToSystemTrustStore", true); ok && !fallback && out.roots == nil && out.mode >= sslVerifyCA {
		_, as, _ := get("fallbackToSystemTrustStore")
		errs = append(errs, paramError(as, "false leaves no CA to verify the server against: give the CA certificates in serverSslCert"))
	}
	for _, name := range []string{"tlsVersions", "enabledTLSProtocols", "enabledSslProtocolSuites"} {
		if val, as, ok := get(name); ok {
			lo, hi, err := parseTLSVersions(as, val)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out.minVersion, out.maxVersion = max(out.minVersion, lo), minVersion(out.maxVersion, hi)
		}
	}
	for _, name := range []string{"tlsCiphersuites", "enabledSSLCipherSuites"} {
		if val, as, ok := get(name); ok {
			if err := out.restrictCiphers(as, val); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if out.maxVersion != 0 && out.minVersion > out.maxVersion {
		errs = append(errs, errors.New("the TLS versions and cipher suites given leave no protocol version"))
	}
	return out, errors.Join(errs...)
}

// minVersion is min where 0 means no limit.
func minVersion(a, b uint16) uint16 {
	if a == 0 {
		return b
	}
	if b == 0 {
		return a
	}
	return min(a, b)
}

// loadServerSSLCert reads MariaDB Connector/J's serverSslCert: a PEM file
// path, a file: URL, or the PEM text itself.
func loadServerSSLCert(name, v string) (*x509.CertPool, error) {
	var pemText []byte
	switch {
	case strings.HasPrefix(v, "-----BEGIN"):
		pemText = []byte(v)
	default:
		path := v
		if scheme, rest, ok := strings.Cut(v, ":"); ok && len(scheme) > 1 { // not a Windows drive letter
			if !strings.EqualFold(scheme, "file") {
				return nil, paramError(name, "only files can be read, not %s: URLs", scheme)
			}
			u, err := url.Parse(v)
			if err != nil || (u.Host != "" && u.Host != "localhost") {
				return nil, paramError(name, "%q is not a local file: URL", v)
			}
			path = u.Path
			if path == "" {
				path = rest
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, paramError(name, "%v", err)
		}
		pemText = b
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemText) {
		return nil, paramError(name, "holds no PEM certificate")
	}
	return pool, nil
}

// parseTLSVersions reads a list such as "TLSv1.2,TLSv1.3" into the range
// of versions it allows; a list with a gap cannot be expressed in Go.
func parseTLSVersions(name, v string) (lo, hi uint16, err error) {
	versions := map[string]uint16{"tlsv1": tls.VersionTLS10, "tlsv1.0": tls.VersionTLS10, "tlsv1.1": tls.VersionTLS11,
		"tlsv1.2": tls.VersionTLS12, "tlsv1.3": tls.VersionTLS13}
	seen := map[uint16]bool{}
	for _, s := range strings.Split(v, ",") {
		ver, ok := versions[strings.ToLower(strings.TrimSpace(s))]
		if !ok {
			return 0, 0, paramError(name, "%q is not a TLS version Go supports (TLSv1 to TLSv1.3)", strings.TrimSpace(s))
		}
		seen[ver] = true
		if lo == 0 || ver < lo {
			lo = ver
		}
		hi = max(hi, ver)
	}
	for ver := lo; ver <= hi; ver++ {
		if !seen[ver] {
			return 0, 0, paramError(name, "%q leaves a gap between versions, which Go cannot express", v)
		}
	}
	return lo, hi, nil
}

// restrictCiphers applies a list of cipher suites (IANA names, as Java
// names them). Go always offers all three TLS 1.3 suites: a list naming
// none of them rules TLS 1.3 out (as it does in Java), one naming some but
// not all cannot be honoured.
func (t *mysqlTLS) restrictCiphers(name, v string) error {
	known := map[string]*tls.CipherSuite{}
	for _, cs := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		known[cs.Name] = cs
	}
	tls13 := 0
	var older []uint16
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		cs, ok := known[s]
		if !ok {
			return paramError(name, "%q is not a cipher suite Go knows (give IANA names, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)", s)
		}
		if len(cs.SupportedVersions) == 1 && cs.SupportedVersions[0] == tls.VersionTLS13 {
			tls13++
		} else {
			older = append(older, cs.ID)
		}
	}
	all13 := 0
	for _, cs := range tls.CipherSuites() {
		if len(cs.SupportedVersions) == 1 && cs.SupportedVersions[0] == tls.VersionTLS13 {
			all13++
		}
	}
	switch {
	case tls13 == 0:
		t.maxVersion = minVersion(t.maxVersion, tls.VersionTLS12)
	case tls13 < all13:
		return paramError(name, "names some TLS 1.3 cipher suites but not all, and Go cannot leave any out")
	}
	if len(older) == 0 {
		t.minVersion = max(t.minVersion, tls.VersionTLS13)
	}
	t.ciphers = append(t.ciphers, older...)
	return nil
}

// dsnTLS returns the go-sql-driver/mysql tls parameter nearest to t, never
// weaker, and the tls.Config that makes it exact when the named settings
// are not (nil when they are).
func (t mysqlTLS) dsnTLS(host string) (string, *tls.Config) {
	restricted := t.minVersion != 0 || t.maxVersion != 0 || t.ciphers != nil
	base := func() *tls.Config {
		return &tls.Config{MinVersion: t.minVersion, MaxVersion: t.maxVersion, CipherSuites: t.ciphers}
	}
	switch t.mode {
	case sslDisabled:
		return "false", nil
	case sslPreferred, sslRequired:
		name := map[mysqlSSLMode]string{sslPreferred: "preferred", sslRequired: "skip-verify"}[t.mode]
		if !restricted {
			return name, nil
		}
		c := base()
		c.InsecureSkipVerify = true // not verified, as the mode says
		return name, c
	case sslVerifyCA:
		c := base()
		// The chain is verified below, the host name is not: Go's own
		// verification cannot leave the name out.
		c.InsecureSkipVerify = true
		c.VerifyPeerCertificate = verifyChain(t.roots)
		return "true", c
	}
	if t.roots == nil && !restricted {
		return "true", nil
	}
	c := base()
	c.RootCAs, c.ServerName = t.roots, host
	return "true", c
}

// verifyChain returns a tls.Config.VerifyPeerCertificate that verifies the
// server's certificate chain against roots (the system's when nil),
// whatever the host name.
func verifyChain(roots *x509.CertPool) func([][]byte, [][]*x509.Certificate) error {
	return func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return errors.New("the server sent no certificate")
		}
		certs := make([]*x509.Certificate, len(raw))
		for i, der := range raw {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return fmt.Errorf("the server's certificate: %w", err)
			}
			certs[i] = c
		}
		opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
		for _, c := range certs[1:] {
			opts.Intermediates.AddCert(c)
		}
		_, err := certs[0].Verify(opts)
		return err
	}
}
