package mongodb

import (
	"context"
	"errors"
	"io"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/sink"
	"github.com/datasync-go/datasync/source"
)

// people fills collection name with n documents: _id 0..n-1 (int32), a
// name, an embedded address, tags, a date and a binary.
func people(t *testing.T, db *testDB, name string, n int) {
	t.Helper()
	docs := make([]any, n)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range docs {
		docs[i] = bson.D{
			{Key: "_id", Value: int32(i)},
			{Key: "name", Value: sprintf("p%d", i)},
			{Key: "address", Value: bson.D{{Key: "city", Value: sprintf("c%d", i%7)}, {Key: "geo", Value: bson.D{{Key: "zip", Value: int64(10000 + i)}}}}},
			{Key: "tags", Value: bson.A{"a", int32(i)}},
			{Key: "at", Value: bson.NewDateTimeFromTime(base.Add(time.Duration(i) * time.Minute))},
			{Key: "blob", Value: bson.Binary{Data: []byte{byte(i), 0xff}}},
			{Key: "score", Value: float64(i) / 4},
		}
	}
	_, err := db.coll(name).InsertMany(context.Background(), docs)
	require.NoError(t, err)
}

var peopleColumns = []Column{
	{Name: "_id", Kind: datasync.KindInt},
	{Name: "name", Kind: datasync.KindString},
	{Name: "address.city", Kind: datasync.KindString},
	{Name: "address.geo.zip", Kind: datasync.KindInt},
	{Name: "tags", Kind: datasync.KindJSON},
	{Name: "at", Kind: datasync.KindTimestamp},
	{Name: "blob", Kind: datasync.KindBytes},
	{Name: "score", Kind: datasync.KindFloat},
	{Name: "missing.field", Kind: datasync.KindString},
}

func TestReadWithSplitsAndNestedColumns(t *testing.T) {
	db := newTestDB(t)
	people(t, db, "people", 500)
	src, err := NewSource(SourceConfig{URI: db.uri, Database: db.name, Collection: "people", Columns: peopleColumns, Splits: 5, FetchSize: 37})
	require.NoError(t, err)
	defer src.Close()
	require.NoError(t, src.Check(context.Background()))

	splits, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	require.Len(t, splits, 6, "5 ranges and the split of other _id types")
	again, err := src.Plan(context.Background(), datasync.PlanHint{Parallelism: 2})
	require.NoError(t, err)
	assert.Equal(t, splits, again, "the same collection plans the same splits")

	dst := sink.Collect()
	res, err := run(t, src, dst, datasync.WithParallelism(3))
	require.NoError(t, err)
	assert.EqualValues(t, 500, res.RecordsWritten)
	recs := dst.Records()
	sort.Slice(recs, func(i, j int) bool { a, _ := recs[i][0].AsInt(); b, _ := recs[j][0].AsInt(); return a < b })
	for i, r := range recs {
		id, _ := r[0].AsInt()
		require.EqualValues(t, i, id, "every document once")
	}
	r := recs[123]
	assert.Equal(t, "p123", r[1].String())
	assert.Equal(t, "c4", r[2].String())
	assert.Equal(t, "10123", r[3].String())
	assert.JSONEq(t, `["a",123]`, r[4].String())
	ts, err := r[5].AsTimestamp()
	require.NoError(t, err)
	assert.True(t, ts.IsInstant())
	assert.Equal(t, time.Date(2024, 1, 1, 2, 3, 0, 0, time.UTC), ts.Time())
	b, _ := r[6].AsBytes()
	assert.Equal(t, []byte{123, 0xff}, b)
	assert.Equal(t, "30.75", r[7].String())
	assert.True(t, r[8].IsNull())
}

func TestReadWithFilterAndObjectIDs(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	var ids []bson.ObjectID
	for i := range 40 {
		id := bson.NewObjectID()
		ids = append(ids, id)
		_, err := db.coll("c").InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "n", Value: int32(i)}})
		require.NoError(t, err)
	}
	// Documents whose _id is of another type than the first's are read by
	// the split of other types.
	_, err := db.coll("c").InsertOne(ctx, bson.D{{Key: "_id", Value: "text-id"}, {Key: "n", Value: int32(100)}})
	require.NoError(t, err)
	src, err := NewSource(SourceConfig{URI: db.uri, Database: db.name, Collection: "c", Splits: 3,
		Columns: []Column{{Name: "_id", Kind: datasync.KindString}, {Name: "n", Kind: datasync.KindInt}},
		Filter:  `{"n": {"$gte": 10}}`})
	require.NoError(t, err)
	defer src.Close()
	dst := sink.Collect()
	_, err = run(t, src, dst, datasync.WithParallelism(2))
	require.NoError(t, err)
	got := map[string]int64{}
	for _, r := range dst.Records() {
		n, _ := r[1].AsInt()
		got[r[0].String()] = n
	}
	assert.Len(t, got, 31)
	assert.EqualValues(t, 100, got["text-id"])
	assert.EqualValues(t, 25, got[ids[25].Hex()], "ObjectIds read as hexadecimal text")
	assert.NotContains(t, got, ids[9].Hex(), "the filter applies")
}

