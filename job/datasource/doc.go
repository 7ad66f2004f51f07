// Package datasource is datasync's catalog of named data sources, as
// DataWorks' Data Source page keeps them: a connection is registered once
// under a name ("orders_rds", "dw_pg"), and jobs name it instead of
// spelling out URLs and passwords:
//
//	"parameter": {"datasource": "orders_rds", "table": "orders", ...}
//
// A catalog is a JSON file (see Catalog for its shape) or is built in Go:
//
//	cat, err := datasource.New(datasource.DataSource{
//		Name: "orders_rds", Type: datasource.MySQL,
//		Host: "rds.example.com", Database: "shop",
//		Username: datasource.Inline("etl"), Password: datasource.Env("ORDERS_RDS_PASSWORD"),
//	})
//	j, err := job.Load("sync.json", job.Options{DataSources: cat})
//
// The file is found by the command line's --datasources FILE, else the
// environment variable DATASYNC_DATASOURCES, else
// os.UserConfigDir()/datasync/datasources.json (see DefaultPath); Save
// writes it atomically, readable by its owner only.
//
// Credentials are Secrets: references to an environment variable
// ({"env": "VAR"}) or a file ({"file": "/path"}), resolved only when a job
// uses the data source, with errors naming the data source and the
// variable or file. A secret may be written inline, as a plain string, but
// the catalog then holds it in clear; Catalog.Warnings lists those. Nothing
// in this package shows a secret's value: String, GoString, LogValue and
// MarshalJSON of Secret, DataSource and Resolved print references and
// masks, and a job adds every resolved secret to its redactor.
package datasource
