package connector_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/memcache"
	"github.com/datasync-go/datasync/connector/mongodb"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/connector/redis"
	"github.com/datasync-go/datasync/connector/stream"
)

// configCase is one exported config of a connector, filled with a secret in
// every field that can hold one.
type configCase struct {
	name    string // package.Type, as found in the source
	value   any
	fields  []string // the fields holding secrets: those tagged datasync:"secret"
	secrets []string // text that must never be shown
}

// The secrets are distinct, so that a failure says which one leaked, and
// hold characters that connection strings escape.
var secretConfigs = []configCase{
	{
		name: "mysql.SourceConfig",
		value: mysql.SourceConfig{
			DSN:   "etl:My-S3cret@pw:x@tcp(db.internal:3306)/shop?tls=skip-verify",
			Table: "orders",
		},
		fields:  []string{"DSN"},
		secrets: []string{"My-S3cret"},
	},
	{
		name:    "mysql.SinkConfig",
		value:   mysql.SinkConfig{DSN: "etl:My-S1nk/pw@tcp(db.internal)/shop", Table: "orders"},
		fields:  []string{"DSN"},
		secrets: []string{"My-S1nk"},
	},
	{
		name: "postgres.SourceConfig",
		value: postgres.SourceConfig{
			DSN:   "postgres://etl:Pg-Url-S3cret%40x@db.internal:5432/shop?sslmode=verify-full&sslpassword=Pg-Key-S3cret",
			Table: "orders",
		},
		fields:  []string{"DSN"},
		secrets: []string{"Pg-Url-S3cret", "Pg-Key-S3cret"},
	},
	{
		name: "postgres.SourceConfig",
		value: postgres.SourceConfig{
			DSN:   `host=db.internal user=etl password='Pg-Kv S3cret\'x' dbname=shop sslpassword=Pg-Kv-Key`,
			Table: "orders",
		},
		fields:  []string{"DSN"},
		secrets: []string{"Pg-Kv S3cret", "S3cret\\'x", "Pg-Kv-Key"},
	},
	{
		name:    "postgres.SourceConfig",
		value:   postgres.SourceConfig{DSN: "postgresql://db.internal/shop?user=etl&password=Pg-Query-S3cret", Table: "orders"},
		fields:  []string{"DSN"},
		secrets: []string{"Pg-Query-S3cret"},
	},
	{
		name:    "postgres.SinkConfig",
		value:   postgres.SinkConfig{DSN: "host=db.internal password = Pg-Sink-S3cret dbname=shop", Table: "orders"},
		fields:  []string{"DSN"},
		secrets: []string{"Pg-Sink-S3cret"},
	},
	{
		name: "oss.SourceConfig",
		value: oss.SourceConfig{
			Endpoint: "oss-cn-hangzhou.aliyuncs.com", Bucket: "b", Object: []string{"in/"},
			AccessID: "LTAI-Src-Id", AccessKey: "Oss-Src-Key", SecurityToken: "Oss-Src-Token",
		},
		fields:  []string{"AccessID", "AccessKey", "SecurityToken"},
		secrets: []string{"LTAI-Src-Id", "Oss-Src-Key", "Oss-Src-Token"},
	},
	{
		name: "oss.SinkConfig",
		value: oss.SinkConfig{
			Endpoint: "oss-cn-hangzhou.aliyuncs.com", Bucket: "b", Object: "out/",
			AccessID: "LTAI-Sink-Id", AccessKey: "Oss-Sink-Key", SecurityToken: "Oss-Sink-Token",
		},
		fields:  []string{"AccessID", "AccessKey", "SecurityToken"},
		secrets: []string{"LTAI-Sink-Id", "Oss-Sink-Key", "Oss-Sink-Token"},
	},
	{
		name: "oss.ProbeConfig",
		value: oss.ProbeConfig{
			Endpoint: "oss-cn-hangzhou.aliyuncs.com", Bucket: "b",
			AccessID: "LTAI-Probe-Id", AccessKey: "Oss-Probe-Key", SecurityToken: "Oss-Probe-Token",
		},
		fields:  []string{"AccessID", "AccessKey", "SecurityToken"},
		secrets: []string{"LTAI-Probe-Id", "Oss-Probe-Key", "Oss-Probe-Token"},
	},
	{
		name:    "mongodb.SourceConfig",
		value:   mongodb.SourceConfig{URI: "mongodb://reader:Mongo-Src-Pw@db.internal:27017/shop", Database: "shop", Collection: "orders"},
		fields:  []string{"URI"},
		secrets: []string{"Mongo-Src-Pw"},
	},
	{
		name:    "mongodb.SinkConfig",
		value:   mongodb.SinkConfig{URI: "mongodb://writer:Mongo-Sink-Pw@db.internal:27017/shop", Database: "shop", Collection: "copy"},
		fields:  []string{"URI"},
		secrets: []string{"Mongo-Sink-Pw"},
	},
	{
		name:    "redis.SourceConfig",
		value:   redis.SourceConfig{Conn: redis.Conn{Addr: "cache.internal:6379", Username: "etl", Password: "Redis-Src-Pw"}},
		fields:  []string{"Password"},
		secrets: []string{"Redis-Src-Pw"},
	},
	{
		name:    "redis.SinkConfig",
		value:   redis.SinkConfig{Conn: redis.Conn{Addr: "cache.internal:6379", Username: "etl", Password: "Redis-Sink-Pw"}},
		fields:  []string{"Password"},
		secrets: []string{"Redis-Sink-Pw"},
	},
	{name: "memcache.SinkConfig", value: memcache.SinkConfig{Servers: []string{"127.0.0.1:11211"}}},
	{name: "file.SourceConfig", value: file.SourceConfig{Path: []string{"/data/in"}}},
	{name: "file.SinkConfig", value: file.SinkConfig{Path: "/data/out", FileName: "x"}},
	{name: "stream.SourceConfig", value: stream.SourceConfig{Column: []stream.ColumnSpec{{Type: datasync.KindInt}}, RecordsPerSplit: 1}},
	{name: "stream.SinkConfig", value: stream.SinkConfig{FieldDelimiter: ","}},
}

