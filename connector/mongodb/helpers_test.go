package mongodb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/internal/testdb"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// testDB is a fresh database on the test server, dropped when t ends.
type testDB struct {
	uri, name string
	client    *mongo.Client
}

func newTestDB(t *testing.T) *testDB {
	t.Helper()
	uri, name := testdb.MongoDB(t)
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(5 * time.Second).SetBSONOptions(&options.BSONOptions{DefaultDocumentM: true}))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Ping(ctx, nil); err != nil {
		_ = client.Disconnect(context.Background())
		t.Fatalf("%s=%s: cannot reach the server: %v", testdb.MongoDBEnv, RedactURI(uri), err)
	}
	t.Cleanup(func() {
		_ = client.Database(name).Drop(context.Background())
		_ = client.Disconnect(context.Background())
	})
	return &testDB{uri: uri, name: name, client: client}
}

func (d *testDB) coll(name string) *mongo.Collection {
	return d.client.Database(d.name).Collection(name)
}

func run(t testing.TB, src datasync.Source, dst datasync.Sink, opts ...datasync.Option) (datasync.Result, error) {
	t.Helper()
	p, err := datasync.NewPipeline(src, dst, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return p.Run(ctx)
}
