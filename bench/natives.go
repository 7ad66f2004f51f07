package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/internal/checksum"
)

// native is a native tool, or a pipeline of them, that does a scenario's
// work. It runs as one stream: the tools have no parallelism setting (pgloader
// has its own, left at its defaults).
type native struct {
	Name        string           // as shown in the table
	Tools       []string         // the tools it needs (keys of toolNames)
	LocalInfile bool             // needs the MySQL server's local_infile
	Output      checksum.Dialect // the format it writes, for a CSV target
	// Build returns what one run executes. It has no side effects.
	Build func(e *env) plan
}

var columns = dataset.ColumnList()

// The natives. Each uses the tools as a careful user would: the mariadb
// client with --quick (without it, it holds the whole result in memory),
// explicit column lists, and only the options the formats need.
var (
	pgCopyText = native{
		Name: "psql COPY | psql COPY", Tools: []string{"psql"},
		Build: func(e *env) plan {
			return plan{Cmds: []*exec.Cmd{
				e.psql(e.pgSource, fmt.Sprintf("COPY %s (%s) TO STDOUT", dataset.Table, columns)),
				e.psql(e.pgTarget, fmt.Sprintf("COPY %s (%s) FROM STDIN", dataset.Table, columns)),
			}}
		},
	}
	pgCopyBinary = native{
		Name: "psql COPY binary | psql COPY binary", Tools: []string{"psql"},
		Build: func(e *env) plan {
			return plan{Cmds: []*exec.Cmd{
				e.psql(e.pgSource, fmt.Sprintf("COPY %s (%s) TO STDOUT (FORMAT binary)", dataset.Table, columns)),
				e.psql(e.pgTarget, fmt.Sprintf("COPY %s (%s) FROM STDIN (FORMAT binary)", dataset.Table, columns)),
			}}
		},
	}
	pgDump = native{
		Name: "pg_dump | psql", Tools: []string{"pg_dump", "psql"},
		Build: func(e *env) plan {
			dump := exec.Command(e.tool("pg_dump"), "--data-only", "--table=public."+dataset.Table, "-d", psqlDSN(e.pgSource))
			dump.Env = e.psqlEnv()
			return plan{Cmds: []*exec.Cmd{dump, e.psql(e.pgTarget, "")}}
		},
	}
	mysqlBatchToPsql = native{
		Name: "mariadb --batch | psql COPY", Tools: []string{"mariadb", "psql"},
		Build: func(e *env) plan {
			// The batch format is PostgreSQL's text format but for NULL,
			// which it prints as the word NULL.
			return plan{Cmds: []*exec.Cmd{
				e.mysqlBatchSelect(),
				e.psql(e.pgTarget, fmt.Sprintf("COPY %s (%s) FROM STDIN (NULL 'NULL')", dataset.Table, columns)),
			}}
		},
	}
	pgloader = native{
		Name: "pgloader", Tools: []string{"pgloader"},
		Build: func(e *env) plan {
			from, into := e.pgloaderURLs()
			script := fmt.Sprintf("LOAD DATABASE\n  FROM %s\n  INTO %s\nWITH data only\nINCLUDING ONLY TABLE NAMES MATCHING '%s'\nALTER SCHEMA '%s' RENAME TO 'public';\n",
				from, into, dataset.Table, e.cfg.Database)
			dir := filepath.Join(filepath.Dir(e.csvSource), "pgloader")
			path := filepath.Join(dir, "mysql-to-pg.load")
			cmd := exec.Command(e.tool("pgloader"), "--root-dir", dir, "--on-error-stop", path)
			return plan{Cmds: []*exec.Cmd{cmd}, Files: map[string]string{path: script}}
		},
	}
	pgToMySQL = native{
		Name: "psql COPY | mariadb LOAD DATA LOCAL", Tools: []string{"psql", "mariadb"}, LocalInfile: true,
		Build: func(e *env) plan {
			// PostgreSQL's text format is LOAD DATA's default one; booleans
			// must be 1/0 for MySQL's tinyint(1).
			sel := strings.Replace(columns, "active", "active::int", 1)
			return plan{Cmds: []*exec.Cmd{
				e.psql(e.pgSource, fmt.Sprintf("COPY (SELECT %s FROM %s) TO STDOUT", sel, dataset.Table)),
				e.mariadb(e.cfg.TargetDatabase(), "--local-infile=1", "-e",
					fmt.Sprintf("LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE %s CHARACTER SET utf8mb4 (%s)", dataset.Table, columns)),
			}}
		},
	}
	mysqlBatchToLoadData = native{
		Name: "mariadb --batch | mariadb LOAD DATA LOCAL", Tools: []string{"mariadb"}, LocalInfile: true,
		Build: func(e *env) plan {
			return plan{Cmds: []*exec.Cmd{
				e.mysqlBatchSelect(),
				e.mariadb(e.cfg.TargetDatabase(), "--local-infile=1", "-e",
					loadDataNullIf("'/dev/stdin'", "", "NULL", nil)),
			}}
		},
	}
	mysqlDump = native{
		Name: "mariadb-dump | mariadb", Tools: []string{"mariadb-dump", "mariadb"},
		Build: func(e *env) plan {
			args := append(e.mysqlArgs(), "--no-create-info", "--skip-triggers", e.cfg.Database, dataset.Table)
			dump := exec.Command(e.tool("mariadb-dump"), args...)
			dump.Env = e.mysqlEnv()
			return plan{Cmds: []*exec.Cmd{dump, e.mariadb(e.cfg.TargetDatabase())}}
		},
	}
	pgToCSV = native{
		Name: "psql COPY csv > file", Tools: []string{"psql"}, Output: checksum.CSV,
		Build: func(e *env) plan {
			cmd := e.psql(e.pgSource, fmt.Sprintf("COPY %s (%s) TO STDOUT (FORMAT csv, HEADER)", dataset.Table, columns))
			return plan{Cmds: []*exec.Cmd{cmd}, Stdout: filepath.Join(e.csvTargetDir, "bench.csv")}
		},
	}
	csvToPG = native{
		Name: "psql COPY csv < file", Tools: []string{"psql"},
		Build: func(e *env) plan {
			cmd := e.psql(e.pgTarget, fmt.Sprintf("COPY %s (%s) FROM STDIN (FORMAT csv, HEADER)", dataset.Table, columns))
			return plan{Cmds: []*exec.Cmd{cmd}, Stdin: e.csvSource}
		},
	}
	mysqlToFile = native{
		Name: "mariadb --batch > file (TSV)", Tools: []string{"mariadb"}, Output: checksum.MySQLBatch,
		Build: func(e *env) plan {
			// The client cannot write CSV; its batch output is the closest
			// (and a simpler format: no quoting).
			return plan{Cmds: []*exec.Cmd{e.mysqlBatchSelect()}, Stdout: filepath.Join(e.csvTargetDir, "bench.tsv")}
		},
	}
	csvToMySQL = native{
		Name: "mariadb LOAD DATA LOCAL csv", Tools: []string{"mariadb"}, LocalInfile: true,
		Build: func(e *env) plan {
			// RFC 4180 quoting (ESCAPED BY '': backslashes are data), a
			// header to skip, NULL as an empty field, booleans as true/false.
			format := `FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\n' IGNORE 1 LINES `
			load := loadDataNullIf(sqlString(e.csvSource), format, "", map[string]string{"active": "IF(@active = '', NULL, @active = 'true')"})
			return plan{Cmds: []*exec.Cmd{e.mariadb(e.cfg.TargetDatabase(), "--local-infile=1", "-e", load)}}
		},
	}
)

