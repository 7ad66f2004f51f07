package customconnector

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/job"
)

// Register makes "httpjson" usable as a reader in job files read with r.
func Register(r *job.Registry) {
	r.Register("httpjson", job.Connector{
		Source: job.SourceFunc(func(c *Config) (datasync.Source, error) { return NewSource(*c) }),
	})
}
