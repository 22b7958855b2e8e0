package network

import (
	"context"
	"database/sql"
	"fmt"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
)

// loadSchedule reads the schedule of year through q; a year without bands
// is « not found ».
func loadSchedule(ctx context.Context, q store.Querier, year int) (Schedule, error) {
	rows, err := q.QueryContext(ctx, `SELECT basis_kind, lower_bound, coalesce(upper_bound, 0), fixed_amount, base_amount, rate_ppm,
		floor_amount, cap_amount FROM fee_bands WHERE year = $1 ORDER BY basis_kind, lower_bound`, year)
	if err != nil {
		return Schedule{}, fmt.Errorf("fee schedule %d: %w", year, err)
	}
	defer rows.Close()
	s := Schedule{Year: year}
	for rows.Next() {
		var b Band
		var fixed sql.NullInt64
		if err := rows.Scan(&b.Basis, &b.From, &b.To, &fixed, &b.Base, &b.RatePPM, &b.Floor, &b.Cap); err != nil {
			return Schedule{}, err
		}
		if fixed.Valid {
			b.Fixed = &fixed.Int64
		}
		s.Bands = append(s.Bands, b)
	}
	if err := rows.Err(); err != nil {
		return Schedule{}, err
	}
	if len(s.Bands) == 0 {
		return Schedule{}, store.NotFound("fee schedule %d", year)
	}
	return s, nil
}

// Schedule returns the fee schedule of year (« not found » when none is
// set); staff only.
func (s *Service) Schedule(ctx context.Context, year int, actor access.Actor) (Schedule, error) {
	if err := staffOnly(actor); err != nil {
		return Schedule{}, err
	}
	return loadSchedule(ctx, s.db, year)
}

// ScheduleYears lists the years that have a fee schedule, most recent
// first; staff only.
func (s *Service) ScheduleYears(ctx context.Context, actor access.Actor) ([]int, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	return ints(ctx, s.db, `SELECT DISTINCT year FROM fee_bands ORDER BY year DESC`)
}

// SaveSchedule replaces the fee schedule of sch.Year; administrators only.
// The memberships already created keep their fee: a changed schedule
// applies to the fees computed afterwards.
func (s *Service) SaveSchedule(ctx context.Context, sch Schedule, actor access.Actor) error {
	if !actor.Admin() {
		return access.Deny("seul un administrateur fixe le barème des cotisations")
	}
	if err := sch.Validate(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := loadSchedule(ctx, tx, sch.Year)
		if err != nil && !isNotFound(err) {
			return err
		}
		if sameSchedule(old, sch) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM fee_bands WHERE year = $1`, sch.Year); err != nil {
			return err
		}
		for _, b := range sch.Bands {
			var to, fixed any
			if b.To != 0 {
				to = b.To
			}
			if b.Fixed != nil {
				fixed = *b.Fixed
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO fee_bands (year, basis_kind, lower_bound, upper_bound, fixed_amount,
				base_amount, rate_ppm, floor_amount, cap_amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				sch.Year, string(b.Basis), b.From, to, fixed, b.Base, b.RatePPM, b.Floor, b.Cap); err != nil {
				return fmt.Errorf("save fee band: %w", err)
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.schedule", Subject: fmt.Sprintf("fee_schedule:%d", sch.Year),
			Details: map[string]any{"bands": len(sch.Bands)}})
	})
}

// sameSchedule reports whether a and b have the same bands, whatever their
// order.
func sameSchedule(a, b Schedule) bool {
	if len(a.Bands) != len(b.Bands) {
		return false
	}
	key := func(x Band) string {
		fixed := "-"
		if x.Fixed != nil {
			fixed = fmt.Sprint(*x.Fixed)
		}
		return fmt.Sprint(x.Basis, x.From, x.To, fixed, x.Base, x.RatePPM, x.Floor, x.Cap)
	}
	seen := map[string]int{}
	for _, x := range a.Bands {
		seen[key(x)]++
	}
	for _, x := range b.Bands {
		if seen[key(x)] == 0 {
			return false
		}
		seen[key(x)]--
	}
	return true
}

// ints reads a column of integers.
func ints(ctx context.Context, q store.Querier, query string, args ...any) ([]int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
