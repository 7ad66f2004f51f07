package datax_test

import (
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync/job/datax"
)

// FuzzParseJDBC parses JDBC URLs as DataX job files give them: what parses
// has a host and turns into a MySQL DSN and a PostgreSQL URL that their
// drivers read back to the same host, port, database, user and password;
// what does not parse is refused with a message that never shows a
// password given as a URL parameter.
func FuzzParseJDBC(f *testing.F) {
	for _, s := range []string{
		"jdbc:mysql://db.example.com:3307/shop?useUnicode=true&characterEncoding=utf8&useSSL=false",
		"jdbc:mysql://127.0.0.1/db?user=app&password=s3cr%40t",
		"jdbc:mysql://h1:3306,h2:3306/db;password=hunter22",
		"jdbc:mysql://[::1]:3306/d%20b?connectTimeout=500&socketTimeout=1000",
		"jdbc:postgresql://pg:5432/warehouse?currentSchema=ods&ssl=true&ApplicationName=x",
		"jdbc:postgresql://pg/db?user=u&password=p%zz",
		"jdbc:postgresql:///db", "jdbc:mysql://user:pw@host/db", "jdbc:mysql://h/%zz", "jdbc:oracle:thin:@h:1521:orcl",
		"jdbc:mysql://h:notaport/db", "jdbc:mysql://h/db?a=1&&b", "jdbc:postgresql://h:5432/db?sslmode=verify-full&sslrootcert=/ca.pem",
	} {
		f.Add(s, "app", "pa:ss@w/rd")
	}
	f.Fuzz(func(t *testing.T, s, user, pass string) {
		for _, scheme := range []string{"mysql", "postgresql"} {
			u, err := datax.ParseJDBC(s, scheme)
			if err != nil {
				checkRefusal(t, s, err)
				continue
			}
			if u.Host == "" || u.Scheme != scheme {
				t.Fatalf("%q: parsed as %+v", s, u)
			}
			if !strings.HasPrefix(s, "jdbc:"+scheme+"://") {
				t.Fatalf("%q: accepted as %s", s, scheme)
			}
			if scheme == "mysql" {
				checkMySQL(t, s, u, user, pass)
			} else {
				checkPostgres(t, s, u, user, pass)
			}
		}
	})
}

// checkRefusal checks the message of a refused URL: it says what is wrong
// and shows no password parameter.
func checkRefusal(t *testing.T, s string, err error) {
	t.Helper()
	msg := err.Error()
	if msg == "" {
		t.Fatalf("%q: empty error", s)
	}
	base, query, _ := strings.Cut(s, "?")
	if _, rest, ok := strings.Cut(base, "://"); ok {
		authority, _, _ := strings.Cut(rest, "/")
		if at := strings.LastIndex(authority, "@"); at >= 0 {
			if _, pw, ok := strings.Cut(authority[:at], ":"); ok && len(pw) >= 4 &&
				!strings.Contains(strings.Replace(s, pw, "", 1), pw) && strings.Contains(msg, pw) {
				t.Fatalf("%q: the error %q shows the password %q", s, msg, pw)
			}
		}
	}
	for _, kv := range strings.FieldsFunc(query, func(r rune) bool { return r == '&' || r == ';' }) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k != "password" || len(v) < 4 || strings.Contains(strings.Replace(s, kv, "", 1), v) {
			continue
		}
		if strings.Contains(msg, v) {
			t.Fatalf("%q: the error %q shows the password %q", s, msg, v)
		}
		if uv, err := url.QueryUnescape(v); err == nil && len(uv) >= 4 && strings.Contains(msg, uv) {
			t.Fatalf("%q: the error %q shows the password %q", s, msg, uv)
		}
	}
}

func checkMySQL(t *testing.T, s string, u datax.JDBC, user, pass string) {
	t.Helper()
	dsn, _ := u.MySQLDSN(user, pass)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("%q: DSN %q does not parse: %v", s, dsn, err)
	}
	wantUser, wantPass := user, pass
	if wantUser == "" {
		wantUser = u.Params.Get("user")
	}
	if wantPass == "" {
		wantPass = u.Params.Get("password")
	}
	port := u.Port
	if port == "" {
		port = "3306"
	}
	if wantUser == "" || strings.Contains(wantUser, ":") {
		// The driver's DSN holds no password without a user, nor a user
		// with a colon (see the report).
		wantUser, wantPass = cfg.User, cfg.Passwd
	}
	if cfg.User != wantUser || cfg.Passwd != wantPass || cfg.DBName != u.Database || cfg.Addr != net.JoinHostPort(u.Host, port) || cfg.Net != "tcp" {
		t.Fatalf("%q: DSN %q reads as user %q, password %q, db %q, addr %q; want %q, %q, %q, %q",
			s, dsn, cfg.User, cfg.Passwd, cfg.DBName, cfg.Addr, wantUser, wantPass, u.Database, net.JoinHostPort(u.Host, port))
	}
}

