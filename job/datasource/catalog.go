package datasource

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/datasync-go/datasync/internal/strictjson"
)

// EnvPath is the environment variable naming the catalog file.
const EnvPath = "DATASYNC_DATASOURCES"

// DefaultPath returns where the catalog file is when no path is given:
// $DATASYNC_DATASOURCES when set, else datasync/datasources.json under the
// user's configuration directory (os.UserConfigDir: $XDG_CONFIG_HOME or
// ~/.config on Linux, ~/Library/Application Support on macOS, %AppData% on
// Windows).
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no data source catalog: %s is not set and %w", EnvPath, err)
	}
	return filepath.Join(dir, "datasync", "datasources.json"), nil
}

// Catalog is a set of named data sources, as a catalog file holds them:
//
//	{"datasources": [
//	  {"name": "orders_rds", "type": "mysql",
//	   "jdbcUrl": "jdbc:mysql://rds.example.com:3306/shop",
//	   "username": "etl", "password": {"env": "ORDERS_RDS_PASSWORD"}},
//	  {"name": "dw_pg", "type": "postgresql",
//	   "host": "pg.example.com", "database": "dw", "properties": {"sslmode": "require"},
//	   "username": "loader", "password": {"file": "/run/secrets/dw_pg"}},
//	  {"name": "lake", "type": "oss", "endpoint": "https://oss-cn-hangzhou.aliyuncs.com",
//	   "bucket": "lake", "accessId": {"env": "OSS_ACCESS_KEY_ID"},
//	   "accessKey": {"env": "OSS_ACCESS_KEY_SECRET"}}
//	]}
//
// The zero value is an empty catalog, ready to use; a Catalog is safe for
// concurrent use.
type Catalog struct {
	mu      sync.RWMutex
	path    string
	sources []DataSource
}

// catalogFile is the shape of a catalog file.
type catalogFile struct {
	DataSources []DataSource `json:"datasources"`
}

// Error is a catalog that cannot be used as written: every problem, each
// with its JSON path in the file.
type Error struct {
	// Path is the catalog file's ("" for one parsed from bytes).
	Path     string
	Problems []error
}

func (e *Error) Error() string {
	where := "data source catalog"
	if e.Path != "" {
		where += " " + e.Path
	}
	if len(e.Problems) == 1 {
		return where + ": " + e.Problems[0].Error()
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = "  - " + p.Error()
	}
	return where + ": " + strconv.Itoa(len(lines)) + " problems:\n" + strings.Join(lines, "\n")
}

// Unwrap returns the problems.
func (e *Error) Unwrap() []error { return e.Problems }

// New returns a catalog of sources, checked as Add checks them.
func New(sources ...DataSource) (*Catalog, error) {
	c := &Catalog{}
	var problems []error
	for _, d := range sources {
		if err := c.Add(d); err != nil {
			problems = append(problems, err)
		}
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	return c, nil
}

// Load reads the catalog file at path (see Parse). The catalog remembers
// path, for messages and for Save's default.
func Load(path string) (*Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Path: path, Problems: []error{err}}
	}
	c, err := Parse(data)
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.Path = path
		}
		return nil, err
	}
	c.path = path
	return c, nil
}

// LoadDefault reads the catalog at DefaultPath. When DATASYNC_DATASOURCES
// is not set and the default file does not exist, it returns an empty
// catalog (remembering the default path, for Save), not an error.
func LoadDefault() (*Catalog, error) {
	path, err := DefaultPath()
	if err != nil {
		return nil, err
	}
	if os.Getenv(EnvPath) == "" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return &Catalog{path: path}, nil
		}
	}
	return Load(path)
}

