// Package connector is the home of datasync's connectors, one package per
// system: mysql, postgres, file, oss and stream. Each has a Go-native config
// and builds a datasync.Source, a datasync.Sink or both; none knows of job
// files.
//
// Job files name connectors through a job.Registry, which maps names (such
// as DataX's "mysqlreader") to factories that decode a "parameter" object
// and build the connector. Package job/builtin registers the connectors
// here; a connector of your own is registered the same way:
//
//	r := job.NewRegistry()
//	builtin.Register(r)
//	r.Register("myapi", job.Connector{
//		Source: job.SourceFunc(func(p *MyAPIParams) (datasync.Source, error) {
//			return NewMyAPISource(*p)
//		}),
//	})
//
// examples/customconnector is a complete example.
//
// Settings a factory's parameter struct tags `datasync:"secret"` are never
// shown by the job layer, and the configs of this module's connectors mask
// their secrets in String, GoString, LogValue and MarshalJSON (a DSN keeps
// everything but its passwords), so that printing, logging or encoding a
// config never leaks them. Such JSON is for showing: it cannot connect.
package connector
