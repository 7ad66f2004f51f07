// Package masking masks the secrets inside connection strings, so that the
// connectors' configs and the job layer can show a connection without its
// password. Each function returns false when it cannot parse its input:
// the caller then shows Unparsed instead of guessing where the secret is.
package masking

import (
	"net/url"
	"slices"
	"strings"
)

// Mask is what a secret is replaced with.
const Mask = "******"

// Unparsed stands for a connection string that could not be parsed, and so
// is not shown at all: the secret could be anywhere in it.
const Unparsed = "(not shown: it does not parse)"

// URL returns the URL s with the password of its user info, and the values
// of the query parameters named by keys, replaced by Mask.
func URL(s string, keys ...string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" {
		return "", false
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Mask)
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return "", false
		}
		masked := false
		for k := range q {
			if slices.Contains(keys, k) {
				q[k] = []string{Mask}
				masked = true
			}
		}
		if masked {
			u.RawQuery = q.Encode()
		}
	}
	// Show the mask as it is rather than percent-encoded.
	return strings.ReplaceAll(u.String(), url.QueryEscape(Mask), Mask), true
}

// KeywordValue returns the libpq keyword/value connection string s
// ("host=h password='a b' dbname=d") with the values of the keywords named
// by keys replaced by Mask. It follows libpq's syntax: spaces around "=",
// values in single quotes, and backslash escapes in and out of quotes.
func KeywordValue(s string, keys ...string) (string, bool) {
	var out strings.Builder
	i := 0
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' }
	for {
		start := i
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) {
			out.WriteString(s[start:])
			return out.String(), true
		}
		keyStart := i
		for i < len(s) && s[i] != '=' && !isSpace(s[i]) {
			i++
		}
		key := s[keyStart:i]
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if key == "" || i == len(s) || s[i] != '=' {
			return "", false
		}
		i++
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		out.WriteString(s[start:i])
		valueStart := i
		if i < len(s) && s[i] == '\'' {
			i++
			for i < len(s) && s[i] != '\'' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(s) {
				return "", false // unterminated quote
			}
			i++
		} else {
			for i < len(s) && !isSpace(s[i]) {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			i = min(i, len(s))
		}
		if slices.Contains(keys, key) {
			out.WriteString(Mask)
		} else {
			out.WriteString(s[valueStart:i])
		}
	}
}
