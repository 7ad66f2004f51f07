package memcache

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// shownSinkConfig is SinkConfig without its methods, for showing. The
// config holds no secret (memcached's text protocol has no
// authentication), but its String, GoString, LogValue and MarshalJSON are
// there as on every connector's config, so that it shows the same way.
type shownSinkConfig SinkConfig

// String shows the config.
func (c SinkConfig) String() string { return fmt.Sprintf("%+v", shownSinkConfig(c)) }

// GoString shows the config as Go syntax.
func (c SinkConfig) GoString() string {
	return strings.Replace(fmt.Sprintf("%#v", shownSinkConfig(c)), "memcache.shownSinkConfig", "memcache.SinkConfig", 1)
}

// LogValue logs the config.
func (c SinkConfig) LogValue() slog.Value { return slog.AnyValue(shownSinkConfig(c)) }

// MarshalJSON encodes the config.
func (c SinkConfig) MarshalJSON() ([]byte, error) { return json.Marshal(shownSinkConfig(c)) }
