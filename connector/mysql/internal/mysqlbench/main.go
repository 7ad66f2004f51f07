// Command mysqlbench measures a MySQL -> MySQL copy of a generated table of
// 1,000,000 rows and ten mixed columns (about 10% NULLs) with datasync,
// beside the native tools, in the same run:
//
//	datasync        connector/mysql Source -> Sink (LOAD DATA LOCAL), in a child process
//	pipe            mariadb --batch --raw -e "SELECT ..." | mariadb -e "LOAD DATA LOCAL INFILE '/dev/stdin' ..."
//	dump            mariadb-dump src t | mariadb dst
//
// Each contender runs as a child process into an empty copy of the table;
// its wall time and peak resident memory (the largest of the child and its
// descendants, from wait4) are reported, and the copy is checked against
// the source with CHECKSUM TABLE. The MySQL server's own memory is not
// counted. Run it from the repository:
//
//	go run ./connector/mysql/internal/mysqlbench -rows 1000000 -runs 3
//
// It uses DATASYNC_TEST_MYSQL_DSN (or -server) and creates, and drops at the
// end unless -keep, the databases dsbench_mysql_src and dsbench_mysql_dst.
// The generated source is kept between runs with -keep.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	ds "github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/connector/mysql"
	"github.com/datasync-go/datasync/source"
)

const (
	srcDB = "dsbench_mysql_src"
	dstDB = "dsbench_mysql_dst"
)

const ddl = `CREATE TABLE t (
  id bigint NOT NULL PRIMARY KEY,
  qty int,
  big bigint,
  name varchar(64),
  note text,
  amount decimal(18,4),
  score double,
  active tinyint(1),
  created datetime(6),
  day date
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`

var (
	server      = flag.String("server", envOr("DATASYNC_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/"), "MySQL DSN of the server")
	rows        = flag.Int64("rows", 1_000_000, "rows in the generated table")
	runs        = flag.Int("runs", 1, "runs of each contender, in turn (the table shows each, the best and the median)")
	parallelism = flag.Int("parallelism", 4, "datasync's parallelism")
	batchRows   = flag.Int("batch", 4096, "datasync's batch rows")
	splits      = flag.Int("splits", 0, "datasync's splits (0: the source's default)")
	only        = flag.String("only", "datasync,pipe,dump", "contenders to run")
	keep        = flag.Bool("keep", false, "keep the databases (and reuse the generated source next time)")
	child       = flag.String("child", "", "internal: run this contender in this process")
	cpuProfile  = flag.String("cpuprofile", "", "write datasync's CPU profile to this file")
)

func main() {
	flag.Parse()
	cfg, err := gomysql.ParseDSN(*server)
	if err != nil {
		log.Fatalf("-server: %v", err)
	}
	if *child == "datasync" {
		runDatasync(cfg)
		return
	}
	admin := open(cfg, "")
	defer admin.Close()
	must(admin.Exec("CREATE DATABASE IF NOT EXISTS " + srcDB + " CHARACTER SET utf8mb4"))
	if n := count(admin, srcDB); n != *rows {
		generate(cfg, admin)
	}
	var want string
	if err := admin.QueryRow("CHECKSUM TABLE "+srcDB+".t").Scan(new(string), &want); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("source: %d rows, %s; server %s; %d CPUs; %s\n\n", *rows, tableSize(admin), version(admin), runtime.NumCPU(), time.Now().Format(time.RFC3339))

	type result struct {
		name    string
		elapsed []time.Duration
		maxRSS  []int64
	}
	names := strings.Split(*only, ",")
	results := make([]result, len(names))
	// Round robin, so that the noise of a shared machine falls on every
	// contender alike.
	for run := 0; run < *runs; run++ {
		for k, name := range names {
			r := &results[k]
			r.name = name
			must(admin.Exec("DROP DATABASE IF EXISTS " + dstDB))
			must(admin.Exec("CREATE DATABASE " + dstDB + " CHARACTER SET utf8mb4"))
			if name != "dump" {
				must(admin.Exec("USE " + dstDB))
				must(admin.Exec(ddl))
			}
			cmd := command(name, cfg)
			cmd.Stderr = os.Stderr
			serverBefore := serverCPU()
			start := time.Now()
			out, err := cmd.Output()
			elapsed := time.Since(start)
			serverUsed := serverCPU() - serverBefore
			if err != nil {
				log.Fatalf("%s: %v\n%s", name, err, out)
			}
			var got string
			if err := admin.QueryRow("CHECKSUM TABLE "+dstDB+".t").Scan(new(string), &got); err != nil {
				log.Fatal(err)
			}
			if got != want {
				log.Printf("%s: CHECKSUM TABLE differs: %s, want %s", name, got, want)
			}
			usage := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			rss := usage.Maxrss * 1024
			clientCPU := time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
			fmt.Printf("%-9s run %d: %7.2fs  %9.0f rows/s  peak RSS %6.1f MB  client CPU %6.2fs  server CPU %6.2fs  %s\n", name, run+1, elapsed.Seconds(),
				float64(*rows)/elapsed.Seconds(), float64(rss)/(1<<20), clientCPU.Seconds(), serverUsed.Seconds(), strings.TrimSpace(string(out)))
			r.elapsed = append(r.elapsed, elapsed)
			r.maxRSS = append(r.maxRSS, rss)
		}
	}
	fmt.Printf("\n%-9s %9s %9s %12s %12s %26s\n", "", "best", "median", "best rows/s", "peak RSS", "datasync is (best, median)")
	var mineBest, mineMedian time.Duration
	for _, r := range results {
		if r.name == "datasync" {
			mineBest, mineMedian = slices.Min(r.elapsed), median(r.elapsed)
		}
	}
	for _, r := range results {
		best, med := slices.Min(r.elapsed), median(r.elapsed)
		ratio := ""
		if mineBest > 0 && r.name != "datasync" {
			ratio = fmt.Sprintf("%.2fx, %.2fx faster", best.Seconds()/mineBest.Seconds(), med.Seconds()/mineMedian.Seconds())
		}
		fmt.Printf("%-9s %8.2fs %8.2fs %12.0f %9.1f MB %26s\n", r.name, best.Seconds(), med.Seconds(), float64(*rows)/best.Seconds(),
			float64(slices.Max(r.maxRSS))/(1<<20), ratio)
	}
	if !*keep {
		must(admin.Exec("DROP DATABASE IF EXISTS " + dstDB))
		must(admin.Exec("DROP DATABASE IF EXISTS " + srcDB))
	}
}

