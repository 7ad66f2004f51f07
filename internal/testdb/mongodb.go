package testdb

import (
	"os"
	"testing"
)

// MongoDBEnv names the MongoDB connection string tests use (FerretDB in CI).
const MongoDBEnv = "DATASYNC_TEST_MONGODB_URI"

// MongoDB returns the connection string of DATASYNC_TEST_MONGODB_URI and a
// fresh database name for t ("t_" and random hexadecimal digits), or skips
// t (fails it with DATASYNC_TEST_REQUIRE_DB=1). The caller drops the
// database: this package does not link a MongoDB driver.
func MongoDB(t testing.TB) (uri, database string) {
	t.Helper()
	uri = os.Getenv(MongoDBEnv)
	if uri == "" {
		unavailable(t, "%s is not set: skipping a test that needs MongoDB", MongoDBEnv)
	}
	return uri, "t_" + suffix()
}
