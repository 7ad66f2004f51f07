// Package builtin registers the connectors that come with datasync, under
// datasync's own names and DataX's plugin names. Importing it fills
// job.DefaultRegistry, as importing a driver fills database/sql's:
//
//	import _ "github.com/datasync-go/datasync/job/builtin"
//
// A program that wants its own set builds a registry instead:
//
//	r := job.NewRegistry()
//	builtin.Register(r) // or only the connectors it wants
//	r.Register("myapi", job.Connector{Source: job.SourceFunc(newMyAPISource)})
package builtin

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/file"
	"github.com/datasync-go/datasync/connector/memcache"
	"github.com/datasync-go/datasync/connector/mongodb"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/connector/oss"
	"github.com/datasync-go/datasync/connector/postgres"
	"github.com/datasync-go/datasync/connector/redis"
	"github.com/datasync-go/datasync/connector/stream"
	"github.com/datasync-go/datasync/job"
	"github.com/datasync-go/datasync/job/datax"
)

func init() { Register(job.DefaultRegistry) }

// Register adds every built-in connector to r: datasync's names, whose
// parameter object is the connector's own config ("mysql", "postgres",
// "file", "oss", "memory", "mongodb", "redis", "memcache"), and DataX's
// plugin names (see package datax).
func Register(r *job.Registry) {
	r.Register("mysql", job.Connector{
		Source: job.SourceFunc(func(c *mysql.SourceConfig) (datasync.Source, error) { return mysql.NewSource(*c) }),
		Sink:   job.SinkFunc(func(c *mysql.SinkConfig) (datasync.Sink, error) { return mysql.NewSink(*c) }),
	})
	r.Register("postgres", job.Connector{
		Source: job.SourceFunc(func(c *postgres.SourceConfig) (datasync.Source, error) { return postgres.NewSource(*c) }),
		Sink:   job.SinkFunc(func(c *postgres.SinkConfig) (datasync.Sink, error) { return postgres.NewSink(*c) }),
	})
	r.Register("file", job.Connector{
		Source: job.SourceFunc(func(c *file.SourceConfig) (datasync.Source, error) { return file.NewSource(*c) }),
		Sink:   job.SinkFunc(func(c *file.SinkConfig) (datasync.Sink, error) { return file.NewSink(*c) }),
	})
	r.Register("oss", job.Connector{
		Source: job.SourceFunc(func(c *oss.SourceConfig) (datasync.Source, error) { return oss.NewSource(*c) }),
		Sink:   job.SinkFunc(func(c *oss.SinkConfig) (datasync.Sink, error) { return oss.NewSink(*c) }),
	})
	r.Register("memory", job.Connector{
		Source: job.SourceFunc(func(c *stream.SourceConfig) (datasync.Source, error) { return stream.NewSource(*c) }),
		Sink:   job.SinkFunc(func(c *stream.SinkConfig) (datasync.Sink, error) { return stream.NewSink(*c) }),
	})
	r.Register("mongodb", job.Connector{
		Source: job.SourceFunc(func(c *mongodb.SourceConfig) (datasync.Source, error) { return mongodb.NewSource(*c) }),
		Sink:   job.SinkFunc(func(c *mongodb.SinkConfig) (datasync.Sink, error) { return mongodb.NewSink(*c) }),
	})
	r.Register("redis", job.Connector{
		Source: job.SourceFunc(func(c *redis.SourceConfig) (datasync.Source, error) { return redis.NewSource(*c) }),
		Sink:   job.SinkFunc(func(c *redis.SinkConfig) (datasync.Sink, error) { return redis.NewSink(*c) }),
	})
	r.Register("memcache", job.Connector{
		Sink: job.SinkFunc(func(c *memcache.SinkConfig) (datasync.Sink, error) { return memcache.NewSink(*c) }),
	})
	datax.Register(r)
}