// command returns the child process of a contender.
func command(name string, cfg *gomysql.Config) *exec.Cmd {
	host, port := splitAddr(cfg.Addr)
	client := fmt.Sprintf("mariadb -h %s -P %s -u %s", host, port, cfg.User)
	var script string
	switch name {
	case "datasync":
		self, err := os.Executable()
		if err != nil {
			log.Fatal(err)
		}
		args := []string{"-child", "datasync", "-server", cfg.FormatDSN(), fmt.Sprint("-parallelism=", *parallelism),
			fmt.Sprint("-batch=", *batchRows), fmt.Sprint("-splits=", *splits), "-cpuprofile=" + *cpuProfile}
		cmd := exec.Command(self, args...)
		return cmd
	case "pipe":
		// NULL must arrive as \N, which --batch prints as "NULL": the
		// SELECT writes it (the bench data has no tab, newline or
		// backslash, so --raw is exact).
		cols := []string{"id", "qty", "big", "name", "note", "amount", "score", "active", "created", "day"}
		exprs := make([]string, len(cols))
		for i, c := range cols {
			exprs[i] = fmt.Sprintf(`IFNULL(%s, '\\\\N')`, c)
		}
		exprs[0] = "id"
		script = fmt.Sprintf(`%s --batch --raw --skip-column-names -e "SELECT %s FROM %s.t" | %s --local-infile=1 %s -e "LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE t"`,
			client, strings.Join(exprs, ", "), srcDB, client, dstDB)
	case "dump":
		script = fmt.Sprintf("mariadb-dump -h %s -P %s -u %s %s t | %s %s", host, port, cfg.User, srcDB, client, dstDB)
	default:
		log.Fatalf("unknown contender %q", name)
	}
	cmd := exec.Command("bash", "-o", "pipefail", "-c", script)
	cmd.Env = append(os.Environ(), "MYSQL_PWD="+cfg.Passwd)
	return cmd
}

// runDatasync is the child process of the datasync contender.
func runDatasync(cfg *gomysql.Config) {
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	srcCfg, dstCfg := cfg.Clone(), cfg.Clone()
	srcCfg.DBName, dstCfg.DBName = srcDB, dstDB
	src, err := mysql.NewSource(mysql.SourceConfig{DSN: srcCfg.FormatDSN(), Table: "t", Splits: *splits})
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	dst, err := mysql.NewSink(mysql.SinkConfig{DSN: dstCfg.FormatDSN(), Table: "t"})
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()
	p, err := ds.NewPipeline(src, dst, ds.WithParallelism(*parallelism), ds.WithBatchSize(*batchRows, 8<<20))
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var longest, shortest time.Duration
	for i, sp := range res.Splits {
		if i == 0 || sp.Elapsed > longest {
			longest = sp.Elapsed
		}
		if i == 0 || sp.Elapsed < shortest {
			shortest = sp.Elapsed
		}
	}
	summary, _ := json.Marshal(map[string]any{"splits": len(res.Splits), "read_wait": res.ReadWait.Round(time.Millisecond).String(),
		"write_wait": res.WriteWait.Round(time.Millisecond).String(), "split_time": fmt.Sprintf("%s..%s",
			shortest.Round(time.Millisecond), longest.Round(time.Millisecond))})
	fmt.Println(string(summary))
}

