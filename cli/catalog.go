package cli

import (
	"errors"
	"flag"
	"io/fs"

	"github.com/datasync-go/datasync/job/datasource"
)

// catalogFlag is the --datasources flag: the catalog file of named data
// sources, when not the default one.
type catalogFlag struct {
	path string
}

func (e *env) addCatalogFlag(fs *flag.FlagSet) *catalogFlag {
	c := &catalogFlag{}
	fs.StringVar(&c.path, "datasources", "", "the data source catalog `file` (default $"+datasource.EnvPath+
		", else datasync/datasources.json in the user's configuration directory)")
	return c
}

// load reads the catalog: the file given with --datasources, which must
// exist, or else the default one (see datasource.LoadDefault), which may
// not. With create, a catalog file that does not exist yet is an empty
// catalog that Save will create, wherever it was named.
func (c *catalogFlag) load(create bool) (*datasource.Catalog, error) {
	path := c.path
	if path == "" {
		cat, err := datasource.LoadDefault()
		if err == nil || !create || !errors.Is(err, fs.ErrNotExist) {
			return cat, err
		}
		if path, err = datasource.DefaultPath(); err != nil {
			return nil, err
		}
	}
	cat, err := datasource.Load(path)
	if create && errors.Is(err, fs.ErrNotExist) {
		return &datasource.Catalog{}, nil
	}
	return cat, err
}

// savePath is where the catalog is written back: the --datasources file,
// or the one it was loaded from, or the default path.
func (c *catalogFlag) savePath(cat *datasource.Catalog) (string, error) {
	switch {
	case c.path != "":
		return c.path, nil
	case cat.Path() != "":
		return cat.Path(), nil
	}
	return datasource.DefaultPath()
}
