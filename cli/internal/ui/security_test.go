package ui

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIRefusesCallsWithoutTheToken(t *testing.T) {
	f := newFixture(t)
	for name, edit := range map[string]func(*http.Request){
		"no token":    nil,
		"wrong token": func(r *http.Request) { r.Header.Set(tokenHeader, "x"+f.srv.Token()[1:]) },
		"token as a query parameter": func(r *http.Request) {
			q := r.URL.Query()
			q.Set("token", f.srv.Token())
			r.URL.RawQuery = q.Encode()
		},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := f.request("GET", "/api/datasources", nil, edit)
			assert.Equal(t, http.StatusUnauthorized, status, "%s", body)
			assert.NotContains(t, string(body), "shop")
		})
	}
	status, _ := f.call("GET", "/api/datasources", nil)
	assert.Equal(t, http.StatusOK, status)
}

func TestAPIRefusesOtherHostsAndOrigins(t *testing.T) {
	f := newFixture(t)
	withToken := func(r *http.Request) { r.Header.Set(tokenHeader, f.srv.Token()) }
	cases := map[string]func(*http.Request){
		// DNS rebinding: a hostile name resolving to 127.0.0.1.
		"other Host":              func(r *http.Request) { withToken(r); r.Host = "evil.example:80" },
		"localhost for 127.0.0.1": func(r *http.Request) { withToken(r); r.Host = strings.Replace(f.host, "127.0.0.1", "localhost", 1) },
		"other Origin":            func(r *http.Request) { withToken(r); r.Header.Set("Origin", "http://evil.example") },
		"Origin on another port": func(r *http.Request) {
			withToken(r)
			r.Header.Set("Origin", "http://127.0.0.1:1")
		},
		"cross-site fetch": func(r *http.Request) { withToken(r); r.Header.Set("Sec-Fetch-Site", "cross-site") },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			status, body := f.request("GET", "/api/datasources", nil, edit)
			assert.Equal(t, http.StatusForbidden, status, "%s", body)
			assert.NotContains(t, string(body), "shop")
		})
	}
	t.Run("the page itself", func(t *testing.T) {
		status, _ := f.request("GET", "/", nil, func(r *http.Request) { r.Host = "evil.example" })
		assert.Equal(t, http.StatusForbidden, status)
	})
	t.Run("same origin", func(t *testing.T) {
		status, body := f.request("GET", "/api/datasources", nil, func(r *http.Request) {
			withToken(r)
			r.Header.Set("Origin", "http://"+f.host)
			r.Header.Set("Sec-Fetch-Site", "same-origin")
		})
		assert.Equal(t, http.StatusOK, status, "%s", body)
	})
	t.Run("a POST that is not JSON", func(t *testing.T) {
		status, _ := f.request("POST", "/api/schemas", nil, func(r *http.Request) {
			withToken(r)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		})
		assert.Equal(t, http.StatusUnsupportedMediaType, status)
	})
}

func TestPageIsServedWithProtectiveHeaders(t *testing.T) {
	f := newFixture(t)
	resp, err := http.Get(f.ts.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'self'")
	assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	for _, path := range []string{"/app.js", "/app.css"} {
		r, err := http.Get(f.ts.URL + path)
		require.NoError(t, err)
		r.Body.Close()
		assert.Equal(t, http.StatusOK, r.StatusCode, path)
	}
	r, err := http.Get(f.ts.URL + "/helpers_test.go")
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
}

func TestSecretsNeverReachTheBrowser(t *testing.T) {
	f := newFixture(t)
	f.tables(3)
	var all []byte
	record := func(_ int, body []byte) { all = append(all, body...) }
	record(f.call("GET", "/api/datasources", nil))
	record(f.call("POST", "/api/datasources/test", map[string]string{"name": "lake"}))
	record(f.call("POST", "/api/schemas", map[string]string{"datasource": "lake"}))
	record(f.call("POST", "/api/check", modelRequest{Model: ordersModel(byRow...)}))
	record(f.call("POST", "/api/script", modelRequest{Model: ordersModel(byName...)}))
	text := string(all)
	assert.Contains(t, text, `"lake"`)
	assert.NotContains(t, text, passwordValue)
	assert.NotContains(t, text, "UI_TEST_", "not even where a secret comes from")

	// The add form takes no password, only where it is.
	status, body := f.call("POST", "/api/datasources", map[string]any{"name": "x", "type": "mysql", "host": "h", "database": "d", "password": "p"})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, string(body), `unknown field \"password\"`)
	status, body = f.call("POST", "/api/datasources", map[string]any{"name": "x", "type": "mysql",
		"jdbcUrl": "jdbc:mysql://h:3306/d?password=p"})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, string(body), `"field":"jdbcUrl"`)
}
