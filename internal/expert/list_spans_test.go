package expert

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// available says, day by day, whether periods cover [from, to] at days a
// week or more: the meaning of the availability filter, without spans.
func available(periods []Period, from, to date.Date, days int) bool {
	for d := from; !d.After(to); d = d.AddDays(1) {
		covered := false
		for _, p := range periods {
			if p.DaysPerWeek >= days && !d.Before(p.Start) && !d.After(p.End) {
				covered = true
			}
		}
		if !covered {
			return false
		}
	}
	return true
}

// checkAvailability compares the availability filter of List with the
// day-by-day answer for every expert, over windows that start, end and
// straddle the joins and gaps of the periods, at every level.
func checkAvailability(t *testing.T, s *Service, step string) {
	t.Helper()
	ctx := context.Background()
	all, err := s.List(ctx, Filter{PageSize: MaxPageSize}, access.System)
	if err != nil {
		t.Fatal(err)
	}
	d := date.MustParse
	windows := [][2]date.Date{
		{d("2027-01-01"), d("2027-01-31")}, {d("2027-01-31"), d("2027-02-01")}, {d("2027-01-15"), d("2027-02-15")},
		{d("2027-02-01"), d("2027-02-28")}, {d("2027-02-27"), d("2027-03-02")}, {d("2027-01-01"), d("2027-03-31")},
		{d("2027-03-02"), d("2027-03-02")}, {d("2026-12-31"), d("2027-01-01")},
	}
	for _, w := range windows {
		for days := 1; days <= 5; days++ {
			var want []string
			for _, e := range all.Experts {
				if available(e.Availability, w[0], w[1], days) {
					want = append(want, e.Reference)
				}
			}
			for _, limit := range []int{0, 1} {
				got, err := s.List(ctx, Filter{AvailableFrom: w[0], AvailableTo: w[1], DaysPerWeek: days, PageSize: MaxPageSize, CountUpTo: limit}, access.System)
				if err != nil {
					t.Fatal(err)
				}
				if limit == 0 && refs(got) != strings.Join(want, ",") {
					t.Errorf("%s: available %s–%s at %d days: %s, want %s", step, w[0], w[1], days, refs(got), strings.Join(want, ","))
				}
				if limit == 1 && got.Total != min(len(want), 1) {
					t.Errorf("%s: available %s–%s at %d days, counted up to 1: %d, want %d", step, w[0], w[1], days, got.Total, min(len(want), 1))
				}
			}
		}
	}
}

// TestAvailabilityFilterFollowsEveryWrite checks the stored spans against
// the periods after a creation, an update of the periods, an import that
// changes them and an anonymisation, on both engines.
func TestAvailabilityFilterFollowsEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		d := date.MustParse
		// Periods that join without a gap (at different levels), with a
		// one-day gap, and a single one.
		profiles := []Profile{
			{Reference: "J", LastName: "Joint", Email: "j@x.fr", Availability: []Period{
				{d("2027-01-01"), d("2027-01-31"), 4}, {d("2027-02-01"), d("2027-02-28"), 2}, {d("2027-03-01"), d("2027-03-31"), 5}}},
			{Reference: "G", LastName: "Gap", Email: "g@x.fr", Availability: []Period{
				{d("2027-01-01"), d("2027-01-30"), 3}, {d("2027-02-01"), d("2027-03-31"), 3}}},
			{Reference: "S", LastName: "Single", Email: "s@x.fr", Availability: []Period{{d("2026-12-01"), d("2027-06-30"), 1}}},
			{Reference: "N", LastName: "None", Email: "n@x.fr"},
		}
		for _, p := range profiles {
			if _, err := s.Create(ctx, p, coordinator); err != nil {
				t.Fatal(err)
			}
		}
		checkAvailability(t, s, "created")

		g, _ := s.ByReference(ctx, "G", access.System)
		g.Availability = []Period{{d("2027-01-01"), d("2027-01-31"), 3}, {d("2027-02-01"), d("2027-03-31"), 2}}
		if _, err := s.Update(ctx, g.ID, g.Profile, coordinator); err != nil {
			t.Fatal(err)
		}
		checkAvailability(t, s, "gap filled by an update")

		csv := "reference,nom,email,disponibilites\n" +
			"J,Joint,j@x.fr,\n" +
			"N,None,n@x.fr,2027-01-10..2027-02-10:5|2027-02-11..2027-03-10:5\n" +
			"I,Imported,i@x.fr,2027-01-01..2027-01-31:2|2027-02-02..2027-02-28:2\n"
		if _, err := s.Import(ctx, strings.NewReader(csv), ImportOptions{}, access.System); err != nil {
			t.Fatal(err)
		}
		checkAvailability(t, s, "imported")
		var spansOfJ int
		j, _ := s.ByReference(ctx, "J", access.System)
		db.QueryRowContext(ctx, `SELECT count(*) FROM expert_spans WHERE expert_id = $1`, j.ID).Scan(&spansOfJ)
		if spansOfJ != 0 {
			t.Errorf("J has no period left but %d spans", spansOfJ)
		}

		n, _ := s.ByReference(ctx, "N", access.System)
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return Anonymise(ctx, tx, n.ID, coordinator) }); err != nil {
			t.Fatal(err)
		}
		checkAvailability(t, s, "anonymised")
	})
}

// TestMigrationSpansMatchTheWriter runs the migration's backfill over the
// periods the writer stored and compares its spans with the writer's.
func TestMigrationSpansMatchTheWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(Options{DB: db, Geo: geo.Default()})
		pool(t, s)
		d := date.MustParse
		if _, err := s.Create(ctx, Profile{Reference: "M", LastName: "Many", Email: "m@x.fr", Availability: []Period{
			{d("2027-01-01"), d("2027-01-31"), 4}, {d("2027-02-01"), d("2027-02-28"), 2}, {d("2027-03-02"), d("2027-03-31"), 5},
			{d("2027-04-01"), d("2027-04-30"), 1}}}, coordinator); err != nil {
			t.Fatal(err)
		}
		stored := func() string {
			rows, err := db.QueryContext(ctx, `SELECT expert_id, days_per_week, start_date, end_date FROM expert_spans ORDER BY 1, 2, 3`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var id int64
				var n int
				var a, b date.Date
				if err := rows.Scan(&id, &n, &a, &b); err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("%d:%d:%s..%s", id, n, a, b))
			}
			return strings.Join(out, " ")
		}
		written := stored()
		// The backfill: 0027's INSERT, then the later DELETE of the spans
		// equal to one of the next level.
		migrations, _ := store.Migrations(db.Engine())
		var backfill []string
		for _, m := range migrations {
			for _, prefix := range []string{"INSERT INTO expert_spans (", "DELETE FROM expert_spans WHERE"} {
				if start := strings.Index(m.SQL, prefix); start >= 0 {
					backfill = append(backfill, m.SQL[start:start+strings.Index(m.SQL[start:], ";")])
				}
			}
		}
		if len(backfill) != 2 {
			t.Fatalf("expected the INSERT and the DELETE of the spans backfill, found %d statements", len(backfill))
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM expert_spans`); err != nil {
			t.Fatal(err)
		}
		for _, statement := range backfill {
			if _, err := db.ExecContext(ctx, statement); err != nil {
				t.Fatal(err)
			}
		}
		if got := stored(); got != written || written == "" {
			t.Errorf("migration's spans:\n%s\nwriter's:\n%s", got, written)
		}
	})
}
