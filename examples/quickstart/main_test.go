package main

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQuickstartRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("moves a million rows twice")
	}
	dir := t.TempDir()
	if err := run(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "dirty.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 5 {
		t.Fatalf("want 5 dirty lines, got %d", len(lines))
	}
	for _, l := range lines {
		if !strings.Contains(l, `"value":"N/A"`) || !strings.Contains(l, "orders_") {
			t.Errorf("a dirty line should name its file and value: %s", l)
		}
	}
}

func TestQuickstartLeavesNoTemporaryDirectoryBehind(t *testing.T) {
	defer func(n int64) { orders = n }(orders)
	orders = 20_000
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir, err := quickstart(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s is still there (%v)", dir, err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind in the temporary directory: %v", left)
	}

	dir, err = quickstart(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "dirty.jsonl")); err != nil {
		t.Errorf("-keep keeps the files: %v", err)
	}
}
