package mongodb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/datasync-go/datasync"
)

// Mask stands for a password in what is shown.
const Mask = "xxxxx"

// RedactURI returns uri with its password masked.
func RedactURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.User == nil {
		if at := strings.LastIndex(uri, "@"); at >= 0 && err != nil {
			return "mongodb://" + Mask + uri[at:]
		}
		return uri
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), Mask)
	}
	return u.String()
}

// uriPassword returns the password in uri, "" when none.
func uriPassword(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// endpoint is a client, owned or borrowed, and the collection it reaches.
type endpoint struct {
	client     *mongo.Client
	owned      bool
	database   string
	collection string
	password   string // to blot out of errors
}

// connect makes the client (it does not reach the server: the driver
// connects lazily).
func connect(uri string, client *mongo.Client, database, collection string) (*endpoint, error) {
	e := &endpoint{client: client, database: database, collection: collection, password: uriPassword(uri)}
	if client != nil {
		return e, nil
	}
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetAppName("datasync"))
	if err != nil {
		return nil, e.wrap(fmt.Errorf("connect to %s: %w", RedactURI(uri), err))
	}
	e.client, e.owned = c, true
	return e, nil
}

func (e *endpoint) coll() *mongo.Collection {
	return e.client.Database(e.database).Collection(e.collection)
}

func (e *endpoint) what() string { return e.database + "." + e.collection }

func (e *endpoint) close() error {
	if !e.owned {
		return nil
	}
	return e.client.Disconnect(context.Background())
}

// exists reports whether the collection exists.
func (e *endpoint) exists(ctx context.Context) (bool, error) {
	names, err := e.client.Database(e.database).ListCollectionNames(ctx, bson.D{{Key: "name", Value: e.collection}})
	if err != nil {
		return false, e.wrap(fmt.Errorf("list collections of %s: %w", e.database, err))
	}
	return len(names) > 0, nil
}

// wrap blots the password out of err and marks failures of the network or
// of server selection retryable.
func (e *endpoint) wrap(err error) error {
	if err == nil {
		return nil
	}
	retry := mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.Is(err, mongo.ErrClientDisconnected) || isSelectionError(err)
	if e.password != "" {
		text := err.Error()
		for _, p := range []string{e.password, url.PathEscape(e.password), url.QueryEscape(e.password)} {
			text = strings.ReplaceAll(text, p, Mask)
		}
		if text != err.Error() {
			err = errors.New(text)
		}
	}
	if retry {
		return datasync.Retryable(err)
	}
	return err
}

func isSelectionError(err error) bool {
	var se mongo.ServerError
	if errors.As(err, &se) {
		return se.HasErrorLabel("RetryableWriteError") || se.HasErrorLabel("TransientTransactionError")
	}
	return strings.Contains(err.Error(), "server selection error")
}

// parseFilter parses a filter in Extended JSON.
func parseFilter(s string) (bson.D, error) {
	if strings.TrimSpace(s) == "" {
		return bson.D{}, nil
	}
	var d bson.D
	if err := bson.UnmarshalExtJSON([]byte(s), false, &d); err != nil {
		return nil, fmt.Errorf("filter %q is not a document in Extended JSON: %w", s, err)
	}
	return d, nil
}
