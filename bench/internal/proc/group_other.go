//go:build !unix

package proc

import (
	"os"
	"os/exec"
)

// ownGroup does nothing: process groups are a Unix notion.
func ownGroup(*exec.Cmd) {}

// killGroup kills p alone.
func killGroup(p *os.Process) { _ = p.Kill() }
