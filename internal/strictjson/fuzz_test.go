package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/datasync-go/datasync/internal/strictjson"
)

// fuzzSelf decodes itself from a string or an object, as ColumnSpec does.
type fuzzSelf struct {
	Name  string `json:"name"`
	Index *int   `json:"index"`
}

func (s *fuzzSelf) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		return json.Unmarshal(data, &s.Name)
	}
	type plain fuzzSelf
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*s = fuzzSelf(p)
	return nil
}

type fuzzInner struct {
	URL   []string `json:"url" datasync:"required"`
	Table string   `json:"table"`
}

type fuzzEmbedded struct {
	Where string `json:"where"`
}

// fuzzTarget has a field of every shape job-file settings use.
type fuzzTarget struct {
	fuzzEmbedded
	Name     string            `json:"name" datasync:"required"`
	Password string            `json:"password" datasync:"secret"`
	Channel  int               `json:"channel"`
	Small    int8              `json:"small"`
	Count    uint32            `json:"count"`
	Byte     float64           `json:"byte"`
	Ratio    float32           `json:"ratio"`
	Limit    *int64            `json:"limit"`
	On       bool              `json:"on"`
	Columns  []string          `json:"columns"`
	Conns    []fuzzInner       `json:"conns"`
	Env      map[string]string `json:"env"`
	Sizes    map[string]int    `json:"sizes"`
	Raw      json.RawMessage   `json:"raw"`
	Any      any               `json:"any"`
	Self     []fuzzSelf        `json:"self"`
	Ptr      *fuzzInner        `json:"ptr"`
}

// FuzzDecode decodes arbitrary JSON into a struct of every shape: every
// problem is a *strictjson.Error whose path starts at the root given and
// whose message says something, and a document that both strictjson and
// encoding/json accept decodes to the same value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"name":"n","channel":"4","on":"true","columns":"a","conns":[{"url":"u"}],"limit":null}`,
		`{"name":"n","byte":"+1.5","ratio":".5"}`, `{"name":"n","channel":"007"}`, `{"name":"n","channel":"+4"}`,
		`{"name":"n","byte":"NaN"}`, `{"name":"n","byte":"0x1p4"}`, `{"name":"n","small":300}`, `{"name":"n","count":-1}`,
		`{"name":"n","ratio":1e300}`, `{"name":"n","channel":1e30}`, `{"name":"n","channel":"1.0"}`,
		`{"nmae":"n","conns":[{}],"sizes":{"a":"x"}}`, `{"name":"n","self":["a",{"name":"b","index":1},{"nam":1}]}`,
		`{"name":"n","ptr":{"url":[]},"where":"w","env":{"k":1}}`, `{"name":"n"} {}`, `{"name":`, `[]`, `null`,
		`{"name":"n","raw":{"any":[1,2]},"any":{"x":null}}`, `{"name":"","Name":"x"}`,
	} {
		f.Add([]byte(s), "job")
	}
	f.Fuzz(func(t *testing.T, data []byte, root string) {
		var got fuzzTarget
		err := strictjson.Decode(data, &got, root)
		if err != nil {
			for _, e := range unjoin(err) {
				var se *strictjson.Error
				if !errors.As(e, &se) {
					t.Fatalf("%s: %T %q is not a *strictjson.Error", data, e, e)
				}
				if se.Msg == "" || se.Path == root && strings.Contains(se.Msg, "cannot unmarshal") {
					t.Fatalf("%s: an error at %q says nothing or names no setting: %q", data, se.Path, se.Msg)
				}
				if root != "" && se.Path != root && !strings.HasPrefix(se.Path, root+".") && !strings.HasPrefix(se.Path, root+"[") {
					t.Fatalf("%s: error path %q is not under %q", data, se.Path, root)
				}
			}
			return
		}
		var want fuzzTarget
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if dec.Decode(&want) != nil || dec.More() {
			return // one of strictjson's leniencies: "4" for 4, a value for a list
		}
		if !reflect.DeepEqual(normalize(t, got), normalize(t, want)) {
			t.Fatalf("%s: strictjson gives %+v, encoding/json %+v", data, got, want)
		}
	})
}

// normalize returns v's JSON text, so that RawMessage whitespace and
// number types compare as encoding/json would write them.
func normalize(t *testing.T, v fuzzTarget) string {
	var b bytes.Buffer
	if len(v.Raw) > 0 {
		if err := json.Compact(&b, v.Raw); err == nil {
			v.Raw = b.Bytes()
		}
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// TestNumbersFromStringsInAnySyntax decodes numbers given as strings in
// syntax strconv reads but JSON does not ("+4", "007", ".5", "0x1p4"):
// re-encoding them failed the whole document with an error naming no
// setting (and hiding every other problem). Numbers out of the range of
// their field, and NaN and infinities, are errors at their path.
func TestNumbersFromStringsInAnySyntax(t *testing.T) {
	var v fuzzTarget
	err := strictjson.Decode([]byte(`{"name":"n","channel":"007","small":"+4","byte":".5","ratio":"0x1p4","limit":"1e3"}`), &v, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Channel != 7 || v.Small != 4 || v.Byte != 0.5 || v.Ratio != 16 || *v.Limit != 1000 {
		t.Errorf("got %+v", v)
	}
	for doc, path := range map[string]string{
		`{"name":"n","small":300}`:      "small",
		`{"name":"n","count":-1}`:       "count",
		`{"name":"n","ratio":1e300}`:    "ratio",
		`{"name":"n","byte":"NaN"}`:     "byte",
		`{"name":"n","byte":"-Inf"}`:    "byte",
		`{"name":"n","channel":"1e30"}`: "channel",
	} {
		err := strictjson.Decode([]byte(doc), &v, "")
		var se *strictjson.Error
		if !errors.As(err, &se) || se.Path != path || len(unjoin(err)) != 1 {
			t.Errorf("%s: got %v, want one error at %s", doc, err, path)
		}
	}
}
