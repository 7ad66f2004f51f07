package datax

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/datasync-go/datasync/connector/postgres"
)

func TestPostgresWriteMode(t *testing.T) {
	for _, c := range []struct {
		mode, key string
		want      postgres.WriteMode
		wantKey   string
		err       string
	}{
		{"", "", postgres.WriteInsert, "", ""},
		{"COPY", "", postgres.WriteInsert, "", ""},
		{"update", "id", postgres.WriteUpsert, "id", ""},
		{`update (a, "B")`, "", postgres.WriteUpsert, `a,"B"`, ""},
		{"update(a)", "a", postgres.WriteUpsert, "a", ""},
		{"update (a)", "b", "", "", `writeMode: "update (a)" and conflictKey ["b"] name different keys`},
		{"insert (a)", "", "", "", "only update (upsert) takes a key"},
		{"update (a", "", "", "", "unbalanced parenthesis"},
		{"replace", "", "", "", `writeMode: "replace": want insert, copy, update or upsert`},
	} {
		var key []string
		if c.key != "" {
			key = strings.Split(c.key, ",")
		}
		mode, gotKey, err := postgresWriteMode(c.mode, key)
		if c.err != "" {
			assert.ErrorContains(t, err, c.err, c.mode)
			continue
		}
		assert.NoError(t, err, c.mode)
		assert.Equal(t, c.want, mode, c.mode)
		assert.Equal(t, c.wantKey, strings.Join(gotKey, ","), c.mode)
	}
}
