package datax_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/datasync-go/datasync/internal/testdb"
	"github.com/datasync-go/datasync/job"
)

// mongoDB is a fresh database on the MongoDB test server (FerretDB in CI),
// dropped when the test ends, and its address as DataX writes it.
type mongoDB struct {
	client  *mongo.Client
	name    string
	address string
}

func newMongoDB(t *testing.T) *mongoDB {
	t.Helper()
	uri, name := testdb.MongoDB(t)
	u, err := url.Parse(uri)
	require.NoError(t, err)
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(5 * time.Second))
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = client.Database(name).Drop(context.Background())
		_ = client.Disconnect(context.Background())
	})
	return &mongoDB{client: client, name: name, address: u.Host}
}

func (m *mongoDB) coll(name string) *mongo.Collection {
	return m.client.Database(m.name).Collection(name)
}

// runJob parses a job and runs its pipelines, returning the records written.
func runJob(t *testing.T, text string, opts job.Options) int64 {
	t.Helper()
	j, err := job.Parse([]byte(text), opts)
	require.NoError(t, err)
	defer j.Close()
	pipelines, err := j.Pipelines()
	require.NoError(t, err)
	var written int64
	for _, p := range pipelines {
		res, err := p.Run(context.Background())
		require.NoError(t, err)
		written += res.RecordsWritten
	}
	return written
}

func TestMongoDBToPostgreSQLJob(t *testing.T) {
	m := newMongoDB(t)
	pgDSN := testdb.Postgres(t)
	pg := openDB(t, "pgx", pgDSN)
	exec(t, pg, "CREATE TABLE people (id bigint PRIMARY KEY, name text, city text, tags jsonb, born timestamptz)")
	docs := make([]any, 300)
	for i := range docs {
		docs[i] = bson.D{{Key: "_id", Value: int64(i)}, {Key: "name", Value: fmt.Sprintf("p%d", i)},
			{Key: "address", Value: bson.D{{Key: "city", Value: fmt.Sprintf("c%d", i%3)}}},
			{Key: "tags", Value: bson.A{"x", int32(i)}},
			{Key: "born", Value: bson.NewDateTimeFromTime(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i))},
			{Key: "active", Value: i%2 == 0}}
	}
	_, err := m.coll("people").InsertMany(context.Background(), docs)
	require.NoError(t, err)

	pgURL, pgUser := postgresJDBCURL(t, pgDSN)
	written := runJob(t, fmt.Sprintf(`{"job": {"setting": {"speed": {"channel": 3}}, "content": [{
		"reader": {"name": "mongodbreader", "parameter": {
			"address": [%q], "dbName": %q, "collectionName": "people", "splits": 4,
			"column": [{"name": "_id", "type": "long"}, {"name": "name", "type": "string"},
			           {"name": "address.city", "type": "string"}, {"name": "tags", "type": "array"},
			           {"name": "born", "type": "date"}],
			"query": "{\"active\": true}"}},
		"writer": {"name": "postgresqlwriter", "parameter": {"username": %q,
			"column": ["id", "name", "city", "tags", "born"],
			"connection": [{"jdbcUrl": %q, "table": ["people"]}]}}}]}}`, m.address, m.name, pgUser, pgURL), job.Options{})
	assert.EqualValues(t, 150, written)
	assert.Equal(t, "150", queryOne(t, pg, "SELECT count(*) FROM people"))
	assert.Equal(t, "p42|c0|[\"x\", 42]|2000-02-12", queryOne(t, pg, "SELECT name || '|' || city || '|' || tags::text || '|' || to_char(born AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM people WHERE id = 42"))
}

func TestMySQLToMongoDBJob(t *testing.T) {
	m := newMongoDB(t)
	myDSN := testdb.MySQL(t)
	my := openDB(t, "mysql", myDSN)
	exec(t, my, "CREATE TABLE items (id bigint PRIMARY KEY, code varchar(10), price decimal(12,2), city varchar(10))",
		"INSERT INTO items SELECT seq, CONCAT('k', seq), seq + 0.25, 'x' FROM seq_1_to_200")
	ctx := context.Background()
	_, err := m.coll("items").InsertOne(ctx, bson.D{{Key: "code", Value: "k7"}, {Key: "old", Value: true}})
	require.NoError(t, err)
	cfg, err := gomysql.ParseDSN(myDSN)
	require.NoError(t, err)

	written := runJob(t, fmt.Sprintf(`{"job": {"content": [{
		"reader": {"name": "mysqlreader", "parameter": {"username": %q, "password": %q,
			"column": ["code", "price", "city"], "connection": [{"jdbcUrl": [%q], "table": ["items"]}]}},
		"writer": {"name": "mongodbwriter", "parameter": {
			"address": [%q], "dbName": %q, "collectionName": "items", "decimal": "string",
			"column": [{"name": "code", "type": "string"}, {"name": "price", "type": "string"}, {"name": "place.city", "type": "string"}],
			"writeMode": {"isReplace": "true", "replaceKey": "code"}}}}]}}`,
		cfg.User, cfg.Passwd, mysqlJDBCURL(t, myDSN), m.address, m.name), job.Options{})
	assert.EqualValues(t, 200, written)
	n, err := m.coll("items").CountDocuments(ctx, bson.D{})
	require.NoError(t, err)
	assert.EqualValues(t, 200, n, "k7 was replaced, not added")
	var got bson.M
	require.NoError(t, m.coll("items").FindOne(ctx, bson.D{{Key: "code", Value: "k7"}}).Decode(&got))
	assert.Equal(t, "7.25", got["price"])
	assert.NotContains(t, got, "old", "isReplace replaces the whole document")
	assert.Equal(t, bson.D{{Key: "city", Value: "x"}}, got["place"])
}

