// Package strictjson decodes JSON into Go structs strictly, reporting every
// problem with its JSON path at once: unknown keys (with a suggestion), values
// of the wrong type, missing required settings. It is what lets a job file be
// validated completely before any data moves.
//
// It is lenient where DataX job files are: a number or a boolean may be
// written as a string ("channel": "4"), a single value may stand for a
// list of one ("path": "/data/a.csv"), and "//" and "/* */" comments and
// trailing commas are accepted (see Lenient).
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Error is one problem, at a JSON path such as "job.content[0].reader.name".
type Error struct {
	Path string
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Tag is the struct tag read by Decode: `datasync:"required"` marks a
// setting that must be present, `datasync:"secret"` one whose value must
// never be shown (see Secrets).
const Tag = "datasync"

// Decode decodes data into v, a pointer to a struct, after checking it
// against v's type. Paths start at root ("" for none). It returns nil or the
// errors.Join of every *Error found. Even then it fills v with every setting
// that checked out, leaving the faulty ones at their zero values, so that a
// caller can go on validating what depends on them.
func Decode(data []byte, v any, root string) error {
	data = Lenient(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return joinErrs([]*Error{{Path: root, Msg: syntaxMessage(data, err)}})
	}
	if dec.More() {
		return joinErrs([]*Error{{Path: root, Msg: "unexpected data after the JSON value"}})
	}
	c := &checker{}
	t := reflect.TypeOf(v)
	if t.Kind() != reflect.Pointer {
		return fmt.Errorf("strictjson: Decode needs a pointer, got %v", t)
	}
	normalized, ok := c.check(tree, t.Elem(), root)
	if ok {
		clean, err := json.Marshal(normalized)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(clean, v); err != nil {
			c.fail(root, "%v", err)
		}
	}
	if len(c.errs) > 0 {
		return joinErrs(c.errs)
	}
	return nil
}

func joinErrs(errs []*Error) error {
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return errors.Join(out...)
}

// syntaxMessage says where a JSON syntax error is, by line and column.
func syntaxMessage(data []byte, err error) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		line := 1 + bytes.Count(data[:syntax.Offset], []byte("\n"))
		col := int(syntax.Offset) - bytes.LastIndexByte(data[:syntax.Offset], '\n') - 1
		return fmt.Sprintf("invalid JSON at line %d, column %d: %v", line, col, syntax)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "invalid JSON: the document ends too early"
	}
	return "invalid JSON: " + err.Error()
}

type checker struct {
	errs []*Error
}

func (c *checker) fail(path, format string, args ...any) {
	c.errs = append(c.errs, &Error{Path: path, Msg: fmt.Sprintf(format, args...)})
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
)

// check validates val (from a UseNumber decode) against t and returns it
// normalized to what encoding/json will accept for t, and false when it is
// faulty and must be left out.
func (c *checker) check(val any, t reflect.Type, path string) (any, bool) {
	if val == nil {
		return nil, true // null leaves the zero value, as encoding/json does
	}
	if t == rawMessageType || t.Kind() == reflect.Interface {
		return val, true
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		// A struct that decodes itself from an object (as well as from other
		// shapes) still has its keys and their types checked.
		if _, isObject := val.(map[string]any); isObject && t.Kind() == reflect.Struct {
			before := len(c.errs)
			c.checkStruct(val, t, path)
			if len(c.errs) > before {
				return nil, false
			}
		}
		raw, _ := json.Marshal(val)
		target := reflect.New(t).Interface().(json.Unmarshaler)
		if err := target.UnmarshalJSON(raw); err != nil {
			c.fail(path, "%v", err)
			return nil, false
		}
		return val, true
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textUnmarshalerType) {
		// A value that reads itself from a string, such as a kind name:
		// encoding/json calls UnmarshalText, so a string is what it takes.
		s, ok := val.(string)
		if !ok {
			c.fail(path, "want a string, got %s", describe(val))
			return nil, false
		}
		target := reflect.New(t).Interface().(encoding.TextUnmarshaler)
		if err := target.UnmarshalText([]byte(s)); err != nil {
			c.fail(path, "%v", err)
			return nil, false
		}
		return s, true
	}
	switch t.Kind() {
	case reflect.Pointer:
		return c.check(val, t.Elem(), path)
	case reflect.String:
		switch v := val.(type) {
		case string:
			return v, true
		case json.Number:
			return v.String(), true // DataX files often give numbers where text is meant
		}
		c.fail(path, "want a string, got %s", describe(val))
	case reflect.Bool:
		switch v := val.(type) {
		case bool:
			return v, true
		case string:
			if b, err := strconv.ParseBool(v); err == nil {
				return b, true
			}
		}
		c.fail(path, "want true or false, got %s", describe(val))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		// The number is written back in JSON's own syntax: strconv takes
		// "+4", "007" and "0x1p4", which encoding/json does not.
		if n, ok := wholeNumber(numberText(val)); ok {
			zero := reflect.New(t).Elem()
			signed := t.Kind() <= reflect.Int64
			if signed && !zero.OverflowInt(n) || !signed && n >= 0 && !zero.OverflowUint(uint64(n)) {
				return json.Number(strconv.FormatInt(n, 10)), true
			}
			c.fail(path, "%d is out of the range of this setting (%v)", n, t)
			return nil, false
		}
		c.fail(path, "want a whole number, got %s", describe(val))
	case reflect.Float32, reflect.Float64:
		if text := numberText(val); text != "" {
			f, err := strconv.ParseFloat(text, 64)
			if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) && !reflect.New(t).Elem().OverflowFloat(f) {
				return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), true
			}
		}
		c.fail(path, "want a number, got %s", describe(val))
	case reflect.Slice, reflect.Array:
		items, ok := val.([]any)
		if !ok {
			items = []any{val} // a single value stands for a list of one
		}
		out := make([]any, len(items))
		for i, item := range items {
			out[i], _ = c.check(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
		return out, true
	case reflect.Map:
		obj, ok := val.(map[string]any)
		if !ok {
			c.fail(path, "want an object, got %s", describe(val))
			return nil, false
		}
		out := make(map[string]any, len(obj))
		for _, k := range sortedKeys(obj) {
			if v, ok := c.check(obj[k], t.Elem(), join(path, k)); ok {
				out[k] = v
			}
		}
		return out, true
	case reflect.Struct:
		return c.checkStruct(val, t, path)
	default:
		c.fail(path, "cannot decode into %v", t)
	}
	return nil, false
}

