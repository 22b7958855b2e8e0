package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestReadsThroughTheStatementCache runs more distinct read statements than
// the SQLite statement cache holds, from several goroutines, each keeping
// rows open while others push statements out: every answer must be right,
// later writes must be seen by statements prepared before them, and a bad
// statement must still say what is wrong.
func TestReadsThroughTheStatementCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, `CREATE TABLE cache_probe (n INTEGER NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		for n := range 3 {
			if _, err := db.ExecContext(ctx, `INSERT INTO cache_probe (n) VALUES ($1)`, n); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 150 {
					k := g*1000 + i%75 // 600 distinct texts, each used twice
					rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT n + %d FROM cache_probe ORDER BY n`, k))
					if err != nil {
						errs <- err
						return
					}
					var got []int
					for rows.Next() {
						var v int
						rows.Scan(&v)
						got = append(got, v)
					}
					var one int
					// A one-row read while the rows above are still open.
					if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) + %d FROM cache_probe`, k)).Scan(&one); err != nil {
						errs <- err
						return
					}
					rows.Close()
					if fmt.Sprint(got) != fmt.Sprint([]int{k, k + 1, k + 2}) || one != k+3 {
						errs <- fmt.Errorf("statement %d read %v and %d", k, got, one)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}

		count := func() (n int) {
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM cache_probe`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		if _, err := db.ExecContext(ctx, `INSERT INTO cache_probe (n) VALUES (9)`); err != nil {
			t.Fatal(err)
		}
		if after := count(); after != before+1 {
			t.Fatalf("a statement prepared before a write read %d rows after it, want %d", after, before+1)
		}
		var n int
		err := db.QueryRowContext(ctx, `SELECT n FROM no_such_table`).Scan(&n)
		if err == nil || !strings.Contains(err.Error(), "no_such_table") {
			t.Fatalf("bad statement: got %v, want an error naming no_such_table", err)
		}
	})
}
