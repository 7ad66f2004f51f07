//go:build unix

package proc

import (
	"os"
	"os/exec"
	"syscall"
)

// ownGroup makes c the leader of a new process group, so that killGroup
// reaches what it starts too: the real program under GNU time, or the
// children of a shell.
func ownGroup(c *exec.Cmd) {
	if c.SysProcAttr == nil {
		c.SysProcAttr = &syscall.SysProcAttr{}
	}
	c.SysProcAttr.Setpgid = true
}

// killGroup kills the process group p leads.
func killGroup(p *os.Process) { _ = syscall.Kill(-p.Pid, syscall.SIGKILL) }
