package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"vivier/internal/config"
	"vivier/internal/store"
)

// newLogger builds the structured logger the configuration asks for.
func newLogger(w io.Writer, cfg config.Config) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("log level %q: want debug, info, warn or error", cfg.LogLevel)}
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(cfg.LogFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError{fmt.Sprintf("log format %q: want text or json", cfg.LogFormat)}
}

// openDatabase opens and migrates the configured database.
func openDatabase(ctx context.Context, cfg config.Config, logger *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range applied {
		logger.Info("migration applied", "version", m.Version, "name", m.Name)
	}
	return db, nil
}

// openLogged builds the logger, then opens and migrates the database: the
// start of every command that works on the database.
func openLogged(ctx context.Context, env IO, cfg config.Config) (*slog.Logger, *store.DB, error) {
	logger, err := newLogger(env.Stderr, cfg)
	if err != nil {
		return nil, nil, err
	}
	db, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	return logger, db, nil
}
