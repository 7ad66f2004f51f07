package postgres

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	src.exec(`CREATE TABLE t (id bigint PRIMARY KEY, name text, amount numeric(18,4), ts timestamptz, d date)`,
		`INSERT INTO t SELECT i, 'n' || i, i * 1.5, '2024-01-01'::timestamptz + i * interval '1 second', '2024-01-01'::date + i FROM generate_series(1, 10000) i`,
		`INSERT INTO t VALUES (0, NULL, NULL, NULL, NULL)`)
	dst.exec(`CREATE TABLE t (id bigint PRIMARY KEY, name text, amount numeric(18,4), ts timestamptz, d date)`)
	for _, pass := range []bool{true, false} {
		dst.exec("TRUNCATE t")
		s := newSource(t, SourceConfig{DSN: src.dsn, Table: "t"})
		k := newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", DisablePassThrough: !pass})
		res, err := run(t, s, k)
		require.NoError(t, err)
		t.Log(res)
		require.Equal(t, src.rows("SELECT * FROM t ORDER BY id"), dst.rows("SELECT * FROM t ORDER BY id"))
		t.Log("passed through", k.passedThrough.Load())
	}
}
