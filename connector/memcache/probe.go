package memcache

import (
	"fmt"
	"strings"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
)

// ProbeReport is what Probe found out about memcached servers.
type ProbeReport struct {
	// Servers are the servers probed, each of which answered.
	Servers []string
}

// String is the report as lines of "what: finding", for people.
func (r ProbeReport) String() string {
	return fmt.Sprintf("%-16s %s\n", "servers:", strings.Join(r.Servers, ", ")+" (all answer)")
}

// Probe checks that every server answers, as Check does; it writes
// nothing. timeout bounds each server's answer (0 is 5s).
func Probe(servers []string, timeout time.Duration) (*ProbeReport, error) {
	if len(servers) == 0 {
		return nil, fmt.Errorf("memcache probe: no servers")
	}
	c := memcache.New(servers...)
	defer c.Close()
	c.Timeout = cmpOr(timeout, defaultTimeout)
	if err := c.Ping(); err != nil {
		return nil, fmt.Errorf("memcache %s: %w", strings.Join(servers, ","), err)
	}
	return &ProbeReport{Servers: servers}, nil
}
