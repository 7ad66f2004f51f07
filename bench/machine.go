package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/datasync-go/datasync/bench/internal/report"
)

// machine describes this machine and the tools' versions, for the report's
// header: numbers mean little without them.
func machine(ctx context.Context, e *env, gnuTime string, servers map[string]string) report.Machine {
	m := report.Machine{
		CPU:     cpuModel(),
		Cores:   runtime.NumCPU(),
		Memory:  memTotal(),
		OS:      runtime.GOOS + "/" + runtime.GOARCH,
		Go:      runtime.Version(),
		Servers: servers,
		Tools:   map[string]string{},
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.OS += " " + strings.TrimSpace(string(b))
	}
	m.Hostname, _ = os.Hostname()
	for name, path := range e.tools {
		if path == "" {
			m.Tools[name] = "not installed"
			continue
		}
		m.Tools[name] = toolVersion(ctx, path)
	}
	for name := range toolNames {
		if _, ok := e.tools[name]; !ok {
			m.Tools[name] = "not installed"
		}
	}
	m.Tools["GNU time"] = "not installed"
	if gnuTime != "" {
		m.Tools["GNU time"] = "installed"
	}
	return m
}

// toolVersion returns the version in the first line of "tool --version":
// "15.20" from "psql (PostgreSQL) 15.20 (Debian ...)", "10.11.19-MariaDB"
// from "mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for ...".
func toolVersion(ctx context.Context, path string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return "unknown version"
	}
	line, _, _ := bytes.Cut(out, []byte{'\n'})
	return parseVersion(string(line))
}

func parseVersion(line string) string {
	s := strings.TrimSpace(line)
	if _, after, ok := strings.Cut(s, "Distrib "); ok {
		v, _, _ := strings.Cut(after, ",")
		return v
	}
	for _, prefix := range []string{"psql (PostgreSQL) ", "pg_dump (PostgreSQL) ", "pgloader version "} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			v, _, _ := strings.Cut(rest, " ")
			return strings.Trim(v, `"`)
		}
	}
	return s
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

// memTotal returns the machine's memory in bytes, 0 when unknown.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
