package strictjson

import "reflect"

// Strings calls fn with every string held by v (through pointers, structs,
// slices, arrays and maps), saying whether its field is tagged
// `datasync:"secret"`.
func Strings(v any, fn func(s string, secret bool)) {
	var walk func(rv reflect.Value, secret bool)
	walk = func(rv reflect.Value, secret bool) {
		switch rv.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !rv.IsNil() {
				walk(rv.Elem(), secret)
			}
		case reflect.Slice, reflect.Array:
			if rv.Type().Elem().Kind() == reflect.Uint8 {
				return // raw bytes (json.RawMessage), not settings
			}
			for i := range rv.Len() {
				walk(rv.Index(i), secret)
			}
		case reflect.Map:
			for it := rv.MapRange(); it.Next(); {
				walk(it.Value(), secret)
			}
		case reflect.Struct:
			t := rv.Type()
			for i := range t.NumField() {
				if sf := t.Field(i); sf.IsExported() || sf.Anonymous {
					walk(rv.Field(i), secret || hasOpt(sf.Tag.Get(Tag), "secret"))
				}
			}
		case reflect.String:
			if rv.String() != "" {
				fn(rv.String(), secret)
			}
		}
	}
	walk(reflect.ValueOf(v), false)
}

// Secrets returns the non-empty string values of the fields of v tagged
// `datasync:"secret"` (see Strings), so that they can be blotted out of
// anything shown to people.
func Secrets(v any) []string {
	var out []string
	Strings(v, func(s string, secret bool) {
		if secret {
			out = append(out, s)
		}
	})
	return out
}