func TestReadResumesAfterTheCheckpoint(t *testing.T) {
	db := newTestDB(t)
	people(t, db, "p", 100)
	src, err := NewSource(SourceConfig{URI: db.uri, Database: db.name, Collection: "p", Columns: peopleColumns[:2], Splits: 1})
	require.NoError(t, err)
	defer src.Close()
	ctx := context.Background()
	splits, err := src.Plan(ctx, datasync.PlanHint{Parallelism: 1})
	require.NoError(t, err)
	schema, _ := src.Schema(ctx)
	b := datasync.NewBatch(schema, 30, 1<<20)
	r, err := src.Open(ctx, splits[0], nil)
	require.NoError(t, err)
	require.NoError(t, r.Read(ctx, b))
	require.Equal(t, 30, b.Len())
	cp := r.Checkpoint()
	require.NoError(t, r.Close())
	assert.JSONEq(t, `{"after":"{\"v\":{\"$numberInt\":\"29\"}}"}`, string(cp))

	r, err = src.Open(ctx, splits[0], cp)
	require.NoError(t, err)
	defer r.Close()
	var ids []int64
	for {
		b.Reset()
		err := r.Read(ctx, b)
		for i := range b.Len() {
			id, _ := b.Row(i)[0].AsInt()
			ids = append(ids, id)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
	}
	require.Len(t, ids, 70)
	assert.EqualValues(t, 30, ids[0])
	assert.EqualValues(t, 99, ids[69])
}

func TestReadMakesUnconvertibleDocumentsDirty(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	_, err := db.coll("c").InsertMany(ctx, []any{
		bson.D{{Key: "_id", Value: int32(1)}, {Key: "n", Value: "12"}},
		bson.D{{Key: "_id", Value: int32(2)}, {Key: "n", Value: "twelve"}},
		bson.D{{Key: "_id", Value: int32(3)}, {Key: "n", Value: int64(3)}},
	})
	require.NoError(t, err)
	src, err := NewSource(SourceConfig{URI: db.uri, Database: db.name, Collection: "c", Columns: []Column{{Name: "_id", Kind: datasync.KindInt}, {Name: "n", Kind: datasync.KindInt}}})
	require.NoError(t, err)
	defer src.Close()
	var dirty []datasync.DirtyRecord
	dst := sink.Collect()
	res, err := run(t, src, dst, datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 10,
		Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error { dirty = append(dirty, d); return nil })}))
	require.NoError(t, err)
	assert.EqualValues(t, 2, res.RecordsWritten)
	require.Len(t, dirty, 1)
	assert.Equal(t, "n", dirty[0].Column)
	assert.Equal(t, `"twelve"`, dirty[0].Value)
	assert.Contains(t, dirty[0].Reason(), "cannot convert")
}

// rows is a source of (id, name, nested, amount) records.
func rows(recs ...datasync.Record) datasync.Source {
	schema := datasync.Schema{{Name: "_id", Kind: datasync.KindInt}, {Name: "name", Kind: datasync.KindString},
		{Name: "meta.city", Kind: datasync.KindString}, {Name: "amount", Kind: datasync.KindDecimal}}
	return source.FromRecords(schema, recs)
}

func rec(t *testing.T, id int64, name, city, amount string) datasync.Record {
	return datasync.Record{datasync.Int(id), datasync.String(name), datasync.String(city), mustDecimal(t, amount)}
}

