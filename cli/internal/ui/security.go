package ui

import (
	"crypto/subtle"
	"net/http"
	"slices"
	"strings"
)

// guard refuses requests whose Host header is not one of hosts (which
// defeats DNS rebinding: a hostile page's name resolving to 127.0.0.1
// still sends its own name), and requests a browser marks as coming from
// another origin (Origin, Sec-Fetch-Site). It sets the headers that keep
// the page from being framed, sniffed, cached or fed other scripts.
func guard(hosts []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "+
			"connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		if !slices.Contains(hosts, r.Host) {
			http.Error(w, "forbidden: Host "+r.Host+" is not the address this UI listens on", http.StatusForbidden)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
			http.Error(w, "forbidden: requests from other origins are refused", http.StatusForbidden)
			return
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" &&
			strings.HasPrefix(r.URL.Path, "/api/") {
			http.Error(w, "forbidden: cross-site requests are refused", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireToken answers 401 to an API call without the token, and 415 to a
// POST whose body is not JSON.
func (s *Server) requireToken(next http.Handler) http.Handler {
	want := []byte(s.token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get(tokenHeader))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			fail(w, http.StatusUnauthorized, "missing or wrong token: open the address datasync ui printed")
			return
		}
		if r.Method == http.MethodPost && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			fail(w, http.StatusUnsupportedMediaType, "the body must be application/json")
			return
		}
		next.ServeHTTP(w, r)
	})
}
