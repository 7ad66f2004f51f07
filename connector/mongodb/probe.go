package mongodb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// ProbeTimeout bounds a Probe whose context has no deadline.
const ProbeTimeout = 10 * time.Second

// ProbeReport is what Probe found out about a server and a database.
type ProbeReport struct {
	// Server is the connection string probed, its password masked.
	Server string
	// Version is the server's (buildInfo's; FerretDB reports the MongoDB
	// version it emulates).
	Version string
	// Database is the database probed and Collections its collections
	// (listCollections: the account may read the database).
	Database    string
	Collections []string
}

// String is the report as lines of "what: finding", for people.
func (r ProbeReport) String() string {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-16s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("server", "MongoDB %s at %s", r.Version, r.Server)
	line("database", "%s", r.Database)
	line("collections", "%d readable (listCollections allowed)", len(r.Collections))
	return b.String()
}

// Probe connects to the server of uri, as "test connectivity" does in
// DataWorks, and reports its version and the collections of database that
// the account can list. It writes nothing. It waits at most ProbeTimeout
// unless ctx has a deadline; errors name the server, never its password
// (blotted out as the source and sink do), and keep the driver's error as
// their cause when it holds no password.
func Probe(ctx context.Context, uri, database string) (ProbeReport, error) {
	r := ProbeReport{Server: RedactURI(uri), Database: database}
	if _, has := ctx.Deadline(); !has {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ProbeTimeout)
		defer cancel()
	}
	e, err := connect(uri, nil, database, "")
	if err != nil {
		return r, fmt.Errorf("mongodb: %w", err)
	}
	defer e.close()
	var info struct {
		Version string `bson:"version"`
	}
	if err := e.client.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return r, fmt.Errorf("mongodb: cannot connect to %s: %w", r.Server, e.wrap(err))
	}
	r.Version = info.Version
	if r.Collections, err = e.client.Database(database).ListCollectionNames(ctx, bson.D{}); err != nil {
		return r, fmt.Errorf("mongodb: %s: list the collections of %s: %w", r.Server, database, e.wrap(err))
	}
	return r, nil
}
