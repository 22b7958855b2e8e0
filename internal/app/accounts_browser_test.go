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
	if got := page.Text("p.notice.ok"); got != "L’invitation a été envoyée." {
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
	if page.Path() != "/tableau-de-bord" || !strings.Contains(page.Text("main"), "Votre rôle\u202f: expert") {
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

// TestPasswordResetAccountPageAndAuditLogInBrowser walks the other account
// pages in headless Chromium: an expert who forgot their password asks for
// a link, chooses a new one and lands signed in; on their account page they
// create an API token, shown once; a coordinator then finds the reset and
// the token in the audit log, filtered by action.
func TestPasswordResetAccountPageAndAuditLogInBrowser(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ta := newTestApp(t, db)
	page := browsertest.NewPage(t, ta.srv.URL)

	page.Visit("/connexion").Submit(`a[href="/mot-de-passe/oublie"]`)
	page.Fill("#f-email", "expert@vivier.test").Submit(`form[action="/mot-de-passe/oublie"] button`)
	if !page.Has("#reset-sent") {
		t.Fatal("no confirmation that the link was sent")
	}
	token := emailedToken(t, db, "expert@vivier.test", `/mot-de-passe/nouveau/([A-Z0-9]+)`)
	page.Visit("/mot-de-passe/nouveau/" + token)
	page.Fill("#f-password", "court").Fill("#f-confirm", "court").Submit(`form button[type=submit]`)
	if !strings.Contains(page.Text("#e-password"), "au moins 12 caractères") {
		t.Fatalf("a short password was not refused beside its field: %q", page.Text("main"))
	}
	page.Fill("#f-password", "un tout nouveau mot de passe").Fill("#f-confirm", "un tout nouveau mot de passe").
		Submit(`form button[type=submit]`)
	if page.Path() != "/tableau-de-bord" {
		t.Fatalf("after the reset: %s", page.Path())
	}
	page.Visit("/mot-de-passe/nouveau/" + token)
	if got := page.Text("h1"); got != "Lien expiré" {
		t.Errorf("the reset link used twice shows %q", got)
	}

	page.Visit("/compte")
	page.Fill("#f-token_name", "export mensuel").Submit(`form[action="/compte/jetons"] button`)
	secret := page.Text("#new-token")
	if !strings.HasPrefix(secret, "viv_") {
		t.Fatalf("new token shown as %q", secret)
	}
	page.Visit("/compte")
	if page.Has("#new-token") || strings.Contains(page.Text("main"), secret) {
		t.Error("the token's secret is shown again")
	}
	page.Submit(`nav form[action="/deconnexion"] button`)

	page.Fill("#f-email", "coordinator@vivier.test").Fill("#f-password", testPassword).
		Submit(`form[action="/connexion"] button[type=submit]`)
	page.Visit("/admin/journal").Set("#f-action", "account.token_created").Submit(`form[action="/admin/journal"] button`)
	if got := page.Text("#audit caption"); got != "1 entrée" {
		t.Errorf("filtered audit log caption = %q", got)
	}
	if !strings.Contains(page.Text("#audit tbody"), "Compte expert") {
		t.Error("the token's creation does not name the expert")
	}
}

func emailedToken(t *testing.T, db *store.DB, email, pattern string) string {
	t.Helper()
	list, err := mail.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(pattern)
	for _, e := range list {
		if strings.Contains(e.Message.To, email) {
			if m := re.FindStringSubmatch(e.Message.Text); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no email to %s matching %s", email, pattern)
	return ""
}
