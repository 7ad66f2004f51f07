package strictjson_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/strictjson"
)

func TestLenientBlanksCommentsAndTrailingCommasInPlace(t *testing.T) {
	in := "// head\n{\"a\": \"//x/*y*/\", /* c\nd */ \"b\": [1, 2,],\n \"c\": {\"d\": \"\\\"//\",},}"
	out := strictjson.Lenient([]byte(in))
	require.Len(t, out, len(in), "offsets are kept")
	assert.Equal(t, "       \n{\"a\": \"//x/*y*/\",     \n     \"b\": [1, 2 ],\n \"c\": {\"d\": \"\\\"//\" } }", string(out))
	assert.Equal(t, "// head\n{\"a\": \"//x/*y*/\", /* c\nd */ \"b\": [1, 2,],\n \"c\": {\"d\": \"\\\"//\",},}", in, "the input is not changed")

	var v struct {
		A string `json:"a"`
		B []int  `json:"b"`
		C struct {
			D string `json:"d"`
		} `json:"c"`
	}
	require.NoError(t, strictjson.Decode([]byte(in), &v, ""))
	assert.Equal(t, "//x/*y*/", v.A)
	assert.Equal(t, []int{1, 2}, v.B)
	assert.Equal(t, `"//`, v.C.D)

	// What stays an error: an empty element, a comma after an opening
	// bracket, an unterminated comment; errors point into the file as
	// written.
	for doc, want := range map[string]string{
		"{\"b\": [1,,]}":           "line 1, column 10",
		"{\"b\": [,]}":             "line 1, column 8",
		"/* x\n */ {\"a\": 1,,}":   "line 2, column 13",
		"{\"a\": 1} /* unfinished": "unexpected data after the JSON value",
	} {
		err := strictjson.Decode([]byte(doc), &v, "")
		require.Error(t, err, doc)
		assert.Contains(t, err.Error(), want, doc)
	}
	same := []byte(`{"a": "x"}`)
	assert.Same(t, &same[0], &strictjson.Lenient(same)[0], "nothing to blank out: no copy")
}
