package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// mainEnv makes the test binary behave as the vivier command, so tests can
// start it as a real process and send it signals.
const mainEnv = "VIVIER_TEST_RUN_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) != "" {
		os.Exit(Main())
	}
	storetest.Main(m)
}

// run runs the command line in-process with empty environment and returns
// the exit status and outputs.
func run(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(ctx, args, IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestBadInvocationsSayWhatIsWrongOnOneLine(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.db")
	os.WriteFile(corrupt, bytes.Repeat([]byte("not sqlite "), 500), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"serv"}, 2, `vivier: unknown command "serv" (see vivier help)`},
		{"unknown flag", []string{"serve", "--bogus"}, 2, "vivier serve: unknown flag -bogus (see vivier help serve)"},
		{"flag without value", []string{"migrate", "--db"}, 2, "vivier migrate: flag needs an argument: -db"},
		{"negative retention", []string{"serve", "--retention-months", "-3"}, 2, "vivier serve: --retention-months (VIVIER_RETENTION_MONTHS) = -3: want a number of months from 1 to 1200"},
		{"address without port", []string{"serve", "--addr", "localhost"}, 2, "vivier serve: --addr (VIVIER_ADDR) = \"localhost\": want host:port"},
		{"corrupt database", []string{"migrate", "--db", corrupt}, 1, "is not a valid SQLite file"},
		{"unreachable PostgreSQL", []string{"migrate", "--db", "postgres://vivier@127.0.0.1:1/vivier?sslmode=disable&connect_timeout=2"}, 1, "cannot reach PostgreSQL at postgres://127.0.0.1:1/vivier"},
		{"missing folder", []string{"migrate", "--db", "/nowhere/at/all/v.db"}, 1, "folder /nowhere/at/all does not exist"},
		{"backup without file", []string{"backup"}, 2, "give the backup file"},
		{"backup of a missing database", []string{"backup", "--db", filepath.Join(dir, "none.db"), filepath.Join(dir, "b.db")}, 1, "does not exist"},
		{"backup on PostgreSQL", []string{"backup", "--db", "postgres://x@127.0.0.1:1/v", "b.db"}, 1, "use pg_dump"},
		{"bad log level", []string{"serve", "--log-level", "loud"}, 2, `--log-level (VIVIER_LOG_LEVEL) = "loud"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, context.Background(), tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
				t.Errorf("error spans %d lines: %q", n+1, stderr)
			}
		})
	}
}

func TestHelpForEveryCommand(t *testing.T) {
	code, out, _ := run(t, context.Background(), "help")
	if code != 0 {
		t.Fatalf("help exit %d", code)
	}
	for name, cmd := range commands() {
		if !strings.Contains(out, name) {
			t.Errorf("help does not list %s", name)
		}
		code, detail, _ := run(t, context.Background(), "help", name)
		if code != 0 || !strings.Contains(detail, "Usage: vivier "+name) || !strings.Contains(detail, cmd.summary) {
			t.Errorf("help %s: exit %d, %q", name, code, detail)
		}
		code, detail, _ = run(t, context.Background(), name, "-h")
		if code != 0 || !strings.Contains(detail, "Usage: vivier "+name) {
			t.Errorf("%s -h: exit %d, %q", name, code, detail)
		}
	}
}

func TestMigrateOnBothEngines(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			source := storetest.Source(t, engine)
			all, _ := store.Migrations(engine)
			latest := all[len(all)-1].Version
			code, out, stderr := run(t, context.Background(), "migrate", "--db", source)
			if code != 0 || !strings.Contains(out, fmt.Sprintf("schema at version %d (%d applied now)", latest, len(all))) {
				t.Fatalf("first migrate: exit %d, %q %q", code, out, stderr)
			}
			code, out, _ = run(t, context.Background(), "migrate", "--db", source)
			if code != 0 || !strings.Contains(out, fmt.Sprintf("schema at version %d (0 applied now)", latest)) {
				t.Errorf("second migrate: exit %d, %q", code, out)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, context.Background(), "version")
	if code != 0 || !strings.HasPrefix(out, "vivier dev (go") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

func TestFlagsMayFollowArguments(t *testing.T) {
	dir := t.TempDir()
	live, copy := filepath.Join(dir, "live.db"), filepath.Join(dir, "copy.db")
	if code, _, stderr := run(t, context.Background(), "migrate", "--db", live); code != 0 {
		t.Fatalf("migrate: %d %s", code, stderr)
	}
	code, stdout, stderr := run(t, context.Background(), "backup", copy, "--db", live)
	if code != 0 || !strings.Contains(stdout, "written to "+copy) {
		t.Fatalf("vivier backup FILE --db DB: exit %d, %q %q", code, stdout, stderr)
	}
	// After "--", a name that looks like a flag is an argument.
	code, _, stderr = run(t, context.Background(), "backup", "--db", live, "--", "-copy.db")
	if code != 0 {
		t.Fatalf("vivier backup --db DB -- -copy.db: exit %d %q", code, stderr)
	}
	os.Remove("-copy.db")
}

func TestBackupCommandCopiesTheDatabase(t *testing.T) {
	dir := t.TempDir()
	source := filepath.Join(dir, "vivier.db")
	if code, _, stderr := run(t, context.Background(), "migrate", "--db", source); code != 0 {
		t.Fatal(stderr)
	}
	dest := filepath.Join(dir, "copie.db")
	code, out, stderr := run(t, context.Background(), "backup", "--db", source, dest)
	if code != 0 || !strings.Contains(out, "written to "+dest) {
		t.Fatalf("backup: exit %d, %q %q", code, out, stderr)
	}
	db, err := store.Open(context.Background(), dest, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CheckSchema(context.Background()); err != nil {
		t.Errorf("the copy's schema: %v", err)
	}
}

// TestServeStopsGracefullyOnSIGTERM runs vivier serve as a real process,
// checks it serves and is ready, sends SIGTERM, and expects a clean exit.
func TestServeStopsGracefullyOnSIGTERM(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			addr := freeAddr(t)
			cmd := exec.Command(os.Args[0], "serve", "--addr", addr, "--metrics-addr", "127.0.0.1:0", "--db", storetest.Source(t, engine))
			cmd.Env = append(os.Environ(), mainEnv+"=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			waitReady(t, "http://"+addr+"/readyz", &stderr)
			resp, err := http.Get("http://" + addr + "/")
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("home page: %v %v", resp, err)
			}
			resp.Body.Close()
			cmd.Process.Signal(syscall.SIGTERM)
			if err := cmd.Wait(); err != nil {
				t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "shutting down") {
				t.Errorf("no shutdown log line:\n%s", stderr.String())
			}
		})
	}
}

// TestDemoRefusesATakenPort: with another server on the port, the demo
// says so and prints no accounts, which would send the visitor to the
// other server.
func TestDemoRefusesATakenPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, stdout, stderr := run(t, context.Background(), "demo", "--addr", ln.Addr().String(), "--db", filepath.Join(t.TempDir(), "demo.db"))
	if code != 1 || !strings.Contains(stderr, "cannot listen on "+ln.Addr().String()) || !strings.Contains(stderr, "another server") {
		t.Errorf("demo on a taken port: exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stdout, "mot de passe") {
		t.Errorf("accounts printed although the port is taken: %q", stdout)
	}
}

func TestDemoServesWithBanner(t *testing.T) {
	addr := freeAddr(t)
	// No --metrics-addr: the demo opens no metrics listener of its own
	// (a vivier serve on the default one does not stop it).
	cmd := exec.Command(os.Args[0], "demo", "--addr", addr)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitReady(t, "http://"+addr+"/readyz", &stderr)
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "Instance de démonstration") {
		t.Errorf("demo home page has no demo banner")
	}
	if strings.Contains(stderr.String(), "serving metrics") {
		t.Errorf("the demo serves metrics unasked: %q", stderr.String())
	}
	// The printed coordinator account logs in straight away.
	m := regexp.MustCompile(`coordination@demo\.vivier\.fr\s+mot de passe : (.+)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no coordinator account printed: %q", stdout.String())
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err = browser.Get("http://" + addr + "/connexion")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(page))
	if csrf == nil {
		t.Fatal("no CSRF field on the login page")
	}
	resp, err = browser.PostForm("http://"+addr+"/connexion", url.Values{"csrf": {csrf[1]}, "email": {"coordination@demo.vivier.fr"}, "password": {strings.TrimSpace(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/tableau-de-bord" {
		t.Errorf("demo coordinator login ended on %s (%d)", resp.Request.URL.Path, resp.StatusCode)
	}
	cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("demo exit: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Démo Vivier prête") {
		t.Errorf("demo did not announce itself: %q", stdout.String())
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitReady(t *testing.T, url string, logs *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server at %s never became ready; logs:\n%s", url, logs.String())
}