func find(t *testing.T, db *testDB, coll string) []bson.M {
	t.Helper()
	cur, err := db.coll(coll).Find(context.Background(), bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	require.NoError(t, err)
	var out []bson.M
	require.NoError(t, cur.All(context.Background(), &out))
	return out
}

func TestWriteModes(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	_, err := db.coll("w").InsertOne(ctx, bson.D{{Key: "_id", Value: int64(2)}, {Key: "name", Value: "old"}, {Key: "keep", Value: "me"}})
	require.NoError(t, err)
	write := func(mode WriteMode, recs ...datasync.Record) {
		t.Helper()
		dst, err := NewSink(SinkConfig{URI: db.uri, Database: db.name, Collection: "w", WriteMode: mode, Decimal: DecimalAsString})
		require.NoError(t, err)
		defer dst.Close()
		_, err = run(t, rows(recs...), dst)
		require.NoError(t, err)
	}

	write(WriteUpsert, rec(t, 1, "one", "x", "1.50"), rec(t, 2, "two", "y", "2"))
	docs := find(t, db, "w")
	require.Len(t, docs, 2)
	assert.Equal(t, bson.M{"_id": int64(1), "name": "one", "meta": bson.M{"city": "x"}, "amount": "1.50"}, docs[0])
	assert.Equal(t, bson.M{"_id": int64(2), "name": "two", "meta": bson.M{"city": "y"}, "amount": "2", "keep": "me"}, docs[1], "upsert keeps the other fields")

	write(WriteReplace, rec(t, 2, "two'", "z", "3"), rec(t, 3, "three", "w", "4"))
	docs = find(t, db, "w")
	require.Len(t, docs, 3)
	assert.Equal(t, bson.M{"_id": int64(2), "name": "two'", "meta": bson.M{"city": "z"}, "amount": "3"}, docs[1], "replace replaces the whole document")
	assert.Equal(t, "three", docs[2]["name"])

	write(WriteInsert, rec(t, 4, "four", "v", "5"))
	assert.Len(t, find(t, db, "w"), 4)
}

func TestUpsertByAnotherKey(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	_, err := db.coll("k").InsertOne(ctx, bson.D{{Key: "name", Value: "ann"}, {Key: "meta", Value: bson.D{{Key: "city", Value: "old"}, {Key: "zip", Value: "1"}}}})
	require.NoError(t, err)
	dst, err := NewSink(SinkConfig{URI: db.uri, Database: db.name, Collection: "k", WriteMode: WriteUpsert, Key: []string{"name"}, Columns: []string{"name", "meta.city"}})
	require.NoError(t, err)
	defer dst.Close()
	schema := datasync.Schema{{Name: "n", Kind: datasync.KindString}, {Name: "c", Kind: datasync.KindString}}
	_, err = run(t, source.FromRecords(schema, []datasync.Record{{datasync.String("ann"), datasync.String("new")}, {datasync.String("bob"), datasync.String("b")}}), dst)
	require.NoError(t, err)
	docs := find(t, db, "k")
	require.Len(t, docs, 2)
	byName := map[string]bson.M{}
	for _, d := range docs {
		delete(d, "_id")
		byName[d["name"].(string)] = d
	}
	assert.Equal(t, bson.M{"name": "ann", "meta": bson.M{"city": "new", "zip": "1"}}, byName["ann"], "a dotted path sets one field of the embedded document")
	assert.Equal(t, bson.M{"name": "bob", "meta": bson.M{"city": "b"}}, byName["bob"])
}

func TestInsertMakesRejectedDocumentsDirtyWithTheServersReason(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	_, err := db.coll("d").InsertOne(ctx, bson.D{{Key: "_id", Value: int64(3)}, {Key: "name", Value: "taken"}})
	require.NoError(t, err)
	dst, err := NewSink(SinkConfig{URI: db.uri, Database: db.name, Collection: "d", Decimal: DecimalAsString, BatchSize: 4})
	require.NoError(t, err)
	defer dst.Close()
	var recs []datasync.Record
	for i := range 10 {
		recs = append(recs, rec(t, int64(i), sprintf("n%d", i), "c", "1"))
	}
	recs = append(recs, rec(t, 7, "again", "c", "1")) // a duplicate within the job
	var dirty []datasync.DirtyRecord
	res, err := run(t, rows(recs...), dst, datasync.WithDirtyPolicy(datasync.DirtyPolicy{MaxRecords: 10,
		Collector: datasync.DirtyFunc(func(_ context.Context, d datasync.DirtyRecord) error { dirty = append(dirty, d); return nil })}))
	require.NoError(t, err)
	assert.EqualValues(t, 9, res.RecordsWritten)
	require.Len(t, dirty, 2)
	var names []string
	for _, d := range dirty {
		var we *WriteError
		require.True(t, errors.As(d.Err, &we), "%v", d.Err)
		assert.True(t, we.DuplicateKey(), "%v", we)
		names = append(names, d.Record[1].String())
	}
	require.Contains(t, names, "n3")
	other := names[0]
	if other == "n3" {
		other = names[1]
	}
	docs := find(t, db, "d")
	assert.Len(t, docs, 10)
	assert.Equal(t, "taken", docs[3]["name"])
	// Of the two documents with _id 7, whichever reached the server second
	// is the dirty one.
	written := docs[7]["name"].(string)
	assert.ElementsMatch(t, []string{"again", "n7"}, []string{written, other}, "each rejected document is its own row")
}

func TestSinkCheckNamesAMissingKey(t *testing.T) {
	db := newTestDB(t)
	dst, err := NewSink(SinkConfig{URI: db.uri, Database: db.name, Collection: "x", WriteMode: WriteReplace, Key: []string{"code"}})
	require.NoError(t, err)
	defer dst.Close()
	err = dst.Check(context.Background(), datasync.Schema{{Name: "_id", Kind: datasync.KindInt}})
	assert.ErrorContains(t, err, `key "code" is not among the written fields`)
	src, err := NewSource(SourceConfig{URI: db.uri, Database: db.name, Collection: "nope", Columns: []Column{{Name: "_id", Kind: datasync.KindInt}}})
	require.NoError(t, err)
	defer src.Close()
	assert.ErrorContains(t, src.Check(context.Background()), "does not exist")
}
