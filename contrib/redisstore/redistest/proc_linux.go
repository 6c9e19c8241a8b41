package redistest

import (
	"os/exec"
	"syscall"
)

// setProcAttr kills redis-server when the test process dies, so a crashed
// test leaves no server behind.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
