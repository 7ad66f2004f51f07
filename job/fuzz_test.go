package job_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/datasync-go/datasync/job"
	_ "github.com/datasync-go/datasync/job/builtin"
	"github.com/datasync-go/datasync/job/datasource"
)

// fuzzCatalog is the data-source catalog of FuzzParse: one MySQL source
// whose password the problems must never show.
const fuzzCatalog = `{"datasources":[{"name":"shop","type":"mysql","jdbcUrl":"jdbc:mysql://db:3306/shop","username":"etl","password":"catalogsecret9"}]}`

// FuzzParse parses job files with every connector registered: a file is
// either a job or an *InvalidError whose problems each say what is wrong
// (naming the setting's JSON path when the file is an object), and no
// problem ever shows a password the file holds. Parse connects to nothing,
// so this runs without servers. Seed corpora are under testdata/fuzz.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"job":{"setting":{"speed":{"channel":2}},"content":[{"reader":{"name":"streamreader","parameter":{"column":[{"type":"long","value":"1"}],"sliceRecordCount":3}},"writer":{"name":"streamwriter","parameter":{"print":false}}}]}}`,
		`{"job":{"content":[{"reader":{"name":"mysqlreader","parameter":{"username":"app","password":"hunter2secret","column":["*"],"connection":[{"jdbcUrl":["jdbc:mysql://db:3306/shop"],"table":["t"]}]}},"writer":{"name":"postgresqlwriter","parameter":{"username":"u","password":"pgsecret99","column":["id"],"connection":[{"jdbcUrl":"jdbc:postgresql://pg/db","table":["t"]}]}}}]}}`,
		`{"job":{"content":[{"reader":{"name":"mysqlreader","parameter":{"password":12345678,"connection":[{"jdbcUrl":"jdbc:mysql://h/db?password=urlsecret7","table":"t"}]}},"writer":{"name":"streamwritr","parameter":{}}}]}}`,
		`{"job":{"content":[{"reader":{"name":"txtfilereader","parameter":{"path":"/data/*.csv","column":[{"index":0,"type":"long"}],"fieldDelimiter":"\\t","skipHeader":"true"}},"writer":{"name":"osswriter","parameter":{"endpoint":"http://oss","accessId":"id","accessKey":"akSECRET123","bucket":"b","object":"o","writeMode":"truncate"}}}]}}`,
		`{"job":{"setting":{"errorLimit":{"record":"5","percentage":2},"retry":{"backoff":"x"},"dirty":{"path":"d.jsonl","writer":{"name":"streamwriter"}}},"content":[]}}`,
		`{"job":{"content":[{"reader":{"name":"${reader}","parameter":{"password":"${pw}"}},"writer":{"name":"streamwriter"}}]}}`,
		`{"job":{"content":[{"reader":{"name":"postgresqlreader","parameter":{"password":["listsecret1"],"connection":[{"jdbcUrl":["jdbc:postgresql://u:inurlsecret@pg/db"],"table":["t"]}]}},"writer":{"name":"streamwriter"}}]}}`,
		`{"type":"job","version":"2.0","steps":[{"stepType":"mysql","category":"reader","name":"R","parameter":{"datasource":"shop","column":["id"],"connection":[{"datasource":"shop","table":["t"]}]}},{"stepType":"stream","category":"writer","name":"W","parameter":{}}],"setting":{"errorLimit":{"record":"0"},"speed":{"concurrent":2}},"order":{"hops":[{"from":"R","to":"W"}]}}`,
		`{"type":"job","version":"2.0","steps":[{"stepType":"mysql","category":"reader","name":"R","parameter":{"datasource":"nosuch","password":"stepsecret77"}}],"order":{"hops":[{"from":"R","to":"X"}]}}`,
		`{"job":{"content":[{"reader":{"name":"streamreader","parameter":{"column":[{"type":"string","value":"${bizdate} $[yyyymmdd-1] $[add_months(yyyymmdd,-1)]"}],"sliceRecordCount":1}},"writer":{"name":"streamwriter"}}]}}`,
		`{"job":`, `[]`, `{"job":{}} {}`, `$${x} ${`, "$[yyyymmdd-", "",
	} {
		f.Add([]byte(s), "pw-from-vars-1")
	}
	f.Fuzz(func(t *testing.T, data []byte, pw string) {
		catalog, err := datasource.Parse([]byte(fuzzCatalog))
		if err != nil {
			t.Fatal(err)
		}
		j, err := job.Parse(data, job.Options{
			Vars:        map[string]string{"reader": "streamreader", "pw": pw},
			DataSources: catalog,
			RunDate:     time.Date(2024, 2, 29, 10, 0, 0, 0, time.UTC),
		})
		if err == nil {
			if len(j.Tasks) == 0 {
				t.Fatalf("%s: a job with no task", data)
			}
			j.Close()
			return
		}
		var inv *job.InvalidError
		if !errors.As(err, &inv) || len(inv.Problems) == 0 {
			t.Fatalf("%s: %T %v is not an *InvalidError with problems", data, err, err)
		}
		secrets := append(passwordsIn(data), "catalogsecret9")
		if len(pw) >= 6 && strings.Contains(string(data), "${pw}") {
			secrets = append(secrets, pw)
		}
		for _, p := range inv.Problems {
			msg := p.Error()
			if strings.TrimSpace(msg) == "" {
				t.Fatalf("%s: a problem says nothing", data)
			}
			for _, s := range secrets {
				if strings.Contains(msg, s) && strings.Count(string(data), s) <= 1 {
					t.Fatalf("%s: problem %q shows the password %q", data, msg, s)
				}
			}
		}
	})
}

var urlSecret = regexp.MustCompile(`(?i)(?:password=|://[^:/@\s"]*:)([^@&;\s"]{6,})`)

// passwordsIn returns the values of settings named password or accessKey
// (strings or numbers, six characters or more) and the passwords inside
// URLs.
func passwordsIn(data []byte) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if strings.EqualFold(k, "password") || strings.EqualFold(k, "accessKey") {
					switch x := x.(type) {
					case string:
						if len(x) >= 6 {
							out = append(out, x)
						}
					case json.Number:
						if len(x) >= 6 {
							out = append(out, x.String())
						}
					}
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			for _, m := range urlSecret.FindAllStringSubmatch(v, -1) {
				out = append(out, m[1])
			}
		}
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil {
		walk(v)
	}
	return out
}
