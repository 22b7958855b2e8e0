// Package cli is the vivier command: it parses subcommands and their flags,
// wires configuration, database, domain services and servers together, and
// turns every failure into one clear line and a non-zero exit status.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"vivier/internal/config"
)

// Version is set at build time with -ldflags "-X vivier/internal/cli.Version=…".
var Version = "dev"

// IO are the streams a command reads and writes; tests give their own.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// command is one subcommand.
type command struct {
	name    string
	summary string // one line for `vivier help`
	usage   string // arguments after the name, e.g. "FILE"
	detail  string // paragraph for `vivier help NAME`
	// flags registers the command's flags on fs, reading defaults from cfg.
	flags func(fs *flag.FlagSet, cfg *config.Config)
	run   func(ctx context.Context, env IO, cfg config.Config, args []string) error
}

// usageError marks an error in how the command was called (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() map[string]*command {
	list := []*command{serveCommand(), demoCommand(), migrateCommand(), backupCommand(), versionCommand(),
		userCommand(), importCommand(), exportCommand(), matchCommand(), tokenCommand(), reportCommand()}
	m := map[string]*command{}
	for _, c := range list {
		m[c.name] = c
	}
	return m
}

// Run runs the command line args (without the program name) and returns the
// process exit status.
func Run(ctx context.Context, args []string, env IO) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	cmds := commands()
	if len(args) == 0 {
		printHelp(env.Stderr, cmds)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return help(env, cmds, rest)
	}
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "vivier: unknown command %q (see vivier help)\n", name)
		return 2
	}
	if err := runCommand(ctx, env, cmd, rest); err != nil {
		fmt.Fprintf(env.Stderr, "vivier %s: %s\n", cmd.name, oneLine(err))
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

func runCommand(ctx context.Context, env IO, cmd *command, args []string) error {
	cfg, err := config.FromEnv(env.Getenv)
	if err != nil {
		return usageError{err.Error()}
	}
	fs := newFlagSet(cmd, &cfg)
	positional, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		commandHelp(env.Stdout, cmd)
		return nil
	}
	if err != nil {
		return usageError{fmt.Sprintf("%s (see vivier help %s)", flagMessage(err), cmd.name)}
	}
	if err := cfg.Validate(); err != nil {
		return usageError{err.Error()}
	}
	return cmd.run(ctx, env, cfg, positional)
}

// parseInterleaved parses args with fs and returns the arguments that are
// not flags, in order. Unlike fs.Parse, which stops at the first of them,
// it reads flags wherever they stand — `vivier backup copy.db --db live.db`
// works like `vivier backup --db live.db copy.db` — one rule for every
// command. After "--", everything is an argument.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func newFlagSet(cmd *command, cfg *config.Config) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if cmd.flags != nil {
		cmd.flags(fs, cfg)
	}
	return fs
}

// flagMessage rewrites the flag package's errors in plain words.
func flagMessage(err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "unknown flag " + rest
	}
	return msg
}

// oneLine keeps an error on one line: the user reads the cause, not a dump.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func help(env IO, cmds map[string]*command, args []string) int {
	if len(args) == 0 {
		printHelp(env.Stdout, cmds)
		return 0
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "vivier help: unknown command %q\n", args[0])
		return 2
	}
	commandHelp(env.Stdout, cmd)
	return 0
}

func printHelp(w io.Writer, cmds map[string]*command) {
	fmt.Fprint(w, "Vivier — the expertise network of the economic-development agencies.\n\nUsage: vivier COMMAND [flags] [arguments]\n\nCommands:\n")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprint(w, "  help       show help for a command: vivier help COMMAND\n\n"+
		"With no configuration Vivier uses the SQLite database vivier.db in the working directory.\n"+
		"Every flag has a VIVIER_* environment equivalent, shown in each command's help.\n")
}

func commandHelp(w io.Writer, cmd *command) {
	fmt.Fprintf(w, "Usage: vivier %s [flags] %s\n\n%s\n", cmd.name, cmd.usage, cmd.summary)
	if cmd.detail != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(cmd.detail))
	}
	cfg := config.Default()
	fs := newFlagSet(cmd, &cfg)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