func (c *checker) checkStruct(val any, t reflect.Type, path string) (any, bool) {
	obj, ok := val.(map[string]any)
	if !ok {
		c.fail(path, "want an object, got %s", describe(val))
		return nil, false
	}
	fields := fieldsOf(t)
	out := make(map[string]any, len(obj))
	for _, k := range sortedKeys(obj) {
		f, ok := fields[k]
		if !ok {
			msg := fmt.Sprintf("unknown setting %q", k)
			if s := Suggest(k, slices.Collect(mapKeys(fields))); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			c.fail(join(path, k), "%s", msg)
			continue
		}
		if v, ok := c.check(obj[k], f.typ, join(path, k)); ok {
			out[k] = v
		}
	}
	for _, name := range sortedFieldNames(fields) {
		if f := fields[name]; f.required {
			switch v, present := obj[name]; {
			case !present || v == nil || v == "":
				c.fail(join(path, name), "missing required setting")
			case isEmptyList(v):
				c.fail(join(path, name), "needs at least one entry")
			}
		}
	}
	return out, true
}

// field is a JSON-visible struct field.
type field struct {
	typ      reflect.Type
	required bool
	secret   bool
}

// fieldsOf returns the JSON names of t's fields, promoting those of embedded
// structs as encoding/json does (the shallowest wins).
func fieldsOf(t reflect.Type) map[string]field {
	out := map[string]field{}
	var walk func(t reflect.Type, depth int, seen map[string]int)
	walk = func(t reflect.Type, depth int, seen map[string]int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous && name == "" {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, depth+1, seen)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if d, ok := seen[name]; ok && d <= depth {
				continue
			}
			seen[name] = depth
			opts := sf.Tag.Get(Tag)
			out[name] = field{typ: sf.Type, required: hasOpt(opts, "required"), secret: hasOpt(opts, "secret")}
		}
	}
	walk(t, 0, map[string]int{})
	return out
}

func hasOpt(opts, want string) bool {
	for o := range strings.SplitSeq(opts, ",") {
		if strings.TrimSpace(o) == want {
			return true
		}
	}
	return false
}

func isEmptyList(v any) bool {
	list, ok := v.([]any)
	return ok && len(list) == 0
}

// wholeNumber reads text as an int64: digits, or a number with no
// fraction within the range ("1e3", "12.0").
func wholeNumber(text string) (int64, bool) {
	if text == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

func numberText(val any) string {
	switch v := val.(type) {
	case json.Number:
		return v.String()
	case string:
		return strings.TrimSpace(v)
	}
	return ""
}

func describe(val any) string {
	switch v := val.(type) {
	case string:
		return "a string"
	case json.Number:
		return "the number " + v.String()
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedFieldNames(m map[string]field) []string {
	keys := slices.Collect(mapKeys(m))
	slices.Sort(keys)
	return keys
}

func mapKeys[V any](m map[string]V) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
