package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync"
)

const secret = "s3cret-Pa55word"

// withUser returns dsn connecting as user with the test password.
func withUser(t *testing.T, dsn, user string) string {
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	u.User = url.UserPassword(user, secret)
	return u.String()
}

// TestBadInputFailsBeforeAnyRowMoves: each mistake is reported, naming what
// is wrong, before a row is read or written, and no error shows the
// password.
func TestBadInputFailsBeforeAnyRowMoves(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`, `INSERT INTO t SELECT i, 'x' FROM generate_series(1, 100) i`)
	dst.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`, `CREATE TABLE d (id int PRIMARY KEY, v date)`)
	unreachable := "postgres://someone:" + secret + "@127.0.0.1:1/db?sslmode=disable&connect_timeout=5"
	goodSrc := SourceConfig{DSN: src.dsn, Table: "t"}
	goodDst := SinkConfig{DSN: dst.dsn, Table: "t"}
	cases := []struct {
		name string
		src  SourceConfig
		dst  SinkConfig
		want string
	}{
		{"source unreachable", SourceConfig{DSN: unreachable, Table: "t"}, goodDst, "connect"},
		{"source wrong credentials", SourceConfig{DSN: withUser(t, src.dsn, "no_such_role_ds"), Table: "t"}, goodDst, `role "no_such_role_ds" does not exist (SQLSTATE 28000)`},
		{"sink unreachable", goodSrc, SinkConfig{DSN: unreachable, Table: "t"}, "connect"},
		{"sink wrong credentials", goodSrc, SinkConfig{DSN: withUser(t, dst.dsn, "no_such_role_ds"), Table: "t"}, "SQLSTATE 28000"},
		{"source table missing", SourceConfig{DSN: src.dsn, Table: "public.nope"}, goodDst, `table "public"."nope" does not exist`},
		{"source column missing", SourceConfig{DSN: src.dsn, Table: "t", Column: []string{"id", "nope"}}, goodDst, `column[1] "nope": table public.t has no such column (it has id, v)`},
		{"source split key missing", SourceConfig{DSN: src.dsn, Table: "t", SplitPK: "nope"}, goodDst, `splitPk "nope": table public.t has no such column`},
		{"source query broken", SourceConfig{DSN: src.dsn, QuerySQL: "SELECT nope FROM t"}, goodDst, `column "nope" does not exist`},
		{"sink table missing", goodSrc, SinkConfig{DSN: dst.dsn, Table: "nope"}, `table "nope" does not exist`},
		{"sink column missing", goodSrc, SinkConfig{DSN: dst.dsn, Table: "t", Column: []string{"id", "nope"}}, `column "nope": table public.t has no such column`},
		{"sink columns do not match the source", goodSrc, SinkConfig{DSN: dst.dsn, Table: "t", Column: []string{"id"}}, "the sink's column list has 1 names but the source has 2 columns"},
		{"source column missing in the sink", SourceConfig{DSN: src.dsn, Table: "t", Column: []string{"id", "v", "'c' AS extra"}}, goodDst, `source column "extra": table public.t has no such column`},
		{"sink type does not fit", SourceConfig{DSN: src.dsn, Table: "t", Column: []string{"id", "42"}}, SinkConfig{DSN: dst.dsn, Table: "d", Column: []string{"id", "v"}},
			`source column 2 "42" (Int) cannot be written to column "v" of public.d (date)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := NewSource(c.src)
			require.NoError(t, err, "NewSource does no I/O")
			defer s.Close()
			k, err := NewSink(c.dst)
			require.NoError(t, err, "NewSink does no I/O")
			defer k.Close()
			p, err := datasync.NewPipeline(s, k)
			require.NoError(t, err)
			cerr := p.Check(context.Background())
			require.Error(t, cerr)
			assert.Contains(t, cerr.Error(), c.want, "Check")
			res, err := p.Run(context.Background())
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error()+cerr.Error(), secret, "no password in errors")
			assert.Zero(t, res.RecordsRead, "no row read")
			assert.Zero(t, dst.count("t"), "no row written")
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg  SourceConfig
		want string
	}{
		{SourceConfig{Table: "t"}, "give DSN or Pool"},
		{SourceConfig{DSN: "postgres://x", Table: "t", QuerySQL: "SELECT 1"}, "give it without table"},
		{SourceConfig{DSN: "postgres://x"}, "give table or querySql"},
		{SourceConfig{DSN: "postgres://x", Table: `"unterminated`}, "unterminated quoted identifier"},
		{SourceConfig{DSN: "postgres://x", Table: "t", FetchSize: -1}, "fetchSize -1 is negative"},
		{SourceConfig{DSN: "postgres://x", Table: "t", SplitPK: "a+b"}, "not a column name"},
		{SourceConfig{DSN: "postgres://u:" + secret + "@h:notaport/db", Table: "t"}, "cannot parse the DSN"},
	} {
		_, err := NewSource(c.cfg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
		assert.NotContains(t, err.Error(), secret)
	}
	for _, c := range []struct {
		cfg  SinkConfig
		want string
	}{
		{SinkConfig{DSN: "postgres://x"}, "give table"},
		{SinkConfig{DSN: "postgres://x", Table: "t", WriteMode: "replace"}, `writeMode "replace": want insert or upsert`},
		{SinkConfig{DSN: "postgres://x", Table: "t", WriteMode: "update"}, `writeMode "update": want insert or upsert`},
		{SinkConfig{DSN: "postgres://x", Table: "t", ConflictKey: []string{"id"}}, "conflictKey is for writeMode upsert"},
		{SinkConfig{DSN: "postgres://x", Table: "t", Column: []string{"upper(x)"}}, "not a column name"},
		{SinkConfig{DSN: "postgres://x", Table: "t", PreSQL: []string{" "}}, "preSql[0] is empty"},
		{SinkConfig{DSN: "host=h password=" + secret + " port=x", Table: "t"}, "cannot parse the DSN"},
	} {
		_, err := NewSink(c.cfg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
		assert.NotContains(t, err.Error(), secret)
	}
	mode, err := parseWriteMode(" UPSERT")
	require.NoError(t, err)
	assert.Equal(t, WriteUpsert, mode)
}

// TestCheck: a good job checks clean; a user without the privileges the job
// needs is told which.
func TestCheck(t *testing.T) {
	src, dst := newDB(t), newDB(t)
	src.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`)
	dst.exec(`CREATE TABLE t (id int PRIMARY KEY, v text)`)
	p, err := datasync.NewPipeline(newSource(t, SourceConfig{DSN: src.dsn, Table: "t", Consistent: true}),
		newSink(t, SinkConfig{DSN: dst.dsn, Table: "t", WriteMode: "upsert", Truncate: true}))
	require.NoError(t, err)
	require.NoError(t, p.Check(context.Background()))

	// A role of our own, with SELECT only, used through SET ROLE at
	// connection start (the server trusts local connections, so a login
	// role would prove nothing more).
	var b [4]byte
	_, _ = rand.Read(b[:])
	role := "ds_readonly_" + hex.EncodeToString(b[:])
	dst.exec(`CREATE ROLE `+role+` NOLOGIN`, `GRANT SELECT ON t TO `+role)
	t.Cleanup(func() { dst.exec(`DROP OWNED BY `+role, `DROP ROLE `+role) })
	asRole := dst.dsn + "&options=-c%20role%3D" + role
	k := newSink(t, SinkConfig{DSN: asRole, Table: "t", WriteMode: "upsert", Truncate: true})
	err = k.Check(context.Background(), datasync.Schema{{Name: "id", Kind: datasync.KindInt}, {Name: "v", Kind: datasync.KindString}})
	require.Error(t, err)
	for _, priv := range []string{"INSERT", "UPDATE", "TRUNCATE"} {
		assert.Contains(t, err.Error(), "the user has no "+priv+" privilege on public.t")
	}
	assert.NotContains(t, err.Error(), "no SELECT")
	s := newSource(t, SourceConfig{DSN: asRole, Table: "t"})
	require.NoError(t, s.Check(context.Background()))
}
