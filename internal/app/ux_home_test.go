package app_test

import (
	"strings"
	"testing"

	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestMemberHomeIsNotEmpty: a member lands on their agency and what the
// network offers them, each part saying so when it has nothing yet.
func TestMemberHomeIsNotEmpty(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	status, body := ta.as(t, ta.emails["member"]).get("/tableau-de-bord")
	if status != 200 {
		t.Fatalf("member's home: %d", status)
	}
	main := between(body, "<main", "</main>")
	for _, want := range []string{`id="member-agency"`, "Agence de test", `id="member-events"`, `id="member-trainings"`,
		`id="member-publications"`, `id="member-lists"`, `href="/reseau/mon-adhesion"`} {
		if !strings.Contains(main, want) {
			t.Errorf("the member's home lacks %s", want)
		}
	}
	// A requester's list is theirs, not refused.
	if status, body := ta.as(t, ta.emails["requester"]).get("/besoins"); status != 200 || !strings.Contains(body, "Mes besoins") {
		t.Errorf("a requester's /besoins: %d", status)
	}
}