func TestDataWorksScriptWithAMongoDBDataSource(t *testing.T) {
	m := newMongoDB(t)
	_, err := m.coll("events").InsertMany(context.Background(), []any{
		bson.D{{Key: "_id", Value: "e1"}, {Key: "kind", Value: "click"}, {Key: "n", Value: int32(3)}},
		bson.D{{Key: "_id", Value: "e2"}, {Key: "kind", Value: "view"}, {Key: "n", Value: int64(4)}},
	})
	require.NoError(t, err)
	w := newWarehouse(t, fmt.Sprintf(`{"name": "events_mongo", "type": "mongodb", "address": [%q], "database": %q}`, m.address, m.name))
	exec(t, w.pg, "CREATE TABLE events (id text PRIMARY KEY, kind text, n int)")
	_, written := w.run(t, `{"type": "job", "version": "2.0",
	 "steps": [
	   {"stepType": "mongodb", "category": "reader", "name": "Reader",
	    "parameter": {"datasource": "events_mongo", "collectionName": "events",
	                  "column": [{"name": "_id", "type": "string"}, {"name": "kind", "type": "string"}, {"name": "n", "type": "long"}]}},
	   {"stepType": "postgresql", "category": "writer", "name": "Writer",
	    "parameter": {"datasource": "dw_pg", "table": "events", "column": ["id", "kind", "n"]}}],
	 "setting": {"errorLimit": {"record": "0"}, "speed": {"concurrent": 1}},
	 "order": {"hops": [{"from": "Reader", "to": "Writer"}]}}`)
	assert.EqualValues(t, 2, written)
	assert.Equal(t, "e2 view 4", queryOne(t, w.pg, "SELECT id || ' ' || kind || ' ' || n FROM events WHERE id = 'e2'"))
}

func TestMongoDBJobMistakes(t *testing.T) {
	_, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mongodbreader", "parameter": {"address": ["h:27017"], "userName": "u", "userPassword": "hunter2x",
			"collectionName": "c", "column": [{"name": "a", "type": "array", "splitter": ","}, {"name": "b", "type": "number"}]}},
		"writer": {"name": "mongodbwriter", "parameter": {"address": ["h:27017"], "dbName": "d", "collectionName": "c",
			"writeMode": {"isReplace": "maybe"}}}
	}]}}`), job.Options{})
	require.Error(t, err)
	for _, want := range []string{
		"reader.parameter.dbName: missing required setting",
		"reader.parameter.column[0].splitter: not supported: arrays are read and written as JSON",
		`reader.parameter.column[1].type: type "number" is not`,
		`writer.parameter.writeMode.isReplace: "maybe" is not true or false`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.NotContains(t, err.Error(), "hunter2x")
}

func TestMongoDBJobURIHasTheCredentialsEscaped(t *testing.T) {
	j, err := job.Parse([]byte(`{"job": {"content": [{
		"reader": {"name": "mongodbreader", "parameter": {"address": ["h1:27017", "h2:27018"], "userName": "app@x", "userPassword": "p:w/d",
			"authDb": "admin", "dbName": "shop", "collectionName": "c", "column": [{"name": "_id"}]}},
		"writer": {"name": "streamwriter", "parameter": {}}}]}}`), job.Options{})
	require.NoError(t, err)
	defer j.Close()
	shown := fmt.Sprint(j.Tasks[0].Source)
	assert.Contains(t, shown, "mongodb://app%40x:xxxxx@h1:27017,h2:27018/?authSource=admin")
	assert.False(t, strings.Contains(shown, "p:w/d") || strings.Contains(shown, "p%3Aw%2Fd"), shown)
}

// datasync's own name "mongodb" takes the connector's config.
func TestMongoDBNameTakesTheConnectorsConfig(t *testing.T) {
	m := newMongoDB(t)
	ctx := context.Background()
	_, err := m.coll("a").InsertMany(ctx, []any{bson.D{{Key: "_id", Value: int32(1)}, {Key: "v", Value: bson.D{{Key: "w", Value: "x"}}}},
		bson.D{{Key: "_id", Value: int32(2)}, {Key: "v", Value: bson.D{{Key: "w", Value: "y"}}}}})
	require.NoError(t, err)
	uri := "mongodb://" + m.address + "/"
	written := runJob(t, fmt.Sprintf(`{"job": {"content": [{
		"reader": {"name": "mongodb", "parameter": {"uri": %q, "database": %q, "collection": "a",
			"columns": [{"name": "_id", "type": "Int"}, {"name": "v.w", "type": "String"}]}},
		"writer": {"name": "mongodb", "parameter": {"uri": %q, "database": %q, "collection": "b",
			"columns": ["_id", "flat"], "writeMode": "upsert"}}}]}}`, uri, m.name, uri, m.name), job.Options{})
	assert.EqualValues(t, 2, written)
	var got bson.M
	require.NoError(t, m.coll("b").FindOne(ctx, bson.D{{Key: "_id", Value: int64(2)}}).Decode(&got))
	assert.Equal(t, "y", got["flat"])
}
