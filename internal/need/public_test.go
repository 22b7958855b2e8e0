package need

import (
	"context"
	"testing"
	"time"

	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func countRows(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFrenchPhone(t *testing.T) {
	for _, tt := range []struct {
		phone string
		ok    bool
	}{
		{"04 72 00 00 00", true},
		{"0472000000", true},
		{"04.72.00.00.00", true},
		{"+33 4 72 00 00 00", true},
		{"0033 6 12 34 56 78", true},
		{"+262 262 12 34 56", true},
		{"+33 (0)4 72 00 00 00", false}, // the (0) is an eleventh digit
		{"12", false},
		{"00 00 00 00 00", false},
		{"04 72 00 00", false},
		{"+44 20 7946 0000", false},
		{"04 72 00 00 0x", false},
	} {
		if got := FrenchPhone(tt.phone); got != tt.ok {
			t.Errorf("FrenchPhone(%q) = %v, want %v", tt.phone, got, tt.ok)
		}
	}
}

// TestCheckSubmissionSaysEverythingAtOnce: the public form's checks name
// every field in error in one answer, with the public minimums.
func TestCheckSubmissionSaysEverythingAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
		s := New(Options{DB: db, Geo: geo.Default(), Now: func() time.Time { return now }})
		ctx := context.Background()
		err := s.CheckSubmission(ctx, Input{})
		list, _ := valid.As(err)
		for _, field := range []string{"title", "commune", "kind", "skills", "start", "end", "days_per_week", "format", "contact.email", "contact.name"} {
			if !list.Has(field) {
				t.Errorf("an empty submission: no error on %s (%v)", field, list)
			}
		}
		in := input("01004", "entreprises.foncier", "2026-12-04", "2027-01-31")
		in.Title = "x"
		in.Contact = &Contact{Name: "Jeanne Rivière", Email: "maire@exemple.fr", Phone: "12"}
		list, _ = valid.As(s.CheckSubmission(ctx, in))
		for _, field := range []string{"title", "start", "contact.phone"} {
			if !list.Has(field) {
				t.Errorf("no error on %s (%v)", field, list)
			}
		}
		if len(list) != 3 {
			t.Errorf("%d errors, want 3: %v", len(list), list)
		}
		in.Title, in.Start, in.Contact.Phone = "Relancer la zone d’activités", date.MustParse("2026-12-05"), "04 72 00 00 00"
		if err := s.CheckSubmission(ctx, in); err != nil {
			t.Errorf("a valid submission starting today: %v", err)
		}
		if n := countRows(t, db, `SELECT count(*) FROM need_submissions`); n != 0 {
			t.Errorf("checking wrote %d submissions", n)
		}
	})
}
