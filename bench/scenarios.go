package main

import (
	"fmt"
	"path"
	"strings"
)

// endpoint is where a scenario reads or writes.
type endpoint string

const (
	memoryEnd  endpoint = "memory"  // the generator, in the process
	discardEnd endpoint = "discard" // dropped, counted
	pgEnd      endpoint = "pg"      // table bench in PostgreSQL
	mysqlEnd   endpoint = "mysql"   // table bench in MySQL/MariaDB
	csvEnd     endpoint = "csv"     // the CSV file (source) or a directory of files (target)
)

// scenario is one kind of transfer, run by the library (at each parallelism)
// and by each of its native tools.
type scenario struct {
	Name     string
	From, To endpoint
	Natives  []native
}

// scenarios is the catalog, in the order of the table.
var scenarios = []scenario{
	{Name: "memory->discard", From: memoryEnd, To: discardEnd},
	{Name: "pg->pg", From: pgEnd, To: pgEnd, Natives: []native{pgCopyText, pgCopyBinary, pgDump}},
	{Name: "mysql->pg", From: mysqlEnd, To: pgEnd, Natives: []native{mysqlBatchToPsql, pgloader}},
	{Name: "pg->mysql", From: pgEnd, To: mysqlEnd, Natives: []native{pgToMySQL}},
	{Name: "mysql->mysql", From: mysqlEnd, To: mysqlEnd, Natives: []native{mysqlBatchToLoadData, mysqlDump}},
	{Name: "pg->csv", From: pgEnd, To: csvEnd, Natives: []native{pgToCSV}},
	{Name: "csv->pg", From: csvEnd, To: pgEnd, Natives: []native{csvToPG}},
	{Name: "mysql->csv", From: mysqlEnd, To: csvEnd, Natives: []native{mysqlToFile}},
	{Name: "csv->mysql", From: csvEnd, To: mysqlEnd, Natives: []native{csvToMySQL}},
}

// uses reports whether the scenario reads or writes end.
func (s scenario) uses(end endpoint) bool { return s.From == end || s.To == end }

// selectScenarios returns the scenarios of all that -only names, in catalog
// order, each once; all of them when only is empty. A name may be written
// with "-" for "->", "file" for "csv" and "memory" for memory->discard, and
// may be a pattern ("pg->*", "*->csv"). A name that matches nothing is an
// error listing the valid ones.
func selectScenarios(all []scenario, only []string) ([]scenario, error) {
	if len(only) == 0 {
		return all, nil
	}
	chosen := make([]bool, len(all))
	for _, pattern := range only {
		p := normalizeName(pattern)
		matched := false
		for i, s := range all {
			name := normalizeName(s.Name)
			ok, err := path.Match(p, name)
			if err != nil {
				return nil, fmt.Errorf("-only %q: %w", pattern, err)
			}
			if ok || p == "memory" && s.From == memoryEnd {
				chosen[i], matched = true, true
			}
		}
		if !matched {
			return nil, fmt.Errorf("-only %q matches no scenario; the scenarios are: %s", pattern, strings.Join(names(all), ", "))
		}
	}
	var out []scenario
	for i, s := range all {
		if chosen[i] {
			out = append(out, s)
		}
	}
	return out, nil
}

func normalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "->", "-")
	return strings.ReplaceAll(s, "file", "csv")
}

func names(all []scenario) []string {
	out := make([]string, len(all))
	for i, s := range all {
		out[i] = s.Name
	}
	return out
}
