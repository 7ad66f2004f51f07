package cli

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/datasync-go/datasync/job/datasource"
)

const datasourceAddHelp = `Usage: datasync datasource add NAME --type TYPE [settings] [--datasources FILE]

Adds a data source to the catalog file (created, readable by its owner
only, when it does not exist). TYPE is mysql, postgresql or oss.

  mysql, postgresql:  --jdbc-url URL, or --host, --port and --database
                      (with --property name=value for the URL's parameters);
                      --username, and --password-env VAR or --password-file FILE
  oss:                --endpoint, --bucket, --region; --access-id or
                      --access-id-env, and --access-key-env or --access-key-file

Secrets are stored as references: the catalog names the environment variable
or the file, and the value is read when a job uses the data source. A
password, access key or token written on the command line is refused: it
would be kept in the shell's history and be visible to other users in ps.

Examples:
  datasync datasource add orders_rds --type mysql \
      --jdbc-url jdbc:mysql://rds.example.com:3306/shop --username etl --password-env ORDERS_RDS_PASSWORD
  datasync datasource add dw_pg --type postgresql --host pg.example.com --database dw \
      --property sslmode=require --username loader --password-file /run/secrets/dw_pg
  datasync datasource add lake --type oss --endpoint https://oss-cn-hangzhou.aliyuncs.com --bucket lake \
      --access-id-env OSS_ACCESS_KEY_ID --access-key-env OSS_ACCESS_KEY_SECRET
`

// refusedSecret returns the flag among args that would give a secret's
// value itself (--password, --access-key, --security-token), and the flags
// to use instead. It is looked for before parsing, so that no message
// repeats the value.
func refusedSecret(args []string) (flag, instead string) {
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && slices.Contains([]string{"password", "access-key", "security-token"}, name) {
			return "--" + name, "--" + name + "-env VAR or --" + name + "-file FILE"
		}
	}
	return "", ""
}

// secretFlags are a secret's --X-env and --X-file flags.
type secretFlags struct {
	env, file string
}

func (s *secretFlags) define(fs *flag.FlagSet, name, what string) {
	fs.StringVar(&s.env, name+"-env", "", "the environment `variable` holding the "+what)
	fs.StringVar(&s.file, name+"-file", "", "the `file` holding the "+what)
}

func (s *secretFlags) secret(name string) (datasource.Secret, error) {
	switch {
	case s.env != "" && s.file != "":
		return datasource.Secret{}, fmt.Errorf("give --%s-env or --%s-file, not both", name, name)
	case s.env != "":
		return datasource.Env(s.env), nil
	case s.file != "":
		return datasource.File(s.file), nil
	}
	return datasource.Secret{}, nil
}

// properties collects repeated --property name=value flags.
type properties map[string]string

func (p properties) String() string { return "" }

func (p properties) Set(s string) error { return params(p).Set(s) }

func (e *env) datasourceAdd(args []string) int {
	fs := e.newFlagSet("add", datasourceAddHelp)
	catalog := e.addCatalogFlag(fs)
	var d datasource.DataSource
	var typ, username, accessID string
	var password, accessIDRef, accessKey, token secretFlags
	props := properties{}
	fs.StringVar(&typ, "type", "", "the data source's `type`: mysql, postgresql, oss, redis or memcache")
	fs.StringVar(&d.Description, "description", "", "a description")
	fs.StringVar(&d.JdbcURL, "jdbc-url", "", "the JDBC `URL` (mysql, postgresql)")
	fs.StringVar(&d.Host, "host", "", "the server's host (mysql, postgresql, redis, memcache)")
	fs.IntVar(&d.Port, "port", 0, "the server's port (default 3306, 5432, 6379 or 11211)")
	fs.StringVar(&d.Database, "database", "", "the database (mysql, postgresql; redis: its number)")
	fs.Var(props, "property", "a JDBC URL parameter, `name=value` (repeatable)")
	fs.StringVar(&username, "username", "", "the user name (mysql, postgresql, redis)")
	password.define(fs, "password", "password")
	fs.StringVar(&d.Endpoint, "endpoint", "", "the OSS endpoint")
	fs.StringVar(&d.Bucket, "bucket", "", "the OSS bucket")
	fs.StringVar(&d.Region, "region", "", "the OSS region (for V4 signatures)")
	fs.StringVar(&accessID, "access-id", "", "the OSS AccessKey ID")
	fs.StringVar(&accessIDRef.env, "access-id-env", "", "the environment `variable` holding the AccessKey ID")
	accessKey.define(fs, "access-key", "AccessKey secret")
	token.define(fs, "security-token", "STS security token")
	if refused, instead := refusedSecret(args); refused != "" {
		fmt.Fprintf(e.stderr, "%s datasource add: refusing %s: a secret on the command line is kept in the shell's history "+
			"and shown to other users by ps; use %s instead\n", e.name, refused, instead)
		return ExitInvalid
	}
	names, code, ok := e.nameArgs(fs, args, 1)
	if !ok {
		return code
	}
	d.Name, d.Type = names[0], datasource.Type(typ)
	if len(props) > 0 {
		d.Properties = props
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "%s datasource add %s: %v\n", e.name, d.Name, err)
		return ExitInvalid
	}
	if strings.Contains(strings.ToLower(d.JdbcURL), "password=") || props["password"] != "" {
		return fail(errors.New("refusing a password in the JDBC URL, where the shell's history and ps would show it: " +
			"use --password-env VAR or --password-file FILE instead"))
	}
	var err error
	if username != "" {
		d.Username = datasource.Inline(username) // a user name is no secret
	}
	if accessID != "" && accessIDRef.env != "" {
		return fail(errors.New("give --access-id or --access-id-env, not both"))
	}
	switch {
	case accessID != "":
		d.AccessID = datasource.Inline(accessID)
	case accessIDRef.env != "":
		d.AccessID = datasource.Env(accessIDRef.env)
	}
	if d.Password, err = password.secret("password"); err != nil {
		return fail(err)
	}
	if d.AccessKey, err = accessKey.secret("access-key"); err != nil {
		return fail(err)
	}
	if d.SecurityToken, err = token.secret("security-token"); err != nil {
		return fail(err)
	}
	cat, err := catalog.load(true)
	if err != nil {
		return e.catalogProblem(err)
	}
	if err := cat.Add(d); err != nil {
		return fail(err)
	}
	path, err := catalog.savePath(cat)
	if err == nil {
		err = cat.Save(path)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "%s datasource add %s: %v\n", e.name, d.Name, err)
		return ExitFailed
	}
	fmt.Fprintf(e.stdout, "added data source %q (%s, %s) to %s\n", d.Name, d.Type, where(d), path)
	return ExitOK
}
