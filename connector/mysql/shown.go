package mysql

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/datasync-go/datasync/internal/masking"
)

// The configs are shown (by fmt, slog and encoding/json) as these copies,
// which have no methods and the password of their DSN masked.
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

// String shows the config with the password of its DSN masked.
func (c SourceConfig) String() string { return fmt.Sprintf("%+v", c.shown()) }

// GoString is String as Go syntax, so that %#v masks the password too.
func (c SourceConfig) GoString() string {
	return strings.Replace(fmt.Sprintf("%#v", c.shown()), "mysql.shownSourceConfig", "mysql.SourceConfig", 1)
}

// LogValue logs the config with the password of its DSN masked.
func (c SourceConfig) LogValue() slog.Value { return slog.AnyValue(c.shown()) }

// MarshalJSON encodes the config with the password of its DSN masked: the
// result is for showing, and does not connect.
func (c SourceConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c.shown()) }

// String shows the config with the password of its DSN masked.
func (c SinkConfig) String() string { return fmt.Sprintf("%+v", c.shown()) }

// GoString is String as Go syntax, so that %#v masks the password too.
func (c SinkConfig) GoString() string {
	return strings.Replace(fmt.Sprintf("%#v", c.shown()), "mysql.shownSinkConfig", "mysql.SinkConfig", 1)
}

// LogValue logs the config with the password of its DSN masked.
func (c SinkConfig) LogValue() slog.Value { return slog.AnyValue(c.shown()) }

// MarshalJSON encodes the config with the password of its DSN masked: the
// result is for showing, and does not connect.
func (c SinkConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c.shown()) }

// redactDSN returns dsn with its password masked, or masking.Unparsed when
// the driver cannot parse it.
func redactDSN(dsn string) string {
	if dsn == "" {
		return ""
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return masking.Unparsed
	}
	if cfg.Passwd != "" {
		cfg.Passwd = masking.Mask
	}
	return cfg.FormatDSN()
}
