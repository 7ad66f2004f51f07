// Package memcache writes rows to memcached (and to services that speak
// its protocol, such as ApsaraDB for Memcache, formerly OCS) for datasync,
// through github.com/bradfitz/gomemcache, as DataX's ocswriter and
// DataWorks' Memcache writer do. There is no Source: memcached cannot list
// its keys.
//
//	dst, err := memcache.NewSink(memcache.SinkConfig{
//		Servers:    []string{"cache1:11211", "cache2:11211"},
//		KeyColumns: []int{0},
//		KeyPrefix:  "user:",
//		TTL:        time.Hour,
//	})
//
// Job files name it "memcache" (its own config as the parameter object),
// "ocswriter" (DataX's parameters) and stepTypes "ocs" and "memcache" in
// DataWorks scripts; see job/builtin and job/datax.
//
// # Items
//
// Each row becomes one item. Its key is KeyPrefix, then the key columns'
// text joined by KeyDelimiter (":" by default: DataX's "\x01" is a control
// character, which memcached's text protocol does not take in a key). Its
// value is made of the other columns:
//
//	Format  value                                         types
//	text    the columns' text joined by ValueDelimiter    every kind, by its text form
//	        ("\x01" by default); NULL is empty            (datasync.Value.AppendTo)
//	binary  the single value column's bytes as they are   Bytes; String as UTF-8;
//	                                                      other kinds by their text form
//
// The text form of each kind (datasync.Value.AppendTo) is:
//
//	Int: decimal digits         Float: shortest text that reads back the same
//	Decimal: its exact text     Bool: true / false      String: the text
//	Bytes: the bytes as they are                        JSON: the JSON text
//	Date: YYYY-MM-DD            Time: HH:MM:SS[.ffffff]
//	Timestamp: YYYY-MM-DD HH:MM:SS[.ffffff], then Z for an instant (UTC)
//	NULL: empty
//
// WriteMode is memcached's storage command: set (the default), add,
// replace, append or prepend. TTL or ExpireAt give every item an
// expiration (relative seconds up to 30 days, then the Unix time, as
// memcached reads them); append and prepend keep the item's own.
//
// # Writing and dirty rows
//
// A Writer stores a batch's items before Write returns, Concurrency
// requests at a time: rows are spread over that many workers by a hash of
// their key, so the rows of one key are stored in their order. gomemcache
// sends one request per item (memcached's text protocol has no batch
// store); Flush has nothing left to do. A row is dirty, with its reason,
// when a key column is NULL; when its key is not one memcached takes (over
// 250 bytes, spaces, control characters); when its key and value are over
// MaxItemSize (sent nowhere); when the server answers NOT_STORED (add on a
// key that exists; replace, append or prepend on one that does not); or
// when it answers SERVER_ERROR (such as "object too large for cache", near
// the limit). A connection that fails fails the Write, and the split is
// retried: set is idempotent, add reports the items already stored as
// dirty, append and prepend add again.
//
// Check pings every server. memcached's text protocol has no
// authentication: a server that needs SASL (a public OCS endpoint) cannot
// be written to; ApsaraDB for Memcache reached from its VPC without a
// password can.
package memcache
