package ui

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datasource"
)

//go:embed static
var staticFiles embed.FS

// Config is what a Server needs from the command that starts it.
type Config struct {
	// Registry holds the connectors scripts may name; job.DefaultRegistry
	// when nil.
	Registry *job.Registry
	// LoadCatalog reads the data source catalog, afresh for each request
	// (a catalog file that does not exist yet is an empty catalog).
	LoadCatalog func() (*datasource.Catalog, error)
	// SaveCatalog writes the catalog back after a data source was added,
	// and returns where.
	SaveCatalog func(*datasource.Catalog) (string, error)
	// Probe tests a data source's connectivity ("datasource test"); nil
	// disables testing.
	Probe func(ctx context.Context, r datasource.Resolved) (fmt.Stringer, error)
	// Where says where a data source is, without secrets (host:port/db);
	// the type alone when nil.
	Where func(datasource.DataSource) string
	// Dir is the directory scripts are saved in and dirty records written
	// to; no path the browser sends may leave it. "." when empty.
	Dir string
	// Token is the secret every API call carries; a random one when empty.
	Token string
	// Logger receives the server's logs; slog.Default() when nil.
	Logger *slog.Logger
}

// Server is the codeless UI: the page and its JSON API. Create it with New.
type Server struct {
	cfg   Config
	token string
	dir   string
	log   *slog.Logger
	base  context.Context // runs outlive their request, not the server
	stop  context.CancelFunc
	runs  *runs
	saves sync.Mutex
}

// tokenHeader carries the token on API calls.
const tokenHeader = "X-Datasync-Token"

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.LoadCatalog == nil || cfg.SaveCatalog == nil {
		return nil, errors.New("ui: LoadCatalog and SaveCatalog are required")
	}
	if cfg.Registry == nil {
		cfg.Registry = job.DefaultRegistry
	}
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	token := cfg.Token
	if token == "" {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("ui: make a token: %w", err)
		}
		token = base64.RawURLEncoding.EncodeToString(b)
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Server{cfg: cfg, token: token, dir: cfg.Dir, log: cfg.Logger, base: ctx, stop: stop, runs: newRuns()}, nil
}

// Token returns the token API calls must carry.
func (s *Server) Token() string { return s.token }

// URL returns the page's address on host (the listen address), with the
// token: the one address to open.
func (s *Server) URL(host string) string { return "http://" + host + "/#token=" + s.token }

// Close cancels the running jobs and waits for them to stop.
func (s *Server) Close() error {
	s.stop()
	s.runs.wait()
	return nil
}

// Handler returns the page and the API, answering only requests whose Host
// header is one of hosts (the listen address as host:port), from no other
// origin, and API calls that carry the token.
func (s *Server) Handler(hosts ...string) http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	files := http.FileServerFS(static)
	mux.Handle("GET /{$}", files)
	mux.Handle("GET /app.js", files)
	mux.Handle("GET /app.css", files)
	mux.Handle("GET /favicon.svg", files)

	api := http.NewServeMux()
	api.HandleFunc("GET /api/datasources", s.listDataSources)
	api.HandleFunc("POST /api/datasources", s.addDataSource)
	api.HandleFunc("POST /api/datasources/test", s.testDataSource)
	api.HandleFunc("POST /api/schemas", s.schemas)
	api.HandleFunc("POST /api/tables", s.tables)
	api.HandleFunc("POST /api/columns", s.columns)
	api.HandleFunc("POST /api/preview", s.preview)
	api.HandleFunc("POST /api/check", s.check)
	api.HandleFunc("POST /api/script", s.script)
	api.HandleFunc("POST /api/save", s.save)
	api.HandleFunc("POST /api/runs", s.startRun)
	api.HandleFunc("GET /api/runs/{id}", s.runStatus)
	api.HandleFunc("POST /api/runs/{id}/cancel", s.cancelRun)
	api.HandleFunc("GET /api/runs/{id}/dirty", s.runDirty)
	mux.Handle("/api/", s.requireToken(api))
	return guard(hosts, mux)
}

// Serve serves the UI on ln until ctx is cancelled, answering the Host
// names hosts (ln's address is always among them), then stops the running
// jobs.
func (s *Server) Serve(ctx context.Context, ln net.Listener, hosts ...string) error {
	hosts = append(hosts, ln.Addr().String())
	srv := &http.Server{Handler: s.Handler(hosts...), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	err := srv.Serve(ln)
	<-done
	s.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// maxBody bounds a request's JSON body.
const maxBody = 1 << 20

// decode reads the request's JSON body into v, or answers 400 and returns
// false.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		fail(w, http.StatusBadRequest, "bad request body: %v", err)
		return false
	}
	return true
}

// reply writes v as JSON.
func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// failure is an API error's body.
type failure struct {
	Error  string        `json:"error"`
	Fields []*modelError `json:"fields,omitempty"`
}

func fail(w http.ResponseWriter, status int, format string, args ...any) {
	reply(w, status, failure{Error: fmt.Sprintf(format, args...)})
}
