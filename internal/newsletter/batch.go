package newsletter

import (
	"context"
	"database/sql"
	"strings"

	"vivier/internal/store"
)

// batchRows is how many rows one multi-row statement writes: its text is
// the same for every full group, so it is parsed once per transaction, and
// each execution writes that many rows for the cost of one.
const batchRows = 64

// insertRows runs head (an INSERT … VALUES, without the tuples) followed by
// tail (an ON CONFLICT clause, or "") for every row of rows, batchRows at a
// time, then one row at a time for the rest.
func insertRows(ctx context.Context, tx *sql.Tx, d store.Dialect, head, tail string, width int, rows [][]any) error {
	statement := func(n int) (*sql.Stmt, error) {
		var b strings.Builder
		b.WriteString(head)
		used := 0
		for r := range n {
			if r > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for c := range width {
				if c > 0 {
					b.WriteByte(',')
				}
				used++
				b.WriteString(d.BatchPlaceholder(used))
			}
			b.WriteByte(')')
		}
		b.WriteString(" " + tail)
		return tx.PrepareContext(ctx, b.String())
	}
	exec := func(n int, rows [][]any) error {
		st, err := statement(n)
		if err != nil {
			return err
		}
		defer st.Close()
		args := make([]any, 0, n*width)
		for len(rows) >= n {
			args = args[:0]
			for _, r := range rows[:n] {
				args = append(args, r...)
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
			rows = rows[n:]
		}
		return nil
	}
	full := len(rows) / batchRows * batchRows
	if full > 0 {
		if err := exec(batchRows, rows[:full]); err != nil {
			return err
		}
	}
	if rest := rows[full:]; len(rest) > 0 {
		return exec(1, rest)
	}
	return nil
}
