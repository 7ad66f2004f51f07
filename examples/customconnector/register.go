package customconnector

import (
	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector"
)

// Importing the package makes "httpjson" usable as a reader in job files.
func init() {
	connector.Register("httpjson", connector.Connector{
		Source: connector.SourceFunc(func(c *Config) (datasync.Source, error) { return NewSource(*c) }),
	})
}
