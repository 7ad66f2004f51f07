package postgres

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/transform"
)

// A PostgreSQL-to-PostgreSQL job with transformers: rows that would pass
// through as undecoded COPY tuples travel as values instead, so that the
// transformers see and change them.
func TestTransformersOnAPassThroughPair(t *testing.T) {
	d := newDB(t)
	d.exec("CREATE TABLE src (id bigint PRIMARY KEY, name text)", "CREATE TABLE dst (id bigint PRIMARY KEY, name text)",
		"INSERT INTO src SELECT i, 'name-' || i FROM generate_series(1, 1000) i")
	src := newSource(t, SourceConfig{DSN: d.dsn, Table: "src"})
	dst := newSink(t, SinkConfig{DSN: d.dsn, Table: "dst"})
	res, err := run(t, src, dst, datasync.WithTransform(
		transform.Filter(0, transform.Greater, "900"),
		transform.Replace(1, 0, 4, "NAME"),
	))
	require.NoError(t, err)
	assert.Equal(t, int64(900), res.RecordsWritten)
	assert.Equal(t, int64(100), res.RecordsFiltered)
	assert.Equal(t, []string{"900"}, d.rows("SELECT count(*) FROM dst WHERE name = 'NAME-' || id AND id <= 900"))
}
