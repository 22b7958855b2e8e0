//go:build unix

package newsletter_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process used so far (user and system),
// so that a benchmark on a shared machine can say what the code costs.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