// Parse reads a catalog file's content strictly: unknown settings (with
// the likeliest intended name), values of the wrong type, settings a type
// does not take, missing ones and duplicate names are all reported
// together, each with its JSON path (datasources[1].password.evn), in an
// *Error. No secret is resolved.
func Parse(data []byte) (*Catalog, error) {
	var f catalogFile
	var problems []error
	if err := strictjson.Decode(data, &f, ""); err != nil {
		problems = unjoin(err)
	}
	c := &Catalog{}
	seen := map[string]int{}
	for i, d := range f.DataSources {
		path := fmt.Sprintf("datasources[%d]", i)
		problems = append(problems, d.Check(path)...)
		if first, dup := seen[d.Name]; dup && d.Name != "" {
			problems = append(problems, fmt.Errorf("%s.name: %q is already the name of datasources[%d]", path, d.Name, first))
			continue
		}
		seen[d.Name] = i
		c.sources = append(c.sources, d)
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	return c, nil
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Path returns the file the catalog was loaded from ("" for one built in
// code or parsed from bytes).
func (c *Catalog) Path() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.path
}

// Add adds d after checking it (see DataSource.Check). It refuses a name
// the catalog already has.
func (c *Catalog) Add(d DataSource) error {
	if errs := d.Check(""); len(errs) > 0 {
		return fmt.Errorf("data source %q: %w", d.Name, errors.Join(errs...))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.index(d.Name) >= 0 {
		return fmt.Errorf("data source %q: the catalog already has one of that name", d.Name)
	}
	c.sources = append(c.sources, d)
	return nil
}

// Remove removes the data source called name, reporting whether there was
// one.
func (c *Catalog) Remove(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := c.index(name)
	if i < 0 {
		return false
	}
	c.sources = slices.Delete(c.sources, i, i+1)
	return true
}

func (c *Catalog) index(name string) int {
	return slices.IndexFunc(c.sources, func(d DataSource) bool { return d.Name == name })
}

// Lookup returns the data source called name.
func (c *Catalog) Lookup(name string) (DataSource, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if i := c.index(name); i >= 0 {
		return c.sources[i], true
	}
	return DataSource{}, false
}

// Get returns the data source called name, or an error that names the
// catalog and the likeliest intended name:
//
//	no data source named "orders_rsd" in catalog /etc/datasync/datasources.json; did you mean "orders_rds"?
func (c *Catalog) Get(name string) (DataSource, error) {
	if d, ok := c.Lookup(name); ok {
		return d, nil
	}
	where := "the catalog"
	if p := c.Path(); p != "" {
		where = "catalog " + p
	}
	msg := fmt.Sprintf("no data source named %q in %s", name, where)
	names := c.Names()
	switch s := strictjson.Suggest(name, names); {
	case s != "":
		msg += fmt.Sprintf("; did you mean %q?", s)
	case len(names) == 0:
		msg += " (it has none)"
	default:
		msg += "; it has " + strings.Join(names, ", ")
	}
	return DataSource{}, errors.New(msg)
}

// Names returns the data sources' names, sorted.
func (c *Catalog) Names() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, len(c.sources))
	for i, d := range c.sources {
		out[i] = d.Name
	}
	slices.Sort(out)
	return out
}

// All returns the data sources, in the catalog's order.
func (c *Catalog) All() []DataSource {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.sources)
}

// Warnings returns what is allowed but unwise in the catalog: secrets
// written inline.
func (c *Catalog) Warnings() []string {
	var out []string
	for _, d := range c.All() {
		out = append(out, d.Warnings()...)
	}
	return out
}

// Save writes the catalog to path ("" for the path it was loaded from),
// atomically: a reader sees the old file or the new one, never part of
// one. The file is readable by its owner only (mode 0600), since it may
// hold inline secrets; its directory is created (0700) if need be.
func (c *Catalog) Save(path string) error {
	if path == "" {
		path = c.Path()
	}
	if path == "" {
		return errors.New("save the data source catalog: no path")
	}
	data, err := c.encode()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save the data source catalog: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".datasources-*.json")
	if err != nil {
		return fmt.Errorf("save the data source catalog: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(data)
		if err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("save the data source catalog to %s: %w", path, err)
	}
	c.mu.Lock()
	c.path = path
	c.mu.Unlock()
	return nil
}

// encode returns the file's content, inline secrets in clear (unlike
// MarshalJSON, which is for showing).
func (c *Catalog) encode() ([]byte, error) {
	var list []json.RawMessage
	for _, d := range c.All() {
		shown, err := json.Marshal(d) // every setting, secrets masked
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(shown, &m); err != nil {
			return nil, err
		}
		m["jdbcUrl"] = d.JdbcURL
		if d.JdbcURL == "" {
			delete(m, "jdbcUrl")
		}
		if d.Properties != nil {
			m["properties"] = d.Properties
		}
		for key, s := range map[string]Secret{"username": d.Username, "password": d.Password,
			"accessId": d.AccessID, "accessKey": d.AccessKey, "securityToken": d.SecurityToken} {
			if v := s.store(); v != nil {
				m[key] = v
			}
		}
		raw, err := json.Marshal(orderedSource(m))
		if err != nil {
			return nil, err
		}
		list = append(list, raw)
	}
	if list == nil {
		list = []json.RawMessage{}
	}
	out, err := json.MarshalIndent(map[string]any{"datasources": list}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// orderedSource writes m's keys in the order of DataSource's fields, so
// that a saved file reads as a person would write it; keys the order does
// not list follow, sorted, so that no setting is ever dropped.
func orderedSource(m map[string]any) json.RawMessage {
	order := []string{"name", "type", "description", "jdbcUrl", "host", "port", "address", "database", "authDb", "properties",
		"username", "password", "endpoint", "bucket", "region", "accessId", "accessKey", "securityToken"}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for _, k := range order {
		v, ok := m[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		key, _ := json.Marshal(k)
		val, _ := json.Marshal(v)
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return json.RawMessage(b.String())
}
