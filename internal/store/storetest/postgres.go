package storetest

import (
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// pgServer is the PostgreSQL server the tests of this process use.
type pgServer struct {
	adminURL string        // URL of the maintenance database "postgres"
	cluster  *LocalCluster // nil for an external server
	admin    *sql.DB
}

var (
	serverOnce sync.Once
	server     *pgServer
	serverErr  error
	counter    atomic.Int64
)

func nextID() int64 { return counter.Add(1) }

func postgresServer() (*pgServer, error) {
	serverOnce.Do(func() { server, serverErr = startServer() })
	return server, serverErr
}

func startServer() (*pgServer, error) {
	s := &pgServer{adminURL: os.Getenv("VIVIER_TEST_POSTGRES")}
	if s.adminURL == "" {
		c, err := StartCluster()
		if err != nil {
			return nil, err
		}
		s.cluster, s.adminURL = c, c.URL("postgres")
	}
	admin, err := sql.Open("pgx", s.adminURL)
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		stopCluster()
		return nil, fmt.Errorf("PostgreSQL at %s does not answer: %v", redact(s.adminURL), err)
	}
	s.admin = admin
	return s, nil
}

func stopCluster() {
	if server == nil {
		return
	}
	if server.admin != nil {
		server.admin.Close()
	}
	if server.cluster != nil {
		server.cluster.Stop()
	}
}

// createDatabase creates an empty database, dropped when t ends.
func (s *pgServer) createDatabase(t testing.TB) (string, error) {
	name := dbName()
	if _, err := s.admin.Exec("CREATE DATABASE " + name); err != nil {
		return "", err
	}
	t.Cleanup(func() {
		s.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, _ := url.Parse(s.adminURL)
	u.Path = "/" + name
	return u.String(), nil
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// LocalCluster is a PostgreSQL cluster started by the tests in a temporary
// folder, listening on a loopback port.
type LocalCluster struct {
	bin  string // folder holding initdb, pg_ctl, postgres
	dir  string // temporary folder: data/ and the socket
	port int
	cred *syscall.Credential // set when running as root: PostgreSQL refuses root
}

// StartCluster creates and starts a throwaway cluster.
func StartCluster() (*LocalCluster, error) {
	bin, err := findPostgresBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "vivier-pg-")
	if err != nil {
		return nil, err
	}
	c := &LocalCluster{bin: bin, dir: dir}
	if err := c.dropRoot(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	out, err := c.run("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb failed: %v: %s", err, lastLine(out))
	}
	if err := c.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

// URL is the connection URL of database name on the cluster.
func (c *LocalCluster) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, name)
}

// Start starts (or restarts) the server on a free port the first time, the
// same port afterwards, and waits until it accepts connections.
func (c *LocalCluster) Start() error {
	if c.port == 0 {
		port, err := freePort()
		if err != nil {
			return err
		}
		c.port = port
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=on -c max_connections=200", c.port, c.dir)
	out, err := c.run("pg_ctl", "-D", c.data(), "-o", opts, "-l", filepath.Join(c.dir, "log"), "-w", "-t", "60", "start")
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		return fmt.Errorf("pg_ctl start failed: %v: %s %s", err, lastLine(out), lastLine(log))
	}
	return nil
}

// Kill sends SIGKILL to the postmaster and its children, as a crash would.
func (c *LocalCluster) Kill() error {
	pidFile, err := os.ReadFile(filepath.Join(c.data(), "postmaster.pid"))
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.SplitN(string(pidFile), "\n", 2)[0])
	if err != nil {
		return err
	}
	// The children notice the postmaster's death and exit; kill the group to
	// be sure nothing keeps running.
	syscall.Kill(pid, syscall.SIGKILL)
	for i := 0; i < 100; i++ {
		if syscall.Kill(pid, 0) != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	return nil
}

// Stop stops the server and removes its folder.
func (c *LocalCluster) Stop() {
	c.run("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

func (c *LocalCluster) data() string { return filepath.Join(c.dir, "data") }

func (c *LocalCluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	// pg_ctl start leaves the server running with our stdout: give it none,
	// or the test binary would wait for it.
	cmd.Stdin = nil
	out, err := cmd.CombinedOutput()
	return out, err
}

// dropRoot makes the cluster run as the "postgres" (or "nobody") user when
// the tests run as root, since PostgreSQL refuses to run as root.
func (c *LocalCluster) dropRoot() error {
	if os.Geteuid() != 0 {
		return nil
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return errors.New("running as root and no postgres or nobody user to run PostgreSQL as")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if err := os.Chown(c.dir, uid, gid); err != nil {
		return err
	}
	return os.Chmod(c.dir, 0o700)
}

// findPostgresBin finds the folder holding initdb and pg_ctl.
func findPostgresBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "pg_ctl")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- { // newest version first
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("no initdb found on PATH nor under /usr/lib/postgresql/*/bin; install PostgreSQL or set VIVIER_TEST_POSTGRES")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
