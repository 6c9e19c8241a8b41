package redisstore_test

import (
	"os/exec"
	"syscall"
)

// setPdeathsig kills a worker process when the test process dies.
func setPdeathsig(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
