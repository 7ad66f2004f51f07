package mongodb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
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
// the account can list. It writes nothing. The connection waits at most
// ProbeTimeout unless ctx has a deadline; errors name the server, never its
// password, and keep the driver's error as their cause.
func Probe(ctx context.Context, uri, database string) (ProbeReport, error) {
	r := ProbeReport{Server: RedactURI(uri), Database: database}
	if _, has := ctx.Deadline(); !has {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ProbeTimeout)
		defer cancel()
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(ProbeTimeout))
	if err != nil {
		return r, fmt.Errorf("mongodb: %s: %s", r.Server, redactError(err, uri))
	}
	defer client.Disconnect(context.Background())
	var info struct {
		Version string `bson:"version"`
	}
	if err := client.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return r, fmt.Errorf("mongodb: cannot connect to %s: %s", r.Server, redactError(err, uri))
	}
	r.Version = info.Version
	if r.Collections, err = client.Database(database).ListCollectionNames(ctx, bson.D{}); err != nil {
		return r, fmt.Errorf("mongodb: %s: list the collections of %s: %s", r.Server, database, redactError(err, uri))
	}
	return r, nil
}

// redactError is err's text with the password of uri blotted out.
func redactError(err error, uri string) string {
	text := err.Error()
	if pw := uriPassword(uri); pw != "" {
		text = strings.ReplaceAll(text, pw, Mask)
	}
	return text
}
