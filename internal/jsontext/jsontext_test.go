package jsontext

import (
	"encoding/json"
	"testing"
)

func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"":                  `""`,
		"plain":             `"plain"`,
		"a\"b\\c":           `"a\"b\\c"`,
		"l1\nl2\r\t":        `"l1\nl2\r\t"`,
		"\x00\x1f\x7f":      `"\u0000\u001f\u007f"`,
		"émoji 😀 ok":        `"émoji 😀 ok"`,
		"bad \xff byte":     `"bad \ufffd byte"`,
		"cut \xf0\x9f\x98":  `"cut \ufffd\ufffd\ufffd"`,
		"</script> & <tag>": `"</script> & <tag>"`,
	} {
		got, valid := AppendString(nil, in)
		if string(got) != want {
			t.Errorf("AppendString(%q) = %s, want %s", in, got, want)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("AppendString(%q) = %s is not JSON: %v", in, got, err)
		}
		wantValid := in != "bad \xff byte" && in != "cut \xf0\x9f\x98"
		if valid != wantValid {
			t.Errorf("AppendString(%q) valid = %v", in, valid)
		}
		if gotBytes, _ := AppendBytes(nil, []byte(in)); string(gotBytes) != want {
			t.Errorf("AppendBytes(%q) = %s", in, gotBytes)
		}
	}
}

func TestAppendStringDoesNotAllocate(t *testing.T) {
	s := []byte("a fairly ordinary value, with \"quotes\" and é")
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { _, _ = AppendBytes(buf[:0], s) }); n != 0 {
		t.Errorf("AppendBytes allocates %v times", n)
	}
}
