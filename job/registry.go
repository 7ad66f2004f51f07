package job

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
	params   reflect.Type
	build    func(params any) (datasync.Source, error)
	accepted []Accepted
	refuse   Refusal
}

// SinkFactory builds Sinks from decoded parameters of one type.
type SinkFactory struct {
	params   reflect.Type
	build    func(params any) (datasync.Sink, error)
	accepted []Accepted
	refuse   Refusal
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

// Secrets returns the values of the settings tagged `datasync:"secret"` in
// params (as returned by Decode), for redaction.
func Secrets(params any) []string { return strictjson.Secrets(params) }

// Registry is a set of connectors that job files can name. The zero value
// is not usable; make one with NewRegistry. A Registry is safe for
// concurrent use. DefaultRegistry is the one Parse uses when Options give
// none; package job/builtin fills it with the built-in connectors.
type Registry struct {
	mu         sync.RWMutex
	connectors map[string]Connector
	stepTypes  map[string]stepType
}

// stepType is what a DataWorks stepType stands for: a reader and a writer
// connector name ("" for none).
type stepType struct{ reader, writer string }

// NewRegistry returns an empty registry: a program can build one with only
// the connectors it wants, apart from DefaultRegistry.
func NewRegistry() *Registry {
	return &Registry{connectors: map[string]Connector{}, stepTypes: map[string]stepType{}}
}

// DefaultRegistry is the registry used when Options.Registry is nil.
// Importing job/builtin registers the built-in connectors in it.
var DefaultRegistry = NewRegistry()

// Register makes a connector available under name. It panics if name is
// empty, already registered, or c has neither factory, as database/sql's
// Register does: these are programming errors caught at start-up.
func (r *Registry) Register(name string, c Connector) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "" || (c.Source == nil && c.Sink == nil) {
		panic(fmt.Sprintf("job: Register(%q) needs a name and a Source or Sink factory", name))
	}
	if _, dup := r.connectors[name]; dup {
		panic(fmt.Sprintf("job: Register called twice for %q", name))
	}
	r.connectors[name] = c
}

// Lookup returns the connector registered under name.
func (r *Registry) Lookup(name string) (Connector, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.connectors[name]
	return c, ok
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.connectors))
}

// SourceNames returns the names of the registered connectors that can read,
// sorted.
func (r *Registry) SourceNames() []string {
	return r.namesWhere(func(c Connector) bool { return c.Source != nil })
}

// SinkNames returns the names of the registered connectors that can write,
// sorted.
func (r *Registry) SinkNames() []string {
	return r.namesWhere(func(c Connector) bool { return c.Sink != nil })
}

func (r *Registry) namesWhere(keep func(Connector) bool) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for name, c := range r.connectors {
		if keep(c) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// RegisterStepType makes a DataWorks stepType ("mysql", "oss") stand for
// connectors: a step of category reader uses readerName, one of category
// writer writerName; either may be "" when the system cannot play that
// role. The connectors need not be registered yet: a script naming them is
// checked when parsed. It panics if stepType is empty or already
// registered, or both names are empty.
func (r *Registry) RegisterStepType(stepTypeName, readerName, writerName string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if stepTypeName == "" || (readerName == "" && writerName == "") {
		panic(fmt.Sprintf("job: RegisterStepType(%q) needs a stepType and a reader or writer name", stepTypeName))
	}
	if _, dup := r.stepTypes[stepTypeName]; dup {
		panic(fmt.Sprintf("job: RegisterStepType called twice for %q", stepTypeName))
	}
	r.stepTypes[stepTypeName] = stepType{reader: readerName, writer: writerName}
}

// StepType returns the connector names a DataWorks stepType stands for.
func (r *Registry) StepType(name string) (readerName, writerName string, ok bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	st, ok := r.stepTypes[name]
	return st.reader, st.writer, ok
}

// StepTypes returns the registered stepTypes, sorted.
func (r *Registry) StepTypes() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.stepTypes))
}
