package connector

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/strictjson"
)

// Connector is what is registered under a name: how to build a Source, a
// Sink, or both. A nil factory means the connector cannot play that role.
type Connector struct {
	Source *SourceFactory
	Sink   *SinkFactory
}

// SourceFactory builds Sources from decoded parameters of one type.
type SourceFactory struct {
	params reflect.Type
	build  func(params any) (datasync.Source, error)
}

// SinkFactory builds Sinks from decoded parameters of one type.
type SinkFactory struct {
	params reflect.Type
	build  func(params any) (datasync.Sink, error)
}

// SourceFunc returns a SourceFactory that decodes "parameter" into a P and
// calls build with it.
func SourceFunc[P any](build func(p *P) (datasync.Source, error)) *SourceFactory {
	return &SourceFactory{params: reflect.TypeFor[P](), build: func(p any) (datasync.Source, error) { return build(p.(*P)) }}
}

// SinkFunc returns a SinkFactory that decodes "parameter" into a P and calls
// build with it.
func SinkFunc[P any](build func(p *P) (datasync.Sink, error)) *SinkFactory {
	return &SinkFactory{params: reflect.TypeFor[P](), build: func(p any) (datasync.Sink, error) { return build(p.(*P)) }}
}

// Decode decodes a "parameter" object into a new parameter value, strictly
// (see the package doc); errors are *ParamError, joined.
func (f *SourceFactory) Decode(raw json.RawMessage) (any, error) { return decode(f.params, raw) }

// Build builds a Source from parameters returned by Decode.
func (f *SourceFactory) Build(params any) (datasync.Source, error) { return f.build(params) }

// Decode decodes a "parameter" object into a new parameter value, strictly
// (see the package doc); errors are *ParamError, joined.
func (f *SinkFactory) Decode(raw json.RawMessage) (any, error) { return decode(f.params, raw) }

// Build builds a Sink from parameters returned by Decode.
func (f *SinkFactory) Build(params any) (datasync.Sink, error) { return f.build(params) }

// ParamError is a problem with one setting of a connector's parameters.
// Path is a JSON path relative to the "parameter" object, such as
// "connection[0].jdbcUrl", or "" for the object as a whole. Factories may
// return ParamErrors too, to point at the setting at fault.
type ParamError struct {
	Path string
	Err  error
}

func (e *ParamError) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ParamError) Unwrap() error { return e.Err }

func decode(t reflect.Type, raw json.RawMessage) (any, error) {
	p := reflect.New(t).Interface()
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	err := strictjson.Decode(raw, p, "")
	if err == nil {
		return p, nil
	}
	var out []error
	for _, e := range unjoin(err) {
		var se *strictjson.Error
		if errors.As(e, &se) {
			out = append(out, &ParamError{Path: se.Path, Err: errors.New(se.Msg)})
		} else {
			out = append(out, &ParamError{Err: e})
		}
	}
	return nil, errors.Join(out...)
}

// unjoin lists the errors joined in err (err itself when it is not joined).
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Secrets returns the values of the settings tagged `datasync:"secret"` in
// params (as returned by Decode), for redaction.
func Secrets(params any) []string { return strictjson.Secrets(params) }

var (
	mu       sync.RWMutex
	registry = map[string]Connector{}
)

// Register makes a connector available under name. It panics if name is
// empty, already registered, or c has neither factory, as database/sql's
// Register does: these are programming errors caught at start-up.
func Register(name string, c Connector) {
	mu.Lock()
	defer mu.Unlock()
	if name == "" || (c.Source == nil && c.Sink == nil) {
		panic(fmt.Sprintf("connector: Register(%q) needs a name and a Source or Sink factory", name))
	}
	if _, dup := registry[name]; dup {
		panic(fmt.Sprintf("connector: Register called twice for %q", name))
	}
	registry[name] = c
}

// Lookup returns the connector registered under name.
func Lookup(name string) (Connector, bool) {
	mu.RLock()
	defer mu.RUnlock()
	c, ok := registry[name]
	return c, ok
}

// Names returns the registered names, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	return slices.Sorted(maps.Keys(registry))
}

// SourceNames returns the names of the registered connectors that can read,
// sorted; SinkNames those that can write.
func SourceNames() []string { return namesWhere(func(c Connector) bool { return c.Source != nil }) }

// SinkNames returns the names of the registered connectors that can write,
// sorted.
func SinkNames() []string { return namesWhere(func(c Connector) bool { return c.Sink != nil }) }

func namesWhere(keep func(Connector) bool) []string {
	mu.RLock()
	defer mu.RUnlock()
	var out []string
	for name, c := range registry {
		if keep(c) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