// mysqlBatchSelect returns the mariadb client reading the source table in
// batch mode (tab-separated, escaped, no header), row by row (--quick).
func (e *env) mysqlBatchSelect() *exec.Cmd {
	return e.mariadb(e.cfg.Database, "--batch", "--quick", "--skip-column-names", "-e",
		fmt.Sprintf("SELECT %s FROM %s", columns, dataset.Table))
}

// loadDataNullIf returns a LOAD DATA LOCAL INFILE of file (an SQL string)
// into the target table, format being its FIELDS/LINES clauses, that reads
// every column into a variable and stores NULL for the text null. override
// gives other expressions for some columns.
func loadDataNullIf(file, format, null string, override map[string]string) string {
	names := dataset.Schema().Names()
	vars := make([]string, len(names))
	sets := make([]string, len(names))
	for i, n := range names {
		vars[i] = "@" + n
		expr, ok := override[n]
		if !ok {
			expr = fmt.Sprintf("NULLIF(@%s, %s)", n, sqlString(null))
		}
		sets[i] = n + " = " + expr
	}
	return fmt.Sprintf("LOAD DATA LOCAL INFILE %s INTO TABLE %s CHARACTER SET utf8mb4 %s(%s) SET %s",
		file, dataset.Table, format, strings.Join(vars, ", "), strings.Join(sets, ", "))
}

// sqlString quotes s as a MySQL string literal.
func sqlString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
