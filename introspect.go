package datasync

import "context"

// Introspector is implemented by a Source that can describe what its system
// holds, for tools that let a user choose what to read (datasync's codeless
// UI): the schemas, the tables in each, and the columns of a table with
// their kinds and native types. It uses the source's connection only: the
// table or query the source was configured with plays no part, so a source
// configured with any valid query introspects the whole database it
// connects to.
//
// The database connectors list schemas (MySQL's databases, PostgreSQL's
// schemas), tables and views. The file and OSS connectors have one schema,
// "", whose tables are the objects their paths match; a table's columns are
// read from its first line (the header), sampled, as text.
type Introspector interface {
	// Schemas lists the schemas (databases) the source's user can see,
	// system schemas left out, sorted.
	Schemas(ctx context.Context) ([]string, error)
	// Tables lists the tables, views and objects of a schema, sorted by
	// name. schema "" is the connection's current schema.
	Tables(ctx context.Context, schema string) ([]TableInfo, error)
	// Columns describes a table's columns in order, as the source would
	// read them (Kind, Native, Nullable, Key). It fails with an error naming
	// the table when there is no such table.
	Columns(ctx context.Context, schema, table string) (Schema, error)
}

// TableInfo describes one table, view or object an Introspector lists.
type TableInfo struct {
	Schema string    `json:"schema"`          // the schema (database) it is in; "" for files and objects
	Name   string    `json:"name"`            // its name, or a file's path, or an object's key
	Type   TableType `json:"type"`            // table, view or object
	Rows   int64     `json:"rows,omitempty"`  // an estimate of its rows, 0 when unknown
	Bytes  int64     `json:"bytes,omitempty"` // its size (files and objects), 0 when unknown
}

// TableType is what kind of thing a TableInfo describes.
type TableType string

// The kinds of TableInfo.
const (
	TableTypeTable  TableType = "table"  // a base table
	TableTypeView   TableType = "view"   // a view (or materialized view)
	TableTypeObject TableType = "object" // a file or an object-store object
)
