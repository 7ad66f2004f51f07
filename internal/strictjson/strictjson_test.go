package strictjson_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/internal/strictjson"
)

type common struct {
	Column []string `json:"column"`
	Where  string   `json:"where"`
}

type conn struct {
	JdbcURL []string `json:"jdbcUrl" datasync:"required"`
	Table   []string `json:"table"`
}

type params struct {
	common
	Username   string            `json:"username"`
	Password   string            `json:"password" datasync:"secret"`
	FetchSize  int               `json:"fetchSize"`
	Ratio      float64           `json:"ratio"`
	Truncate   bool              `json:"truncate"`
	Connection []conn            `json:"connection" datasync:"required"`
	Extra      json.RawMessage   `json:"extra"`
	Labels     map[string]string `json:"labels"`
	Pool       *struct{}         `json:"-"`
	Kind       kindName          `json:"kind"`
}

// spec decodes itself from a string or an object, as DataX column specs do.
type spec struct {
	Index int    `json:"index"`
	Type  string `json:"type"`
}

func (s *spec) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &s.Type)
	}
	type plain spec
	return json.Unmarshal(b, (*plain)(s))
}

func TestSelfDecodingStructsStillHaveTheirKeysChecked(t *testing.T) {
	var p struct {
		Column []spec `json:"column"`
	}
	require.NoError(t, strictjson.Decode([]byte(`{"column": ["long", {"index": 1, "type": "string"}]}`), &p, ""))
	assert.Equal(t, []spec{{Type: "long"}, {Index: 1, Type: "string"}}, p.Column)
	err := strictjson.Decode([]byte(`{"column": [{"index": "x", "typ": "long"}]}`), &p, "")
	assert.EqualError(t, err, "column[0].index: want a whole number, got a string\n"+`column[0].typ: unknown setting "typ"; did you mean "type"?`)
}

// kindName has its own UnmarshalJSON, whose errors get a path too.
type kindName string

func (k *kindName) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil || (s != "long" && s != "string") {
		return errors.New(`want "long" or "string"`)
	}
	*k = kindName(s)
	return nil
}

func problems(err error) []string {
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		out = append(out, line)
	}
	return out
}

func TestDecodeAcceptsAValidDocumentAndDataXLeniency(t *testing.T) {
	var p params
	err := strictjson.Decode([]byte(`{
		"column": "id", "where": "x > 1", "username": "u", "password": "p",
		"fetchSize": "1024", "ratio": 0.5, "truncate": "true",
		"connection": [{"jdbcUrl": "jdbc:mysql://h/db", "table": ["t"]}],
		"extra": {"anything": [1, 2]}, "labels": {"a": "b"}, "kind": "long"
	}`), &p, "parameter")
	require.NoError(t, err)
	assert.Equal(t, []string{"id"}, p.Column, "a single value stands for a list of one")
	assert.Equal(t, 1024, p.FetchSize, "a number may be written as a string")
	assert.True(t, p.Truncate)
	assert.Equal(t, []string{"jdbc:mysql://h/db"}, p.Connection[0].JdbcURL)
	assert.JSONEq(t, `{"anything": [1, 2]}`, string(p.Extra))
	assert.Equal(t, kindName("long"), p.Kind)
	assert.Equal(t, []string{"p"}, strictjson.Secrets(&p))
}

func TestDecodeReportsEveryProblemWithItsPath(t *testing.T) {
	var p params
	err := strictjson.Decode([]byte(`{
		"colum": ["id"], "fetchSize": "many", "ratio": true, "truncate": 3,
		"connection": [{"table": "t", "jdbcurl": "x"}], "labels": [], "kind": "double", "Where": "y"
	}`), &p, "job.content[0].reader.parameter")
	require.Error(t, err)
	assert.Equal(t, []string{
		`job.content[0].reader.parameter.Where: unknown setting "Where"; did you mean "where"?`,
		`job.content[0].reader.parameter.colum: unknown setting "colum"; did you mean "column"?`,
		`job.content[0].reader.parameter.connection[0].jdbcurl: unknown setting "jdbcurl"; did you mean "jdbcUrl"?`,
		`job.content[0].reader.parameter.connection[0].jdbcUrl: missing required setting`,
		`job.content[0].reader.parameter.fetchSize: want a whole number, got a string`,
		`job.content[0].reader.parameter.kind: want "long" or "string"`,
		`job.content[0].reader.parameter.labels: want an object, got a list`,
		`job.content[0].reader.parameter.ratio: want a number, got a boolean`,
		`job.content[0].reader.parameter.truncate: want true or false, got the number 3`,
	}, problems(err))
	var one *strictjson.Error
	assert.ErrorAs(t, err, &one)
}

func TestMissingRequiredAndSyntaxErrors(t *testing.T) {
	var p params
	err := strictjson.Decode([]byte(`{}`), &p, "p")
	assert.EqualError(t, err, "p.connection: missing required setting")

	err = strictjson.Decode([]byte("{\n  \"a\": 1,\n  \"b\" 2\n}"), &p, "")
	assert.ErrorContains(t, err, "invalid JSON at line 3, column 7")
	err = strictjson.Decode([]byte(`{"a": [1, `), &p, "")
	assert.ErrorContains(t, err, "ends too early")
	err = strictjson.Decode([]byte(`{} {}`), &p, "")
	assert.ErrorContains(t, err, "unexpected data after the JSON value")
}

func TestSuggest(t *testing.T) {
	names := []string{"column", "where", "splitPk", "querySql", "fetchSize"}
	assert.Equal(t, "column", strictjson.Suggest("colunm", names))
	assert.Equal(t, "splitPk", strictjson.Suggest("splitPK", names))
	assert.Equal(t, "querySql", strictjson.Suggest("querySQL", names))
	assert.Equal(t, "where", strictjson.Suggest("whre", names))
	assert.Equal(t, "", strictjson.Suggest("password", names))
	assert.Equal(t, "", strictjson.Suggest("xy", names))
}

// level reads itself from text, as datasync.Kind does.
type level int

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "low":
		*l = 1
	case "high":
		*l = 2
	default:
		return fmt.Errorf("%q is not low or high", b)
	}
	return nil
}

func TestTextUnmarshalersTakeStrings(t *testing.T) {
	var p struct {
		Level  level   `json:"level"`
		Levels []level `json:"levels"`
	}
	require.NoError(t, strictjson.Decode([]byte(`{"level": "high", "levels": ["low", "high"]}`), &p, ""))
	assert.Equal(t, level(2), p.Level)
	assert.Equal(t, []level{1, 2}, p.Levels)
	err := strictjson.Decode([]byte(`{"level": 2, "levels": ["mid"]}`), &p, "")
	assert.EqualError(t, err, "level: want a string, got the number 2\n"+`levels[0]: "mid" is not low or high`)
}
