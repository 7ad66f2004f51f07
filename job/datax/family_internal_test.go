package datax

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datasync-go/datasync/connector/mysql"
)

// Each MySQL-speaking member's writer takes the bulk path that works on
// its service (see the package doc's table).
func TestFamilyMySQLWritersTakeTheirPath(t *testing.T) {
	want := map[string]mysql.LoadData{
		"polardbwriter":       mysql.LoadDataAuto,
		"drdswriter":          mysql.LoadDataOff,
		"adbmysqlwriter":      mysql.LoadDataOff,
		"hybriddbmysqlwriter": mysql.LoadDataOff,
		"oceanbasev10writer":  mysql.LoadDataAuto,
	}
	for _, m := range family {
		path, ok := want[m.writer]
		if !ok {
			continue
		}
		p := &familyWriterParams{member: m, WriterParams: WriterParams{Connection: []WriterConnection{{JdbcURL: "jdbc:mysql://h/db", Table: []string{"t"}}}}}
		out, err := translateFamilySink(p)
		require.NoError(t, err, m.writer)
		cfg, err := out.(*mysqlWriterParams).sinkConfig()
		require.NoError(t, err)
		assert.Equal(t, path, cfg.LoadData, m.writer)
	}
	// A job's own loadData wins.
	p := &familyWriterParams{member: family[1], LoadData: string(mysql.LoadDataRequire), WriterParams: WriterParams{Connection: []WriterConnection{{JdbcURL: "jdbc:mysql://h/db", Table: []string{"t"}}}}}
	out, err := translateFamilySink(p)
	require.NoError(t, err)
	assert.Equal(t, string(mysql.LoadDataRequire), out.(*mysqlWriterParams).LoadData)
}

func TestOceanBaseUsersNameTheTenantAndCluster(t *testing.T) {
	for _, tc := range []struct{ url, user, wantURL, wantUser string }{
		{"||_dsc_ob10_dsc_||obcluster:sales||_dsc_ob10_dsc_||jdbc:mysql://proxy:2883/db", "app", "jdbc:mysql://proxy:2883/db", "app@sales#obcluster"},
		{"||_dsc_ob10_dsc_||obcluster:sales||_dsc_ob10_dsc_||jdbc:mysql://proxy:2883/db", "app@sales#obcluster", "jdbc:mysql://proxy:2883/db", "app@sales#obcluster"},
		{"jdbc:mysql://proxy:2883/db", "app@sales#obcluster", "jdbc:mysql://proxy:2883/db", "app@sales#obcluster"},
	} {
		u, user := oceanBaseUser(tc.url, tc.user)
		assert.Equal(t, tc.wantURL, u)
		assert.Equal(t, tc.wantUser, user)
	}
	u, err := ParseJDBC("jdbc:mysql://proxy:2883/db", "mysql")
	require.NoError(t, err)
	dsn, _ := u.MySQLDSN("app@sales#obcluster", "pw")
	assert.Equal(t, "app@sales#obcluster:pw@tcp(proxy:2883)/db", dsn[:len("app@sales#obcluster:pw@tcp(proxy:2883)/db")],
		"the go-sql-driver DSN keeps the user as OceanBase's proxy wants it")
}
