// Package redis reads and writes Redis keys for datasync, through
// github.com/redis/go-redis/v9: a [Sink] that writes rows as DataWorks'
// Redis writer does, and a [Source] that reads the keys a SCAN finds.
// Both take an address and credentials, or a *redis.Client the caller
// owns (a single server, or a proxy in front of a cluster: the connector
// does not route to cluster nodes itself).
//
//	dst, err := redis.NewSink(redis.SinkConfig{
//		Conn:       redis.Conn{Addr: "cache:6379", Password: pw},
//		Type:       redis.TypeHash,
//		KeyPrefix:  "user:",
//		KeyColumns: []int{0},
//		TTL:        24 * time.Hour,
//	})
//
// Job files name it "redis" (its own config as the parameter object),
// "rediswriter"/"redisreader" (DataX-style parameters, as DataWorks
// spells them) and stepType "redis" in DataWorks scripts; see job/builtin
// and job/datax.
//
// # Writing
//
// Each row becomes one key: KeyPrefix, then the key columns' text joined
// by KeyDelimiter ("\x01" by default, as DataWorks). The other columns
// (less the score and expiry columns) are the value columns, which make
// the row's value: their text joined by ValueDelimiter (FormatText, NULL
// as "") or a JSON object of them (FormatJSON). By Type:
//
//	Type    command                  the row's value is
//	string  SET key value            the key's value, replaced
//	list    RPUSH (or LPUSH) key v   one element pushed
//	set     SADD key value           one member added
//	zset    ZADD key score value     one member, scored by ScoreColumn
//	hash    HSET key f1 v1 f2 v2...  one field per value column (NULL: not set)
//
// Values are written as text, by kind (datasync.Value.AppendTo for text,
// datasync.Value.MarshalJSON inside FormatJSON):
//
//	Kind       text (FormatText, hash fields, keys)     in FormatJSON
//	Int        decimal digits                           a number
//	Float      shortest text that reads back the same   a number ("NaN", "Infinity" as strings)
//	Decimal    its exact text (12.5000 stays 12.5000)   a string
//	Bool       true / false                             true / false
//	String     the text                                 a string
//	Bytes      the bytes as they are                    a base64 string
//	Date       YYYY-MM-DD                               a string
//	Time       HH:MM:SS[.ffffff]                        a string
//	Timestamp  YYYY-MM-DD HH:MM:SS[.ffffff], then Z     a string
//	           for an instant (UTC)
//	JSON       the JSON text                            the JSON itself
//	NULL       empty (a hash field is not set)          null
//
// Several rows with the same key add up for list, set, zset and hash, and
// the last row wins for string. Every type but list is idempotent: a
// split written again leaves the same keys. A list grows again, as with
// DataWorks: clear it (Truncate with a KeyPrefix) before running again.
//
// An expiry is TTL (relative), ExpireAt (one instant for all keys), or
// ExpireAtColumn (each row's instant). A string gets it in its SET (EX,
// PX, EXAT); other types get a PEXPIRE or PEXPIREAT after their command,
// so writing a row to a collection renews the whole key's expiry.
//
// A Writer sends each batch as pipelines of at most BatchRows rows: one
// round trip per pipeline, whatever the number of commands. Everything is
// sent by the time Write returns; Flush has nothing to do. Rows are dirty
// (a *datasync.RowErrors, with the column and the reason) when a key column
// is NULL, a zset score is NULL, not a number or NaN, an expiry column is
// not a time, or the server refuses the row's command (a WRONGTYPE key of
// another type, OOM under maxmemory): the rest of the batch is written.
// A connection that fails fails the Write, and the split is retried.
//
// Truncate deletes the keys under KeyPrefix before the job writes (SCAN
// and UNLINK, in Prepare); it needs a KeyPrefix and never empties a whole
// database. Check pings the server with the credentials and refuses a
// read-only replica.
//
// # Reading
//
// The Source SCANs for the keys matching Match (a glob, "*" by default),
// keeps those of the types in Types (all five by default; with a single
// type, SCAN's TYPE option filters on the server), and reads each key's
// type, expiry and value in two pipelined round trips per SCAN page. Its
// columns depend on Layout:
//
//	LayoutKey (one row per key):  key, type, value, ttl
//	LayoutElement (one row per element):  key, type, field, value, ttl
//
// The type column is Redis's name (string, list, set, zset, hash); ttl is
// the seconds left, rounded up, NULL for a key without expiry. Values map
// so:
//
//	Redis type  LayoutKey value                        LayoutElement field, value
//	string      the string                             NULL, the string
//	list        JSON array of the elements, in order   index ("0", "1"...), element
//	set         JSON array of the members, sorted      NULL, member (sorted)
//	zset        JSON array of {"member","score"}       member, score (as text), in score order
//	hash        JSON object of the fields, sorted      field, value (fields sorted)
//
// The value and field columns are String; a value (or element, field, key)
// that is not UTF-8 makes its key a dirty row, unless Binary reads values
// and fields as Bytes (JSON values are then their UTF-8 bytes, and still
// need UTF-8 elements). A key of another type (stream, a module's) is a
// dirty row unless Types leaves it out. A collection is read whole (LRANGE
// 0 -1, SMEMBERS, ZRANGE, HGETALL): keys of millions of elements need the
// memory.
//
// # Splits and checkpoints
//
// Redis cannot SCAN part of its key space, so a split is a range of the
// 16,384 hash slots that Redis Cluster assigns keys to (CRC16 of the key,
// or of its {hash tag}): Plan divides the slots into Splits ranges (the
// pipeline's parallelism by default), every split SCANs all keys, and
// each reads the types and values of the keys of its own slots only. The
// SCAN itself (keys only, COUNT ScanCount per round trip) is repeated per
// split; the reading of values, which is the work, is divided. Every key
// is in exactly one split.
//
// A reader's checkpoint is the SCAN cursor of the page it is handing out
// ({"cursor":N}, or {"done":true} at the end): a split reopened from it
// starts again at that page. SCAN promises that every key present for the
// whole scan is returned at least once; keys written or deleted during it
// may or may not be. So reading is at-least-once: a resumed split may read
// again the rows of the page it stopped in, and a key SCAN returns twice
// on one page is read once.
package redis
