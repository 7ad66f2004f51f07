package redis

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// mask is what a password is shown as.
const mask = "******"

// The configs are shown (by fmt, slog and encoding/json) as these copies,
// which have no methods and the password masked.
type (
	shownSourceConfig SourceConfig
	shownSinkConfig   SinkConfig
)

func (c Conn) masked() Conn {
	if c.Password != "" {
		c.Password = mask
	}
	return c
}

func (c SourceConfig) shown() shownSourceConfig {
	s := shownSourceConfig(c)
	s.Conn = s.Conn.masked()
	return s
}

func (c SinkConfig) shown() shownSinkConfig {
	s := shownSinkConfig(c)
	s.Conn = s.Conn.masked()
	return s
}

// String shows the config with its password masked.
func (c SourceConfig) String() string { return fmt.Sprintf("%+v", c.shown()) }

// GoString is String as Go syntax, so that %#v masks the password too.
func (c SourceConfig) GoString() string {
	return strings.Replace(fmt.Sprintf("%#v", c.shown()), "redis.shownSourceConfig", "redis.SourceConfig", 1)
}

// LogValue logs the config with its password masked.
func (c SourceConfig) LogValue() slog.Value { return slog.AnyValue(c.shown()) }

// MarshalJSON encodes the config with its password masked: the result is
// for showing, and does not connect.
func (c SourceConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c.shown()) }

// String shows the config with its password masked.
func (c SinkConfig) String() string { return fmt.Sprintf("%+v", c.shown()) }

// GoString is String as Go syntax, so that %#v masks the password too.
func (c SinkConfig) GoString() string {
	return strings.Replace(fmt.Sprintf("%#v", c.shown()), "redis.shownSinkConfig", "redis.SinkConfig", 1)
}

// LogValue logs the config with its password masked.
func (c SinkConfig) LogValue() slog.Value { return slog.AnyValue(c.shown()) }

// MarshalJSON encodes the config with its password masked: the result is
// for showing, and does not connect.
func (c SinkConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c.shown()) }
