package postgres

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/datasync-go/datasync/internal/masking"
)

// The configs are shown (by fmt, slog and encoding/json) as these copies,
// which have no methods and the passwords of their DSN masked.
type (
	shownSourceConfig SourceConfig
	shownSinkConfig   SinkConfig
)

func (c SourceConfig) shown() shownSourceConfig {
	s := shownSourceConfig(c)
	s.DSN = redactDSN(s.DSN)
	return s
}

func (c SinkConfig) shown() shownSinkConfig {
	s := shownSinkConfig(c)
	s.DSN = redactDSN(s.DSN)
	return s
}

// String shows the config with the passwords of its DSN masked.
func (c SourceConfig) String() string { return fmt.Sprintf("%+v", c.shown()) }

// GoString is String as Go syntax, so that %#v masks the passwords too.
func (c SourceConfig) GoString() string {
	return strings.Replace(fmt.Sprintf("%#v", c.shown()), "postgres.shownSourceConfig", "postgres.SourceConfig", 1)
}

// LogValue logs the config with the passwords of its DSN masked.
func (c SourceConfig) LogValue() slog.Value { return slog.AnyValue(c.shown()) }

// MarshalJSON encodes the config with the passwords of its DSN masked: the
// result is for showing, and does not connect.
func (c SourceConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c.shown()) }

// String shows the config with the passwords of its DSN masked.
func (c SinkConfig) String() string { return fmt.Sprintf("%+v", c.shown()) }

// GoString is String as Go syntax, so that %#v masks the passwords too.
func (c SinkConfig) GoString() string {
	return strings.Replace(fmt.Sprintf("%#v", c.shown()), "postgres.shownSinkConfig", "postgres.SinkConfig", 1)
}

// LogValue logs the config with the passwords of its DSN masked.
func (c SinkConfig) LogValue() slog.Value { return slog.AnyValue(c.shown()) }

// MarshalJSON encodes the config with the passwords of its DSN masked: the
// result is for showing, and does not connect.
func (c SinkConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c.shown()) }

// dsnSecrets are the connection settings that hold secrets: the password,
// and the one that decrypts the client key (sslkey).
var dsnSecrets = []string{"password", "sslpassword"}

// redactDSN returns dsn, a URL or keyword/value pairs as pgx takes them,
// with its secrets masked, or masking.Unparsed when it does not parse.
func redactDSN(dsn string) string {
	if dsn == "" {
		return ""
	}
	var out string
	var ok bool
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		out, ok = masking.URL(dsn, dsnSecrets...)
	} else {
		out, ok = masking.KeywordValue(dsn, dsnSecrets...)
	}
	if !ok {
		return masking.Unparsed
	}
	return out
}
