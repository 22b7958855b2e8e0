package app_test

import (
	"net/url"
	"strings"
	"testing"

	"vivier/internal/fr"
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

// TestOwnProfileIsCompact: the expert's own profile edits periods as a
// list, not twelve month calendars, and picks zones region by region,
// with no collectivité d'outre-mer offered as a region.
func TestOwnProfileIsCompact(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	newJourney(t, ta, db)
	status, body := ta.as(t, "alpha@vivier.test").get("/mon-profil")
	if status != 200 {
		t.Fatalf("/mon-profil: %d", status)
	}
	if strings.Contains(body, `class="month"`) {
		t.Error("the profile still draws month calendars")
	}
	if !strings.Contains(body, `action="/mon-profil/disponibilites"`) || !strings.Contains(body, `id="periods"`) {
		t.Error("no periods editor")
	}
	if n := strings.Count(body, `<details class="region"`); n < 18 {
		t.Errorf("%d regions to expand, want the 18 regions and the collectivités", n)
	}
	if strings.Contains(body, "Toute la région Nouvelle-Calédonie") || !strings.Contains(body, "Collectivités d’outre-mer") {
		t.Error("a collectivité d’outre-mer is offered as a region")
	}
	// Alpha's zone (national) opens nothing; the régions are closed.
	if strings.Contains(body, `<details class="region" open>`) {
		t.Error("a region is open with no zone chosen in it")
	}
}

// TestAuditLogReadsInFrench: actions are named in words, status changes
// « de déposé à qualifié », objects by their names as links; the log
// filters by a name.
func TestAuditLogReadsInFrench(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	j := newJourney(t, ta, db)
	coord := ta.as(t, ta.emails["coordinator"])
	if status, _ := coord.post("/besoins/"+itoa(j.needID)+"/statut", url.Values{"status": {"qualified"}}); status != 303 {
		t.Fatalf("qualify: %d", status)
	}
	_, body := coord.get("/admin/journal?nom=COMPTE+coord")
	rows := between(body, `<table id="audit">`, "</table>")
	if !strings.Contains(rows, fr.TypesetString("Besoin : changement de statut, de déposé à qualifié")) ||
		!strings.Contains(rows, `<a href="/besoins/`+itoa(j.needID)+`">`+fr.TypesetString("besoin « Relancer la zone d’activités »")+`</a>`) {
		t.Errorf("the audit log of the coordinator: %s", rows)
	}
	if strings.Contains(rows, "need.status") || strings.Contains(rows, "Jeanne Rivière") {
		t.Errorf("codes, or another person's entries: %s", rows)
	}
}