func checkPostgres(t *testing.T, s string, u datax.JDBC, user, pass string) {
	t.Helper()
	raw := u.PostgresURL(user, pass)
	pu, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%q: URL %q does not parse: %v", s, raw, err)
	}
	wantUser, wantPass := user, pass
	if wantUser == "" {
		wantUser = u.Params.Get("user")
	}
	if wantPass == "" {
		wantPass = u.Params.Get("password")
	}
	gotPass, _ := pu.User.Password()
	if pu.User.Username() != wantUser || gotPass != wantPass {
		t.Fatalf("%q: URL %q has user %q password %q, want %q %q", s, raw, pu.User.Username(), gotPass, wantUser, wantPass)
	}
	if pu.Hostname() != strings.Trim(u.Host, "[]") || pu.Port() != u.Port || pu.Path != "/"+u.Database {
		t.Fatalf("%q: URL %q has host %q port %q path %q, want %q %q %q", s, raw, pu.Hostname(), pu.Port(), pu.Path, u.Host, u.Port, "/"+u.Database)
	}
	if q := pu.Query(); q.Get("sslmode") == "" {
		t.Fatalf("%q: URL %q has no sslmode", s, raw)
	}
}

// FuzzColumns checks DataX's column lists as the relational connectors
// take them: ["*"] (or nothing) is every column, anything else is kept
// as given.
func FuzzColumns(f *testing.F) {
	f.Add("*", "", 1)
	f.Add(" * ", "", 1)
	f.Add("id", "`name`", 2)
	f.Add("*", "id", 2)
	f.Add("", "", 0)
	f.Fuzz(func(t *testing.T, a, b string, n int) {
		cols := []string{a, b}[:int(uint(n)%3)]
		got := datax.Columns(cols)
		all := len(cols) == 0 || (len(cols) == 1 && strings.TrimSpace(cols[0]) == "*")
		if all != (got == nil) {
			t.Fatalf("%q: got %q", cols, got)
		}
		if !all && strings.Join(got, "\x00") != strings.Join(cols, "\x00") {
			t.Fatalf("%q: got %q", cols, got)
		}
	})
}

// TestParseJDBCRefusesUserBeforeHost parses a URL with user:password@
// before the host, which made the user and password part of the host
// name (and the MySQL DSN unreadable): it is refused, without showing the
// password.
func TestParseJDBCRefusesUserBeforeHost(t *testing.T) {
	for _, s := range []string{"jdbc:mysql://app:hunter22@db:3306/shop", "jdbc:postgresql://app:hunter22@db/shop?ssl=true"} {
		scheme := "mysql"
		if strings.Contains(s, "postgresql") {
			scheme = "postgresql"
		}
		u, err := datax.ParseJDBC(s, scheme)
		if err == nil {
			t.Fatalf("%q: parsed with host %q", s, u.Host)
		}
		if strings.Contains(err.Error(), "hunter22") || !strings.Contains(err.Error(), "user before the host") {
			t.Errorf("%q: error %q", s, err)
		}
	}
	_, err := datax.ParseJDBC("jdbc:mysq://app:hunter22@db/shop", "mysql")
	if err == nil || strings.Contains(err.Error(), "hunter22") {
		t.Errorf("a URL of another scheme: error %v shows the password", err)
	}
}

// TestParseJDBCRefusesInvalidHosts parses URLs whose host part no driver
// URL can hold: a space made PostgresURL write "postgres://%20/...", which
// does not parse, and a port that is not a number became part of the
// MySQL host. They are refused; IPv6 and failover hosts still parse.
func TestParseJDBCRefusesInvalidHosts(t *testing.T) {
	for _, s := range []string{"jdbc:postgresql://?password=hunter22", "jdbc:mysql://:", "jdbc:postgresql://:5432/db", "jdbc:postgresql:// /db", "jdbc:mysql://h:notaport/db", "jdbc:mysql://a b:3306/db", "jdbc:postgresql://h:5432:1/db"} {
		scheme := strings.TrimPrefix(strings.Split(s, "://")[0], "jdbc:")
		if u, err := datax.ParseJDBC(s, scheme); err == nil {
			t.Errorf("%q: parsed as %+v", s, u)
		}
	}
	for s, host := range map[string]string{
		"jdbc:mysql://[::1]:3306/db":             "::1",
		"jdbc:mysql://h1:3306,h2:3307/db":        "h1",
		"jdbc:postgresql://db.example.com/db":    "db.example.com",
		"jdbc:postgresql://[fe80::1]/db":         "fe80::1",
		"jdbc:postgresql://pg_1.internal:5432/x": "pg_1.internal",
	} {
		scheme := strings.TrimPrefix(strings.Split(s, "://")[0], "jdbc:")
		u, err := datax.ParseJDBC(s, scheme)
		if err != nil || u.Host != host {
			t.Errorf("%q: host %q (%v), want %q", s, u.Host, err, host)
		}
	}
}

// TestParseJDBCParametersRightAfterTheHost parses URLs whose parameters
// follow the host without a database: they were taken as part of the host
// (and shown, password included, in the error).
func TestParseJDBCParametersRightAfterTheHost(t *testing.T) {
	u, err := datax.ParseJDBC("jdbc:mysql://db:3306?useSSL=false&password=hunter22", "mysql")
	if err != nil || u.Host != "db" || u.Port != "3306" || u.Database != "" || u.Params.Get("password") != "hunter22" {
		t.Errorf("got %+v, %v", u, err)
	}
	_, err = datax.ParseJDBC("jdbc:postgresql://?password=hunter22", "postgresql")
	if err == nil || strings.Contains(err.Error(), "hunter22") {
		t.Errorf("error %v", err)
	}
}
