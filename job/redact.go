package job

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/datasync-go/datasync/internal/masking"
	"github.com/datasync-go/datasync/internal/strictjson"
)

// Redactor blots secrets out of text. It knows the values of settings tagged
// secret and the passwords inside connection strings found anywhere in the
// job's parameters.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

func newRedactor() *Redactor { return &Redactor{} }

// minSecret is the shortest secret blotted out: a shorter one would garble
// unrelated text more than it would hide.
const minSecret = 3

// Mask is what a secret is replaced with (the connectors' configs mask
// theirs with the same text).
const Mask = masking.Mask

// Add adds secrets to blot out.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= minSecret && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
			if esc := url.QueryEscape(s); esc != s {
				r.secrets = append(r.secrets, esc) // as it appears inside a URL
			}
		}
	}
	// Longest first, so that a secret containing another is blotted whole.
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
}

// Redact returns s with every secret replaced by Mask.
func (r *Redactor) Redact(s string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, Mask)
	}
	return s
}

// collect adds the secrets of decoded connector parameters.
func (r *Redactor) collect(params any) {
	r.Add(Secrets(params)...)
	r.Add(dsnPasswords(params)...)
}

var (
	urlPassword     = regexp.MustCompile(`://[^:/@\s]*:([^@\s]+)@`)          // scheme://user:pass@host
	mysqlPassword   = regexp.MustCompile(`^[^:@/\s]*:(\S+)@[a-z]*\(`)        // user:pass@tcp(host); the password may hold "@" (the driver splits at the last)
	keywordPassword = regexp.MustCompile(`(?i)password\s*=\s*'?([^'\s&;]+)`) // password=, sslpassword=, ...KeyStorePassword=
)

// dsnPasswords finds passwords inside every string value of params.
func dsnPasswords(params any) []string {
	var out []string
	strictjson.Strings(params, func(s string, _ bool) {
		for _, re := range []*regexp.Regexp{urlPassword, mysqlPassword, keywordPassword} {
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				if p, err := url.QueryUnescape(m[1]); err == nil {
					out = append(out, p)
				}
				out = append(out, m[1])
			}
		}
	})
	return out
}

// redactedError shows redacted text but keeps the original chain for
// errors.Is and errors.As.
type redactedError struct {
	err  error
	text string
}

func (e redactedError) Error() string { return e.text }
func (e redactedError) Unwrap() error { return e.err }
