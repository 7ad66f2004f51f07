// Package mongodb reads and writes MongoDB collections for datasync, through
// the official driver (go.mongodb.org/mongo-driver/v2). It is the datasync
// counterpart of DataX's mongodbreader and mongodbwriter (whose parameter
// objects package job/datax translates) and of DataWorks' MongoDB data
// source.
//
//	src, err := mongodb.NewSource(mongodb.SourceConfig{
//		URI: "mongodb://reader:pw@db1:27017/?authSource=admin", Database: "shop", Collection: "orders",
//		Columns: []mongodb.Column{{Name: "_id", Kind: datasync.KindString}, {Name: "customer.name", Kind: datasync.KindString},
//			{Name: "total", Kind: datasync.KindDecimal}, {Name: "items", Kind: datasync.KindJSON}},
//		Filter: `{"status": "paid"}`,
//	})
//
// Both sides take a connection string (URI), or a *mongo.Client the caller
// already owns (Client, never disconnected by the connector). The URI's
// password never appears in errors, logs, String, GoString, LogValue or
// MarshalJSON output.
//
// # Reading
//
// A Source reads the fields listed in Columns, each a path ("a.b.c" is
// field c of embedded document b of a) and the Kind it becomes; a field a
// document lacks is NULL. Filter is a query in Extended JSON, ANDed with
// each split's range.
//
// Plan divides the collection by _id: the _ids of the BSON type of the
// smallest _id are sampled with $sample (on servers without it, FerretDB
// among them, by sorting and skipping to every count/n-th _id), every tenth
// sample becomes a boundary, and each range [lo, hi) of that type is a
// split (also restricted to that type with $type, since MongoDB orders
// numbers of different types together). One more split reads the
// documents whose _id is of another type, usually none. The number of
// ranges is Splits, or about four per unit of parallelism with no split
// under MinSplitDocs documents.
//
// A range split is read in pages: a find sorted by _id, limited to
// FetchSize documents (10,000 by default), the next page starting after the
// last _id. A page's cursor lives no longer than the page, so a slow writer
// keeps at most one cursor of at most FetchSize documents waiting on the
// server (MongoDB closes cursors idle for 10 minutes: lower FetchSize for
// very slow targets). The checkpoint is the last _id (in canonical
// Extended JSON, which keeps its type), and a split reopened from it
// resumes just after it. The split of other _id types pages by skipping
// the documents already read (its checkpoint is their count).
//
// A value that does not convert to its column's kind (text "twelve" in an
// Int column) makes its document a dirty row naming the column and the
// value; the split goes on.
//
// # Types
//
// A BSON value is first read as the datasync value of its own type, then
// converted to the column's kind with datasync's rules (Value.Convert):
//
//	BSON type                  read as                        written from
//	double                     Float                          Float
//	string, symbol, javascript String                         String
//	objectId                   String: 24 hex digits          String, for fields in SinkConfig.ObjectID
//	bool                       Bool                           Bool
//	date                       Timestamp, an instant (ms)     Timestamp (microseconds dropped), Date (midnight UTC)
//	timestamp (internal)       Timestamp, an instant (s)      -
//	int, long                  Int                            Int (always long)
//	decimal                    Decimal, exactly (NaN, ±Inf)   Decimal (Decimal = decimal128, the default)
//	string                     -                              Decimal (Decimal = string), Time ("15:04:05")
//	binData (any subtype)      Bytes                          Bytes (subtype 0)
//	null, undefined, missing   NULL                           NULL
//	object, array, regex,      JSON: relaxed Extended JSON,   JSON, parsed as Extended JSON
//	minKey, maxKey, ...        {"$oid": ...}, {"$date": ...}
//
// Decimal128 holds 34 significant digits: a Decimal with more is a dirty
// row when written as decimal128. An ObjectId read as text and written to a
// field listed in ObjectID becomes an ObjectId again.
//
// # Writing
//
// A Sink writes each record as a document: the values go to the fields
// named by Columns (by default the source's column names), in order, and
// a dotted name builds embedded documents. WriteMode is
//
//	insert   (the default) insert every document; one whose _id, or the key
//	         of another unique index, is taken is a dirty row
//	replace  replace the whole document that has the record's Key values
//	         (default ["_id"]), inserting it when there is none (DataX's
//	         writeMode.isReplace with replaceKey)
//	upsert   set the record's fields ($set of each dotted path) on the
//	         document with the record's Key values, keeping its other fields,
//	         inserting it when there is none
//
// Every batch goes to the server as unordered bulk writes of BatchSize
// documents (1,000 by default): the server applies every write it can and
// reports the others, each with its index, code and message, and each
// becomes a dirty row carrying the server's reason (a *WriteError; its
// DuplicateKey method tells code 11000). A record that cannot be encoded
// (a decimal too long, text that is not an ObjectId, a NULL key) is a dirty
// row before anything is sent. Writes are not transactional: what Write
// sends is durable when it returns, and Flush has nothing to do; a retried
// split writes its rows again, which replace and upsert make exact (insert
// reports the second copies as duplicate keys). Truncate deletes every
// document of the collection once, in Prepare.
//
// # FerretDB
//
// The tests run against FerretDB v1.24.2 with its SQLite backend (built and
// started by .ci/ferretdb; DATASYNC_TEST_MONGODB_URI names it), since no
// MongoDB server package is reachable where they run. What that does not
// cover, compared with MongoDB:
//
//   - Decimal128: FerretDB drops the connection on a decimal128 value, so
//     the Decimal conversions are tested at the BSON level (decode_test.go)
//     and the tests write decimals as strings.
//   - $sample: FerretDB lacks it; the skip-based boundaries are what runs.
//     On MongoDB $sample runs first (a failure falls back, logged).
//   - Server-side document validation, unique secondary indexes and write
//     concern errors: only duplicate _ids are tested as rejected documents.
//   - Replica sets, sharded clusters, authentication and TLS.
package mongodb
