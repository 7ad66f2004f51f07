package main

import (
	"context"
	"testing"
)

func TestQuickstartRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("moves a million rows")
	}
	if err := run(context.Background()); err != nil {
		t.Fatal(err)
	}
}
