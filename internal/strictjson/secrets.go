package strictjson

import "reflect"

// Secrets returns the non-empty string values of the fields of v (a struct
// or a pointer to one, searched through nested structs, slices and maps)
// tagged `datasync:"secret"`, so that they can be blotted out of anything
// shown to people.
func Secrets(v any) []string {
	var out []string
	var walk func(rv reflect.Value)
	walk = func(rv reflect.Value) {
		switch rv.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !rv.IsNil() {
				walk(rv.Elem())
			}
		case reflect.Slice, reflect.Array:
			for i := range rv.Len() {
				walk(rv.Index(i))
			}
		case reflect.Map:
			for it := rv.MapRange(); it.Next(); {
				walk(it.Value())
			}
		case reflect.Struct:
			t := rv.Type()
			for i := range t.NumField() {
				sf := t.Field(i)
				if !sf.IsExported() && !sf.Anonymous {
					continue
				}
				fv := rv.Field(i)
				if hasOpt(sf.Tag.Get(Tag), "secret") {
					if fv.Kind() == reflect.String && fv.String() != "" {
						out = append(out, fv.String())
					}
					continue
				}
				walk(fv)
			}
		}
	}
	walk(reflect.ValueOf(v))
	return out
}
