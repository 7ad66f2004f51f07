package main

// The connectors a job file can name. Each registers itself with package
// connector when imported.
import (
	_ "github.com/datasync-go/datasync/connector/file"
	_ "github.com/datasync-go/datasync/connector/mysql"
	_ "github.com/datasync-go/datasync/connector/oss"
	_ "github.com/datasync-go/datasync/connector/postgres"
	_ "github.com/datasync-go/datasync/connector/stream"
)