// generate fills the source table with datasync itself (a generated source
// into the MySQL sink).
func generate(cfg *gomysql.Config, admin *sql.DB) {
	start := time.Now()
	must(admin.Exec("DROP TABLE IF EXISTS " + srcDB + ".t"))
	must(admin.Exec("USE " + srcDB))
	must(admin.Exec(ddl))
	schema := ds.Schema{
		{Name: "id", Kind: ds.KindInt}, {Name: "qty", Kind: ds.KindInt}, {Name: "big", Kind: ds.KindInt},
		{Name: "name", Kind: ds.KindString}, {Name: "note", Kind: ds.KindString}, {Name: "amount", Kind: ds.KindDecimal},
		{Name: "score", Kind: ds.KindFloat}, {Name: "active", Kind: ds.KindInt}, {Name: "created", Kind: ds.KindTimestamp},
		{Name: "day", Kind: ds.KindDate},
	}
	const pool = 4096
	names, notes, amounts := make([]ds.Value, pool), make([]ds.Value, pool), make([]ds.Value, pool)
	for i := range pool {
		names[i] = ds.String(fmt.Sprintf("customer-%06d-%s", i*7919%1000003, strings.Repeat("x", i%30)))
		notes[i] = ds.String(strings.Repeat(fmt.Sprintf("note %d, ", i*31), 20)[:90+i%20])
		amounts[i], _ = ds.Decimal(fmt.Sprintf("%d.%04d", (i*7927)%100000000, i%10000))
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	gen := source.Generate(schema, *rows, func(i int64, r ds.Record) error {
		h := uint64(i)*0x9E3779B97F4A7C15 + 1
		r[0] = ds.Int(i + 1)
		r[1] = ds.Int(int64(h>>40) % 100000)
		r[2] = ds.Int(int64(h >> 1))
		r[3] = names[h%pool]
		r[4] = notes[(h>>12)%pool]
		r[5] = amounts[(h>>24)%pool]
		r[6] = ds.Float(float64(h>>11) / (1 << 40))
		r[7] = ds.Int(int64(h>>7) & 1)
		r[8] = ds.TimestampValue(ds.TimestampFromMicros(base+int64(h>>30), false))
		r[9] = ds.DateValue(ds.DateFromDays(18000 + int64(h>>50)%5000))
		for c := 1; c < len(r); c++ { // about 10% NULLs in each nullable column
			if (h>>uint(c*3))%10 == 0 {
				r[c] = ds.Null()
			}
		}
		return nil
	})
	genCfg := cfg.Clone()
	genCfg.DBName = srcDB
	dst, err := mysql.NewSink(mysql.SinkConfig{DSN: genCfg.FormatDSN(), Table: "t"})
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()
	p, err := ds.NewPipeline(gen, dst, ds.WithParallelism(2))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	must(admin.Exec("ANALYZE TABLE " + srcDB + ".t"))
	fmt.Printf("generated %d rows in %s\n", *rows, time.Since(start).Round(time.Millisecond))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// serverCPU returns the CPU time the local MySQL server has used, 0 when it
// is not on this machine (or not visible).
func serverCPU() time.Duration {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		comm, err := os.ReadFile("/proc/" + d.Name() + "/comm")
		if err != nil {
			continue
		}
		if c := strings.TrimSpace(string(comm)); c != "mariadbd" && c != "mysqld" {
			continue
		}
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			return 0
		}
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		var utime, stime int64
		fmt.Sscan(fields[11], &utime)
		fmt.Sscan(fields[12], &stime)
		return time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ is 100 on Linux
	}
	return 0
}

func open(cfg *gomysql.Config, db string) *sql.DB {
	c := cfg.Clone()
	c.DBName = db
	conn, err := sql.Open("mysql", c.FormatDSN())
	if err != nil {
		log.Fatal(err)
	}
	conn.SetMaxOpenConns(1)
	return conn
}

func count(db *sql.DB, database string) int64 {
	var n int64
	if err := db.QueryRow("SELECT COUNT(*) FROM " + database + ".t").Scan(&n); err != nil {
		return -1
	}
	return n
}

func tableSize(db *sql.DB) string {
	var data, index int64
	if err := db.QueryRow("SELECT DATA_LENGTH, INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 't'", srcDB).Scan(&data, &index); err != nil {
		return "?"
	}
	return fmt.Sprintf("%.0f MB on disk", float64(data+index)/(1<<20))
}

func version(db *sql.DB) string {
	var v string
	_ = db.QueryRow("SELECT VERSION()").Scan(&v)
	return v
}

func splitAddr(addr string) (string, string) {
	host, port, ok := strings.Cut(addr, ":")
	if !ok {
		return host, "3306"
	}
	return host, port
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func must(_ sql.Result, err error) {
	if err != nil {
		log.Fatal(err)
	}
}
