package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// signalContext is cancelled on SIGINT or SIGTERM, which start a graceful
// shutdown.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// Main runs the vivier command on the process's arguments and streams,
// stopping gracefully on SIGINT or SIGTERM, and returns the exit status.
func Main() int {
	ctx, stop := signalContext()
	defer stop()
	return Run(ctx, os.Args[1:], IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
}
