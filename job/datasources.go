package job

import (
	"fmt"
	"sync"

	"github.com/datasync-go/datasync/job/datasource"
)

// DataSourceLookup returns the data source called name, with its
// credentials resolved, checking that it is of the type the connector
// needs. Its errors name the catalog, the data source, and the variable or
// file of a secret that could not be read; they carry no JSON path (the
// caller adds the path of the "datasource" setting).
type DataSourceLookup func(name string, want datasource.Type) (datasource.Resolved, error)

// DataSourceUser is implemented by decoded connector parameters that may
// name data sources instead of spelling out connections (as DataX's and
// DataWorks' do with "datasource"). Parse calls ResolveDataSources after
// decoding the parameters and before building the connector, so that the
// factory sees connection settings filled in from the catalog. Errors
// should be *ParamError (or a join of them) pointing at the setting at
// fault, such as "connection[0].datasource".
type DataSourceUser interface {
	ResolveDataSources(lookup DataSourceLookup) error
}

// dataSources looks data sources up for one job: in Options.DataSources,
// or else, on the first use, in the catalog at datasource.DefaultPath.
// Every resolved secret goes to the job's redactor.
type dataSources struct {
	redactor *Redactor

	once    sync.Once
	catalog *datasource.Catalog
	err     error
}

func (d *dataSources) get() (*datasource.Catalog, error) {
	d.once.Do(func() {
		if d.catalog == nil {
			d.catalog, d.err = datasource.LoadDefault()
		}
	})
	return d.catalog, d.err
}

// lookup returns a DataSourceLookup for the connector called plugin (for
// messages such as "the postgresqlwriter needs postgresql").
func (d *dataSources) lookup(plugin string) DataSourceLookup {
	return func(name string, want datasource.Type) (datasource.Resolved, error) {
		c, err := d.get()
		if err != nil {
			return datasource.Resolved{}, fmt.Errorf("data source %q: %w", name, err)
		}
		ds, err := c.Get(name)
		if err != nil {
			return datasource.Resolved{}, err
		}
		if want != "" && ds.Type != want {
			return datasource.Resolved{}, fmt.Errorf("data source %s is %s, the %s needs %s", name, ds.Type, plugin, want)
		}
		r, err := ds.Resolve()
		if err != nil {
			return datasource.Resolved{}, err
		}
		d.redactor.Add(r.Secrets()...)
		return r, nil
	}
}
