package ui

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// shownConfig is a Config as it may be shown: the token masked, the
// functions left out.
type shownConfig struct {
	Dir   string `json:"dir"`
	Token string `json:"token"`
}

func (c Config) shown() shownConfig {
	s := shownConfig{Dir: c.Dir}
	if c.Token != "" {
		s.Token = "xxxxx"
	}
	return s
}

// String shows the config with its token masked.
func (c Config) String() string { return fmt.Sprintf("%+v", c.shown()) }

// GoString shows the config with its token masked (%#v).
func (c Config) GoString() string { return fmt.Sprintf("ui.Config%+v", c.shown()) }

// LogValue logs the config with its token masked.
func (c Config) LogValue() slog.Value { return slog.AnyValue(c.shown()) }

// MarshalJSON encodes the config with its token masked.
func (c Config) MarshalJSON() ([]byte, error) { return json.Marshal(c.shown()) }