// renderings returns v shown every way a program shows a value: fmt verbs,
// slog's handlers and JSON, directly, through a pointer and nested in a
// struct.
func renderings(t *testing.T, v any) map[string]string {
	t.Helper()
	ptr := reflect.New(reflect.TypeOf(v))
	ptr.Elem().Set(reflect.ValueOf(v))
	nested := struct{ Config, Ptr any }{v, ptr.Interface()}
	out := map[string]string{}
	for _, x := range []struct {
		name string
		v    any
	}{{"value", v}, {"pointer", ptr.Interface()}, {"nested", nested}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out[x.name+" "+verb] = fmt.Sprintf(verb, x.v)
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("config", "cfg", x.v)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("config", "cfg", x.v)
		out[x.name+" slog text"] = text.String()
		out[x.name+" slog json"] = js.String()
		b, err := json.Marshal(x.v)
		require.NoError(t, err, x.name)
		out[x.name+" json.Marshal"] = string(b)
	}
	return out
}

func TestConfigsNeverShowTheirSecrets(t *testing.T) {
	for _, c := range secretConfigs {
		t.Run(c.name, func(t *testing.T) {
			assert.ElementsMatch(t, c.fields, secretFields(reflect.TypeOf(c.value)),
				"the case fills every field tagged secret")
			for how, text := range renderings(t, c.value) {
				for _, s := range c.secrets {
					assert.NotContains(t, text, s, "%s shows a secret", how)
				}
			}
		})
	}
}

// TestConfigsRedactOnlyTheirSecrets checks that a redacted config still
// says what it is: the host and the table are shown.
func TestConfigsRedactOnlyTheirSecrets(t *testing.T) {
	for _, c := range secretConfigs[:6] { // the database configs
		for how, text := range renderings(t, c.value) {
			assert.Contains(t, text, "db.internal", "%s: %s", c.name, how)
		}
	}
	b, err := json.Marshal(secretConfigs[0].value)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"table":"orders"`)
}

// secretFields lists the fields of struct type t (embedded ones included)
// tagged datasync:"secret".
func secretFields(t reflect.Type) []string {
	var out []string
	for _, f := range reflect.VisibleFields(t) {
		if slices.Contains(strings.Split(f.Tag.Get("datasync"), ","), "secret") {
			out = append(out, f.Name)
		}
	}
	return out
}

// TestEveryConnectorConfigIsCheckedForSecrets fails when a connector
// package gains an exported config type that secretConfigs does not list.
func TestEveryConnectorConfigIsCheckedForSecrets(t *testing.T) {
	dirs, err := os.ReadDir(".")
	require.NoError(t, err)
	var found []string
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "internal" || d.Name() == "testdata" {
			continue
		}
		files, err := filepath.Glob(filepath.Join(d.Name(), "*.go"))
		require.NoError(t, err)
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			for _, decl := range f.Decls {
				gen, ok := decl.(*ast.GenDecl)
				if !ok || gen.Tok != token.TYPE {
					continue
				}
				for _, spec := range gen.Specs {
					name := spec.(*ast.TypeSpec).Name.Name
					if ast.IsExported(name) && strings.HasSuffix(name, "Config") {
						found = append(found, f.Name.Name+"."+name)
					}
				}
			}
		}
	}
	var listed []string
	for _, c := range secretConfigs {
		if !slices.Contains(listed, c.name) {
			listed = append(listed, c.name)
		}
	}
	assert.ElementsMatch(t, found, listed, "list every exported connector config in secretConfigs")
}
