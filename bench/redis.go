package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/datasync-go/datasync"
	"github.com/datasync-go/datasync/bench/internal/dataset"
	"github.com/datasync-go/datasync/connector/redis"
)

// The csv->redis scenario: the dataset's CSV file into Redis, one hash per
// row ("bench:<id>", a field per other column, NULL fields not set), in the
// database -redis-db of the server -redis, which the harness empties
// (FLUSHDB) before every run. Beside it, redis-cli --pipe reads the same
// rows already written as Redis protocol (HSET commands, made from the
// generator once, like the CSV file, and not timed): the native tool's best
// case, since it parses nothing.
//
// The check counts the keys (DBSIZE must be the row count) and compares
// redisSampled rows spread over the dataset, field by field, with the
// generator's.

// redisEnd is a Redis database as a target.
const redisEnd endpoint = "redis"

// redisKeyPrefix is put before each row's id.
const redisKeyPrefix = "bench:"

// redisSampled is the number of rows the check reads back.
const redisSampled = 2000

func init() {
	scenarios = append(scenarios, scenario{Name: "csv->redis", From: csvEnd, To: redisEnd, Natives: []native{redisCLIPipe}})
	libraryScenarios["csv->redis"] = library(csvSource, redisSink)
	toolNames["redis-cli"] = []string{"redis-cli"}
}

// redisSink writes the rows as hashes, as the scenario says.
func redisSink(p Params) (datasync.Sink, error) {
	return redis.NewSink(redis.SinkConfig{
		Conn:      redis.Conn{Addr: p.RedisAddr, DB: p.RedisDB},
		Type:      redis.TypeHash,
		KeyPrefix: redisKeyPrefix,
	})
}

// redisCLIPipe is redis-cli's mass insertion mode, fed the protocol file.
var redisCLIPipe = native{
	Name: "redis-cli --pipe < RESP file", Tools: []string{"redis-cli"},
	Build: func(e *env) plan {
		host, port, err := net.SplitHostPort(e.cfg.Redis)
		if err != nil {
			host, port = e.cfg.Redis, "6379"
		}
		cmd := exec.Command(e.tool("redis-cli"), "-h", host, "-p", port, "-n", strconv.Itoa(e.cfg.RedisDB), "--pipe")
		return plan{Cmds: []*exec.Cmd{cmd}, Stdin: e.respSource()}
	},
}

// respSource is the path of the dataset as Redis protocol.
func (e *env) respSource() string {
	return filepath.Join(filepath.Dir(e.csvSource), "bench.resp")
}

// redisClient connects to the benchmark's database. FLUSHDB of a million
// hashes blocks the server for seconds: the timeouts are the run's.
func (h *harness) redisClient() *goredis.Client {
	return goredis.NewClient(&goredis.Options{Addr: h.e.cfg.Redis, DB: h.e.cfg.RedisDB, DisableIdentity: true,
		ReadTimeout: h.e.cfg.Timeout, WriteTimeout: h.e.cfg.Timeout})
}

// prepareRedis checks that the server answers, records its version, and
// writes the protocol file when it is missing or older than the CSV file's
// generator spec (its first line is a comment-free RESP, so the spec is
// kept in a side file).
func (h *harness) prepareRedis(ctx context.Context) error {
	c := h.redisClient()
	defer c.Close()
	info, err := c.Info(ctx, "server").Result()
	if err != nil {
		return fmt.Errorf("connect to %s: %w", h.e.cfg.Redis, err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
			h.servers["redis"] = v
		}
	}
	path, stamp := h.e.respSource(), h.e.respSource()+".spec"
	if old, err := os.ReadFile(stamp); err == nil && string(old) == h.gen.Spec().Fingerprint() && !h.e.cfg.Regen {
		return nil
	}
	h.step("writing the dataset as Redis protocol to %s", path)
	if err := writeRESP(path, h.gen); err != nil {
		return err
	}
	return os.WriteFile(stamp, []byte(h.gen.Spec().Fingerprint()), 0o644)
}

// writeRESP writes an HSET command per row of g, as the sink writes them.
func writeRESP(path string, g *dataset.Generator) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	names := dataset.Schema().Names()
	var args [][]byte
	err = g.Each(func(_ int64, r datasync.Record) error {
		args = append(args[:0], []byte("HSET"), r[0].AppendTo([]byte(redisKeyPrefix)))
		for i := 1; i < len(r); i++ {
			if !r[i].IsNull() {
				args = append(args, []byte(names[i]), r[i].AppendTo(nil))
			}
		}
		if len(args) == 2 {
			return nil // no field to set: the sink writes nothing either
		}
		fmt.Fprintf(w, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(w, "$%d\r\n", len(a))
			w.Write(a)
			w.WriteString("\r\n")
		}
		return nil
	})
	if err == nil {
		err = w.Flush()
	}
	return errors.Join(err, f.Close())
}

// emptyRedis empties the benchmark's database.
func (h *harness) emptyRedis(ctx context.Context) error {
	c := h.redisClient()
	defer c.Close()
	if err := c.FlushDB(ctx).Err(); err != nil {
		return fmt.Errorf("empty the Redis target (FLUSHDB of database %d): %w", h.e.cfg.RedisDB, err)
	}
	return nil
}

// verifyRedis counts the keys and compares redisSampled rows with the
// generator's; it returns what differs, "" when nothing does.
func (h *harness) verifyRedis(ctx context.Context) (string, error) {
	c := h.redisClient()
	defer c.Close()
	n, err := c.DBSize(ctx).Result()
	if err != nil {
		return "", err
	}
	rows := h.gen.Rows()
	if n != rows {
		return fmt.Sprintf("%d keys, want %d", n, rows), nil
	}
	names := dataset.Schema().Names()
	rec := make(datasync.Record, len(names))
	step := max(rows/redisSampled, 1)
	pipe := c.Pipeline()
	var want []map[string]string
	var cmds []*goredis.MapStringStringCmd
	for i := int64(0); i < rows; i += step {
		h.gen.Fill(i, rec)
		fields := map[string]string{}
		for j := 1; j < len(rec); j++ {
			if !rec[j].IsNull() {
				fields[names[j]] = string(rec[j].AppendTo(nil))
			}
		}
		want = append(want, fields)
		cmds = append(cmds, pipe.HGetAll(ctx, string(rec[0].AppendTo([]byte(redisKeyPrefix)))))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return "", err
	}
	for k, cmd := range cmds {
		if got := cmd.Val(); !maps.Equal(got, want[k]) {
			return fmt.Sprintf("%s holds %v, want %v", cmd.Args()[1], got, want[k]), nil
		}
	}
	return "", nil
}
