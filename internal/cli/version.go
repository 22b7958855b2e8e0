package cli

import (
	"context"
	"fmt"
	"runtime"

	"vivier/internal/config"
)

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print the version of vivier",
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			fmt.Fprintf(env.Stdout, "vivier %s (%s, %s/%s)\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
