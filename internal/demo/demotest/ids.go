// Package demotest finds the records of the demo data for the tests that
// walk every page of the router: the id that fills each route's wildcard.
package demotest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"vivier/internal/date"
	"vivier/internal/store"
)

// segments maps the path segment before a route's wildcard (« besoins » in
// /besoins/{id}) to the table, and the column when it is not id, whose
// records fill it.
var segments = map[string]string{
	"experts": "experts", "expert": "experts", "besoins": "needs", "needs": "needs", "propositions": "proposals",
	"missions": "missions", "livrables": "mission_files", "utilisateurs": "users", "evenements": "events",
	"formations": "trainings", "sessions": "training_sessions", "stagiaires": "training_enrolments",
	"demi-journees": "training_halfdays", "adherents": "members.organisation_id", "engagement": "members.organisation_id",
	"adhesions": "memberships", "partenaires": "partners.organisation_id", "conventions": "partner_agreements",
	"publications": "publications", "presse": "press_mentions", "representation": "representations",
	"documents": "representation_documents", "audiences": "audience_accounts", "campagnes": "campaigns",
	"lettres": "newsletter_lists",
}

// IDs returns, for each path segment that precedes a wildcard, the
// smallest and the largest id of its records in db (segments without
// records are left out), and the years of the yearly pages: this year's
// fees, last year's report.
func IDs(t testing.TB, db *store.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for segment, source := range segments {
		table, column, ok := strings.Cut(source, ".")
		if !ok {
			column = "id"
		}
		var lo, hi int64
		query := fmt.Sprintf("SELECT coalesce(min(%s), 0), coalesce(max(%s), 0) FROM %s", column, column, table)
		if err := db.QueryRowContext(context.Background(), query).Scan(&lo, &hi); err != nil {
			t.Fatalf("ids of %s: %v", table, err)
		}
		if lo != 0 {
			out[segment] = []string{fmt.Sprint(lo), fmt.Sprint(hi)}
		}
	}
	year := date.Today().Year
	out["cotisations"] = []string{fmt.Sprint(year)}
	out["rapport"] = []string{fmt.Sprint(year - 1)}
	return out
}
