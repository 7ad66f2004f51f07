package redis

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ProbeTimeout bounds a Probe whose context has no deadline.
const ProbeTimeout = 10 * time.Second

// ProbeReport is what Probe found out about a server.
type ProbeReport struct {
	// Addr is the server probed; Version, Mode (standalone, cluster,
	// sentinel) and Role (master, slave) are its INFO's.
	Addr, Version, Mode, Role string
	// DB is the database probed and Keys its number of keys (DBSIZE).
	DB   int
	Keys int64
}

// String is the report as lines of "what: finding", for people.
func (r ProbeReport) String() string {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-16s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("server", "Redis %s (%s)", r.Version, r.Mode)
	line("address", "%s, database %d", r.Addr, r.DB)
	role := r.Role
	if role == "slave" {
		role += " (a replica: it can be read, not written)"
	}
	line("role", "%s", role)
	line("keys", "%d", r.Keys)
	return b.String()
}

// Probe connects to the server of c, as a Source or Sink would, and
// reports what it is: version, mode, role and the number of keys of the
// database. It reads nothing else and writes nothing.
func Probe(ctx context.Context, c Conn) (*ProbeReport, error) {
	if errs := c.validate(); len(errs) > 0 {
		return nil, fmt.Errorf("redis probe: %v", errs[0])
	}
	if _, has := ctx.Deadline(); !has {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ProbeTimeout)
		defer cancel()
	}
	cl, owned := c.client()
	if owned {
		defer cl.Close()
	}
	info, err := cl.Info(ctx, "server", "replication").Result()
	if err != nil {
		return nil, fmt.Errorf("redis %s: %w", c.where(), err)
	}
	r := &ProbeReport{Addr: cl.Options().Addr, DB: cl.Options().DB}
	for _, l := range strings.Split(info, "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(l), ":")
		switch k {
		case "redis_version":
			r.Version = v
		case "redis_mode":
			r.Mode = v
		case "role":
			r.Role = v
		}
	}
	if r.Keys, err = cl.DBSize(ctx).Result(); err != nil {
		return nil, fmt.Errorf("redis %s: DBSIZE: %w", c.where(), err)
	}
	return r, nil
}
