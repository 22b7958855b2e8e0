package store_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// crashChildEnv tells the test binary, re-executed as a child, to write rows
// into the database it names instead of running tests normally.
const crashChildEnv = "VIVIER_CRASH_CHILD_DB"

// crashChild is the child's body, run from TestMain: it commits one row at a
// time and prints each id only after its commit returned, until it is killed.
func crashChild(source string) {
	ctx := context.Background()
	db, err := store.Open(ctx, source, store.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	for id := 1; ; id++ {
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO crash_probe (id, payload) VALUES ($1, $2)", id, fmt.Sprintf("row %d %x", id, make([]byte, 200)))
			return err
		})
		if err != nil {
			fmt.Fprintln(out, "error:", err)
			out.Flush()
			os.Exit(3)
		}
		fmt.Fprintln(out, id)
		out.Flush()
	}
}

// TestAcknowledgedWritesSurviveSIGKILL kills a writing process with SIGKILL
// (and, on PostgreSQL, the database server too) and checks that every row
// whose commit was acknowledged is there after reopening, and that the
// database passes its integrity check.
func TestAcknowledgedWritesSurviveSIGKILL(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			source := storetest.Source(t, engine)
			prepareCrashProbe(t, source)
			acked := runAndKillChild(t, source, 500, func() {
				if engine != store.Postgres {
					return
				}
				if c, ok := storetest.Cluster(t); ok {
					if err := c.Kill(); err != nil {
						t.Fatalf("kill PostgreSQL: %v", err)
					}
					if err := c.Start(); err != nil {
						t.Fatalf("restart PostgreSQL after the crash: %v", err)
					}
				}
			})
			checkRowsSurvived(t, source, acked)
		})
	}
}

func prepareCrashProbe(t *testing.T, source string) {
	db, err := store.Open(context.Background(), source, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), "CREATE TABLE crash_probe (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
}

// runAndKillChild starts the writer, waits for want acknowledgements, kills
// it with SIGKILL while it is writing, runs crash (which may crash more), and
// returns the highest acknowledged id.
func runAndKillChild(t *testing.T, source string, want int, crash func()) int {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), crashChildEnv+"="+source)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	acked := 0
	deadline := time.Now().Add(2 * time.Minute)
	for acked < want && lines.Scan() {
		id, err := strconv.Atoi(lines.Text())
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("child said %q", lines.Text())
		}
		acked = id
		if time.Now().After(deadline) {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	crash()
	cmd.Wait()
	if acked == 0 {
		t.Fatal("the child acknowledged no write")
	}
	return acked
}

func checkRowsSurvived(t *testing.T, source string, acked int) {
	ctx := context.Background()
	db, err := store.Open(ctx, source, store.Options{})
	if err != nil {
		t.Fatalf("reopen after the crash: %v", err)
	}
	defer db.Close()
	var count, max int
	if err := db.QueryRowContext(ctx, "SELECT count(*), coalesce(max(id), 0) FROM crash_probe WHERE id <= $1", acked).Scan(&count, &max); err != nil {
		t.Fatal(err)
	}
	if count != acked {
		t.Errorf("%d of %d acknowledged rows survived", count, acked)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Errorf("integrity after the crash: %v", err)
	}
	t.Logf("%d acknowledged rows, all present after SIGKILL", acked)
}
