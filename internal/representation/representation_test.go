package representation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/date"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/mission"
	"vivier/internal/need"
	"vivier/internal/organisation"
	"vivier/internal/publication"
	"vivier/internal/representation"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func newService(db *store.DB) (*representation.Service, *publication.Service) {
	pubs := publication.New(publication.Options{DB: db})
	return representation.New(representation.Options{DB: db, Geo: geo.Default(), Publications: pubs}), pubs
}

func hearing(day date.Date, domains ...string) representation.Input {
	return representation.Input{Kind: representation.Hearing, Body: "Commission des affaires économiques du Sénat", BodyKind: representation.Parliament,
		HeldOn: day, Topic: "L’ingénierie territoriale des petites communes", Domains: domains}
}

func TestActsFiguresAndEngagement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		a1, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence Alpha"})
		a2, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence Bravo"})
		partner, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Partenaire, Name: "Banque publique"})
		h1, err := s.Create(ctx, hearing(date.MustParse("2026-03-12"), "filieres", "strategie", "filieres"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		if len(h1.Domains) != 2 {
			t.Errorf("domains %v", h1.Domains)
		}
		h2, _ := s.Create(ctx, hearing(date.MustParse("2026-10-01"), "management"), access.System)
		old, _ := s.Create(ctx, hearing(date.MustParse("2025-11-20")), access.System)
		note, _ := s.Create(ctx, representation.Input{Kind: representation.Note, Body: "Ministère de l’Économie", BodyKind: representation.Government,
			HeldOn: date.MustParse("2026-04-02"), Topic: "Note sur le financement des agences"}, access.System)
		if _, err := s.Create(ctx, representation.Input{Kind: representation.Meeting, Body: "Agence nationale de la cohésion des territoires", BodyKind: representation.NationalBody,
			HeldOn: date.MustParse("2026-05-05"), Topic: "Programme d’ingénierie"}, access.System); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			id   int64
			orgs []int64
		}{{h1.ID, []int64{a1.ID, a2.ID}}, {h2.ID, []int64{a1.ID}}, {old.ID, []int64{a2.ID}}} {
			var ds []representation.Delegate
			for _, o := range c.orgs {
				ds = append(ds, representation.Delegate{ID: o})
			}
			if err := s.AddAgencies(ctx, c.id, ds, access.System); err != nil {
				t.Fatal(err)
			}
		}
		// Adding the same agency again writes nothing; a partner, a note's
		// delegation and an empty name are refused.
		audits := count(t, db, "audit_log")
		if err := s.AddAgencies(ctx, h1.ID, []representation.Delegate{{ID: a1.ID}}, access.System); err != nil || count(t, db, "audit_log") != audits {
			t.Errorf("adding an agency again: %v, audited %v", err, count(t, db, "audit_log") != audits)
		}
		if err := s.AddAgencies(ctx, h1.ID, []representation.Delegate{{ID: partner.ID}}, access.System); !has(err, "agencies") {
			t.Errorf("a partner in a delegation: %v", err)
		}
		if err := s.AddAgencies(ctx, note.ID, []representation.Delegate{{ID: a1.ID}}, access.System); access.CodeOf(err) != access.Conflict {
			t.Errorf("a note's delegation: %v", err)
		}
		if err := s.AddPerson(ctx, h1.ID, representation.Person{Name: " ", Role: "directrice"}, access.System); !has(err, "name") {
			t.Errorf("a person without a name: %v", err)
		}
		if err := s.AddPerson(ctx, h1.ID, representation.Person{Name: "Claire Dubois", Role: "directrice", OrganisationID: a1.ID}, access.System); err != nil {
			t.Fatal(err)
		}
		if err := s.AddDocument(ctx, h1.ID, "note.docx", []byte("PK\x03\x04"), access.System); !has(err, "file") {
			t.Errorf("a document that is not a PDF: %v", err)
		}
		if err := s.AddDocument(ctx, h1.ID, "note.pdf", []byte("%PDF-1.7 note"), access.System); err != nil {
			t.Fatal(err)
		}

		f, err := s.Figures(ctx, date.MustParse("2026-01-01"), date.MustParse("2026-12-31"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Hearings) != 2 || len(f.Notes) != 1 || len(f.Meetings) != 1 || len(f.Agencies) != 2 {
			t.Fatalf("figures: %d hearings, %d notes, %d meetings, %d agencies; want 2, 1, 1, 2", len(f.Hearings), len(f.Notes), len(f.Meetings), len(f.Agencies))
		}
		if f.Agencies[0].Name != "Agence Alpha" || f.Agencies[0].Hearings != 2 || f.Agencies[1].Hearings != 1 {
			t.Errorf("agencies %+v", f.Agencies)
		}
		eng, err := s.Engagement(ctx, date.MustParse("2026-01-01"), date.MustParse("2026-12-31"))
		if err != nil {
			t.Fatal(err)
		}
		if eng[a1.ID][representation.EngagementHearings] != 2 || eng[a2.ID][representation.EngagementHearings] != 1 || len(eng) != 2 {
			t.Errorf("engagement %v", eng)
		}
		got, _ := s.Get(ctx, h1.ID, access.System)
		if len(got.People) != 1 || len(got.Documents) != 1 || len(got.Agencies) != 2 {
			t.Errorf("hearing %+v", got)
		}
		if err := s.RemoveAgency(ctx, h1.ID, a2.ID, access.System); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveAgency(ctx, h1.ID, a2.ID, access.System); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("removing an absent agency: %v", err)
		}
		// Staff only: a member does not see a hearing.
		if _, err := s.Get(ctx, h1.ID, access.Actor{UserID: 4, Role: access.Member, Via: access.Session}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a member reads a hearing: %v", err)
		}
	})
}

