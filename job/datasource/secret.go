package datasource

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// Secret is a credential as a catalog holds it: a reference to where its
// value is, resolved only when a job needs it. In a catalog file it is
// written
//
//	{"env": "ORDERS_PASSWORD"}        the value of an environment variable
//	{"file": "/run/secrets/orders"}   the content of a file (one trailing newline dropped)
//	"s3cret"                          the value itself, inline (discouraged: the
//	                                  file then holds the secret; Catalog.Warnings says so)
//
// The zero Secret is "no value". A Secret never shows an inline value:
// String, GoString, LogValue and MarshalJSON show the reference or a mask.
type Secret struct {
	// Env names the environment variable holding the value.
	Env string `json:"env"`
	// File is the path of a file holding the value.
	File string `json:"file"`

	inline string
}

// Env returns a Secret read from the environment variable name.
func Env(name string) Secret { return Secret{Env: name} }

// File returns a Secret read from the file at path.
func File(path string) Secret { return Secret{File: path} }

// Inline returns a Secret whose value is value itself. Prefer Env or File:
// a catalog saved with an inline secret holds it in clear.
func Inline(value string) Secret { return Secret{inline: value} }

// IsZero reports whether s has no value at all.
func (s Secret) IsZero() bool { return s.Env == "" && s.File == "" && s.inline == "" }

// IsInline reports whether s holds its value itself.
func (s Secret) IsInline() bool { return s.inline != "" }

// Resolve returns the value: the environment variable's (which must be
// set; it may be empty), the file's content without one trailing newline,
// or the inline value. The zero Secret resolves to "".
func (s Secret) Resolve() (string, error) {
	switch {
	case s.Env != "":
		v, ok := os.LookupEnv(s.Env)
		if !ok {
			return "", fmt.Errorf("environment variable %s is not set", s.Env)
		}
		return v, nil
	case s.File != "":
		data, err := os.ReadFile(s.File)
		if err != nil {
			return "", fmt.Errorf("read the secret file: %w", err)
		}
		v := strings.TrimSuffix(string(data), "\n")
		return strings.TrimSuffix(v, "\r"), nil
	}
	return s.inline, nil
}

// String shows where the value comes from, never an inline value.
func (s Secret) String() string {
	switch {
	case s.Env != "":
		return "env:" + s.Env
	case s.File != "":
		return "file:" + s.File
	case s.inline != "":
		return Mask
	}
	return ""
}

// GoString is String, so that %#v shows no inline value either.
func (s Secret) GoString() string { return s.String() }

// LogValue logs String.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Mask is what an inline secret is shown as.
const Mask = "******"

// MarshalJSON writes the reference ({"env": ...} or {"file": ...}), or a
// mask for an inline value: JSON output meant to be shown carries no
// secret. Catalog.Save writes inline values themselves.
func (s Secret) MarshalJSON() ([]byte, error) {
	switch {
	case s.Env != "":
		return json.Marshal(map[string]string{"env": s.Env})
	case s.File != "":
		return json.Marshal(map[string]string{"file": s.File})
	case s.inline != "":
		return json.Marshal(Mask)
	}
	return []byte(`""`), nil
}

// UnmarshalJSON reads a reference object or an inline string.
func (s *Secret) UnmarshalJSON(data []byte) error {
	var text string
	if err := json.Unmarshal(data, &text); err == nil {
		*s = Secret{inline: text}
		return nil
	}
	var ref struct {
		Env  string `json:"env"`
		File string `json:"file"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		return errors.New(`want {"env": "VARIABLE"}, {"file": "/path"} or a string`)
	}
	switch {
	case ref.Env != "" && ref.File != "":
		return errors.New(`give "env" or "file", not both`)
	case ref.Env == "" && ref.File == "":
		return errors.New(`give "env" (an environment variable) or "file" (a path)`)
	}
	*s = Secret{Env: ref.Env, File: ref.File}
	return nil
}

// store is how Save writes s: as MarshalJSON, but inline values in clear.
func (s Secret) store() any {
	switch {
	case s.Env != "":
		return map[string]string{"env": s.Env}
	case s.File != "":
		return map[string]string{"file": s.File}
	case s.inline != "":
		return s.inline
	}
	return nil
}
