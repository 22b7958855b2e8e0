//go:build !unix

package newsletter_test

import "time"

// processCPU is only measured on Unix systems.
func processCPU() time.Duration { return 0 }
