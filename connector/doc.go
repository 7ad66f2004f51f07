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
package connector
