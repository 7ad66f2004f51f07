package masking_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/datasync-go/datasync/internal/masking"
)

func TestKeywordValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"host=h password=pw dbname=d", "host=h password=****** dbname=d"},
		{"  password = 'a b\\' c'  host=h ", "  password = ******  host=h "},
		{`password=a\ b host=h`, "password=****** host=h"},
		{"password='' sslpassword=k", "password=****** sslpassword=******"},
		{"host=h", "host=h"},
		{"", ""},
	} {
		got, ok := masking.KeywordValue(tc.in, "password", "sslpassword")
		assert.True(t, ok, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"password='open", "host", "=x", "host h=1"} {
		_, ok := masking.KeywordValue(bad, "password")
		assert.False(t, ok, bad)
	}
}

func TestURL(t *testing.T) {
	got, ok := masking.URL("postgres://u:p%40ss@h:5432,h2:5433/db?password=x&sslmode=require", "password")
	assert.True(t, ok)
	assert.Equal(t, "postgres://u:******@h:5432,h2:5433/db?password=******&sslmode=require", got)

	got, ok = masking.URL("postgres://u@h/db?sslmode=require", "password")
	assert.True(t, ok)
	assert.Equal(t, "postgres://u@h/db?sslmode=require", got, "nothing to mask: unchanged")

	_, ok = masking.URL("postgres://u:p@h:bad/db")
	assert.False(t, ok)
}
