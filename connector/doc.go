// Package connector is the registry that job files use to find connectors by
// name, as database/sql finds drivers: a connector package registers itself
// in its init function, and a program imports it for that effect.
//
//	import (
//		_ "github.com/datasync-go/datasync/connector/mysql"
//		_ "github.com/datasync-go/datasync/connector/postgres"
//	)
//
// A connector is registered with the factories that build its Source and
// its Sink from the "parameter" object of a job file. A factory is typed by
// its parameter struct, whose json tags name the settings it accepts: the
// job package decodes "parameter" into it strictly, so that an unknown key,
// a value of the wrong type or a missing required setting
// (`datasync:"required"`) is reported with its path before anything runs.
// Settings tagged `datasync:"secret"` (passwords, access keys) are never
// shown: the command line blots their values out of everything it prints,
// and the configs of this module's connectors mask them in String,
// GoString, LogValue and MarshalJSON (a DSN keeps everything but its
// passwords), so that printing, logging or encoding a config never leaks
// them. Such JSON is for showing: it cannot connect.
//
// Users register their own connectors the same way:
//
//	connector.Register("myapi", connector.Connector{
//		Source: connector.SourceFunc(func(p *MyAPIParams) (datasync.Source, error) {
//			return NewMyAPISource(*p)
//		}),
//	})
package connector