// TestDelegationHelper ranks four agencies on a known data set, the
// expected scores and picks written by hand (see the weights in
// helper.go):
//
//	Alpha:   2 missions (0.35 × 2/5), 2 experts (0.25 × 2/3), rotation 1 (0.10)       = 0.407
//	Bravo:   1 mission (0.35 × 1/5), 1 expert (0.25 × 1/3), rotation 1 (0.10)         = 0.253
//	Charlie: 1 publication (0.15 × 1/2), 1 hearing (0.15 × 1/2), rotation 2/3 (0.10)   = 0.217
//	Delta:   rotation 1 (0.10)                                                          = 0.100
//
// Alpha comes first and brings its region and two commune sizes; Bravo's
// region (Bretagne) is new, so it comes next; then Charlie.
func TestDelegationHelper(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := at.NewWorld(t, db)
		s, pubs := newService(db)
		alpha, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence Alpha", SIREN: "732829320"})
		bravo, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence Bravo", SIREN: "552100554"})
		charlie, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence Charlie"})
		delta, _ := organisation.Create(ctx, db, organisation.Input{Kind: organisation.Agence, Name: "Agence Delta"})
		a1 := employee(t, w, alpha.SIREN, "69123", "filieres.industrie", 4)
		a2 := employee(t, w, alpha.SIREN, "69123", "filieres.energie", 3)
		employee(t, w, alpha.SIREN, "69123", "attractivite.marketing", 4) // not in the themes
		b1 := employee(t, w, bravo.SIREN, "35238", "filieres.numerique", 3)
		employee(t, w, bravo.SIREN, "35238", "filieres.tourisme", 2) // not confirmed
		started(t, w, a1, "01001", "filieres.industrie")
		started(t, w, a2, "01001", "filieres.energie")
		started(t, w, b1, "35238", "filieres.numerique")
		today := w.Today
		if _, err := pubs.Create(ctx, publication.Input{Title: "Étude filières", Kind: publication.Study, PublishedOn: today.AddDays(-40),
			Themes: []string{"filieres"}, CoAuthors: []int64{charlie.ID}}, nil, access.System); err != nil {
			t.Fatal(err)
		}
		past, _ := s.Create(ctx, hearing(today.AddDays(-10), "filieres"), access.System)
		if err := s.AddAgencies(ctx, past.ID, []representation.Delegate{{ID: charlie.ID}}, access.System); err != nil {
			t.Fatal(err)
		}
		h, err := s.Create(ctx, hearing(today.AddDays(30), "filieres"), access.System)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.ProposeFor(ctx, h.ID, 3, access.System)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, pk := range p.Picks {
			got = append(got, fmt.Sprintf("%s %.3f", pk.Name, pk.Score))
		}
		if want := "Agence Alpha 0.407|Agence Bravo 0.253|Agence Charlie 0.217"; strings.Join(got, "|") != want {
			t.Fatalf("picks %q, want %q", got, want)
		}
		if len(p.Others) != 2 || p.Others[0].Name != "Agence de développement du Rhône" || p.Others[1].ID != delta.ID || p.Others[1].Score != 0.1 {
			t.Errorf("others %+v: want the world's agency then Delta, 0.1 each", p.Others)
		}
		if b := p.Picks[0].Brings; len(b) != 3 || b[0] != "Auvergne-Rhône-Alpes" {
			t.Errorf("Alpha brings %q, want its region and two commune sizes", b)
		}
		if b := p.Picks[1].Brings; len(b) != 1 || b[0] != "Bretagne" {
			t.Errorf("Bravo brings %q, want Bretagne only", b)
		}
		if r := p.Picks[2].Reason; !strings.Contains(r, "1 publication") || !strings.Contains(r, "1 audition") || !strings.Contains(r, "1 délégation ces douze derniers mois") {
			t.Errorf("Charlie's reason %q", r)
		}
		// Choosing the picks keeps their reasons; the next proposal leaves
		// them out.
		var ds []representation.Delegate
		for _, pk := range p.Picks {
			ds = append(ds, representation.Delegate{ID: pk.ID, Reason: pk.Reason})
		}
		if err := s.AddAgencies(ctx, h.ID, ds, access.System); err != nil {
			t.Fatal(err)
		}
		got2, _ := s.Get(ctx, h.ID, access.System)
		if len(got2.Agencies) != 3 || !strings.HasPrefix(got2.Agencies[0].Reason, "Choix n° 1") {
			t.Errorf("delegation %+v", got2.Agencies)
		}
		next, err := s.ProposeFor(ctx, h.ID, 5, access.System)
		if err != nil || len(next.Picks) != 2 || next.Candidates != 2 {
			t.Errorf("the next proposal %+v %v", next.Picks, err)
		}
		if _, err := s.ProposeFor(ctx, h.ID, 0, access.System); !has(err, "size") {
			t.Errorf("a delegation of 0: %v", err)
		}
	})
}

