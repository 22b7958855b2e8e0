package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vivier/internal/browsertest"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAccountJourneyInBrowser walks, in headless Chromium, what a new
// coordinator and the expert they invite do: the coordinator logs in,
// enrols a second factor, invites an expert; the expert opens the
// invitation, is refused a common password with the error announced beside
// the field, chooses a good one, and cannot open the staff's pages.
func TestAccountJourneyInBrowser(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	page := browsertest.NewPage(t, ta.srv.URL)

	page.Visit("/admin/utilisateurs")
	if !strings.HasPrefix(page.Path(), "/connexion") {
		t.Fatalf("an anonymous visitor reached %s", page.Path())
	}
	page.Fill("#f-email", "pending@vivier.test").Fill("#f-password", testPassword).
		Submit(`form[action="/connexion"] button[type=submit]`)
	if page.Path() != "/connexion/code" || page.Text("h1") != "Activer la double authentification" {
		t.Fatalf("after the password a coordinator is on %s (%q)", page.Path(), page.Text("h1"))
	}
	secret := strings.ReplaceAll(page.Text("#totp-secret"), " ", "")
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	page.Fill("#f-code", code).Submit(`form[action="/connexion/code"] button[type=submit]`)
	if n := page.Count("#recovery-codes li"); n != 10 {
		t.Fatalf("%d recovery codes shown, want 10", n)
	}
	page.Submit(`a[href="/tableau-de-bord"].button`)

	page.Visit("/admin/utilisateurs")
	page.Fill("#f-name", "Lucie Bernard").Fill("#f-email", "lucie.bernard@exemple.fr").Set("#f-role-new", "expert").
		Submit(`form[action="/admin/utilisateurs"][method="post"] button[type=submit]`)
	if got := page.Text("p.notice.ok"); got != "L'invitation a été envoyée." {
		t.Errorf("confirmation = %q", got)
	}
	if !strings.Contains(page.Text("#users"), "Lucie Bernard") {
		t.Error("the invited person is not in the list")
	}
	token := invitationToken(t, db, "lucie.bernard@exemple.fr")
	page.Submit(`nav form[action="/deconnexion"] button`)

	page.Visit("/invitation/" + token)
	if got := page.Text("h1"); got != "Bienvenue sur Vivier" {
		t.Fatalf("invitation page heading = %q", got)
	}
	page.Fill("#f-password", "motdepasse2024").Fill("#f-confirm", "motdepasse2024").
		Submit(`form button[type=submit]`)
	if !page.Has(`#erreurs[role="alert"]`) || !strings.Contains(page.Text("#e-password"), "trop courant") {
		t.Fatalf("a common password was not refused beside its field")
	}
	if page.Eval(`document.querySelector("#f-password").getAttribute("aria-invalid")`) != "true" {
		t.Error("the password field is not marked invalid")
	}
	page.Fill("#f-password", "le vivier des experts 2026").Fill("#f-confirm", "le vivier des experts 2026").
		Submit(`form button[type=submit]`)
	if page.Path() != "/tableau-de-bord" || !strings.Contains(page.Text("main"), "Votre rôle : expert") {
		t.Fatalf("after accepting the invitation: %s, %q", page.Path(), page.Text("main"))
	}
	page.Visit("/admin/utilisateurs")
	if got := page.Text("h1"); got != "Accès refusé" {
		t.Errorf("an expert on the staff's page sees %q", got)
	}
}

func invitationToken(t *testing.T, db *store.DB, email string) string {
	t.Helper()
	list, err := mail.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`/invitation/([A-Z0-9]+)`)
	for _, e := range list {
		if strings.Contains(e.Message.To, email) {
			if m := re.FindStringSubmatch(e.Message.Text); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no invitation emailed to %s", email)
	return ""
}