// employee makes a qualified expert en poste at the agency of siren, living
// in commune, with one skill.
func employee(t *testing.T, w *at.World, siren, commune, code string, level int) int64 {
	t.Helper()
	ctx := context.Background()
	p := w.Profile("A")
	p.EmployerSIREN, p.Commune = siren, commune
	p.Skills = []expert.SkillLevel{{Code: code, Level: skill.Level(level)}}
	e, err := w.Experts.Create(ctx, p, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Experts.SetStatus(ctx, e.ID, expert.Qualified, "", access.System); err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// started makes a mission of expertID for a need in commune asking code,
// taken to in progress.
func started(t *testing.T, w *at.World, expertID int64, commune, code string) {
	t.Helper()
	ctx := context.Background()
	in := w.NeedInput("A", commune, need.Mission)
	in.Skills = []need.WantedSkill{{Code: code, MinLevel: 1, Required: true}}
	n, err := w.Needs.Create(ctx, in, access.System)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Needs.Qualify(ctx, n.ID, "", access.System); err != nil {
		t.Fatal(err)
	}
	m := w.Missions
	if _, err := m.Propose(ctx, n.ID, []int64{expertID}, "", access.System); err != nil {
		t.Fatal(err)
	}
	ps, _ := m.NeedProposals(ctx, n.ID, access.System)
	if err := m.Answer(ctx, ps[0].ID, true, "", access.System); err != nil {
		t.Fatal(err)
	}
	id, err := m.Choose(ctx, ps[0].ID, access.System)
	if err != nil {
		t.Fatal(err)
	}
	token, err := m.RequestEmployer(ctx, id, "drh@agence.fr", access.System)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.EmployerAnswer(ctx, token, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := m.Move(ctx, id, mission.InProgress, access.System); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// has reports whether err holds a field error on field.
func has(err error, field string) bool {
	list, _ := valid.As(err)
	return list.Has(field)
}
