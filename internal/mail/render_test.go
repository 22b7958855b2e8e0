package mail_test

import (
	"strings"
	"testing"
	"time"

	"vivier/internal/mail"
)

func TestRenderEveryTemplate(t *testing.T) {
	expires := time.Date(2026, 11, 25, 13, 5, 0, 0, time.UTC) // 14 h 05 in Paris
	url := "https://vivier.example.org/connexion/lien?jeton=abc&x=<y>"
	tests := []struct {
		name     string
		template string
		data     any
		subject  string
		text     []string
		html     []string
	}{
		{
			name: "invitation", template: "invitation",
			data:    mail.InvitationData{Name: "Élodie Martin", InvitedBy: "Claire Dupont", Role: "experte", URL: url, Expires: expires},
			subject: "Invitation à rejoindre Vivier",
			text:    []string{"Bonjour Élodie Martin,", "Claire Dupont vous invite à rejoindre Vivier, avec le rôle «\u00a0experte\u00a0».", url, "25 novembre 2026 à 14\u00a0h\u00a005"},
			html:    []string{"Claire Dupont vous invite", "Créer mon accès", "jeton=abc&amp;x=%3cy%3e"},
		},
		{
			name: "invitation without inviter nor expiry", template: "invitation",
			data:    mail.InvitationData{URL: url},
			subject: "Invitation à rejoindre Vivier",
			text:    []string{"Bonjour,", "Vous êtes invité·e à rejoindre Vivier.", url},
		},
		{
			name: "magic link", template: "magic_link",
			data:    mail.LinkData{Name: "Jean", URL: url, Expires: expires},
			subject: "Votre lien de connexion à Vivier",
			text:    []string{"Bonjour Jean,", url, "Il ne sert qu'une fois et expire le 25 novembre 2026"},
			html:    []string{"Me connecter"},
		},
		{
			name: "password reset", template: "password_reset",
			data:    mail.LinkData{Name: "Jean", URL: url, Expires: expires},
			subject: "Réinitialisation de votre mot de passe Vivier",
			text:    []string{"choisir un nouveau mot de passe", url},
			html:    []string{"Choisir un nouveau mot de passe"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subject, text, html, err := mail.Render(tt.template, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if subject != tt.subject {
				t.Errorf("subject %q, want %q", subject, tt.subject)
			}
			for _, want := range tt.text {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			for _, want := range append(tt.html, "<html lang=\"fr\">") {
				if !strings.Contains(html, want) {
					t.Errorf("HTML lacks %q:\n%s", want, html)
				}
			}
			if strings.Contains(text+html, "<no value>") {
				t.Error("a field printed <no value>")
			}
		})
	}
}

func TestRenderFailsOnUnknownTemplateOrField(t *testing.T) {
	if _, _, _, err := mail.Render("no_such_template", nil); err == nil {
		t.Error("unknown template rendered")
	}
	if _, _, _, err := mail.Render("magic_link", map[string]any{"Name": "Jean"}); err == nil {
		t.Error("a map without URL rendered")
	}
	if len(mail.Templates()) < 3 {
		t.Errorf("templates: %v", mail.Templates())
	}
}

func TestComposeBuildsAValidMessage(t *testing.T) {
	m, err := mail.Compose("jean@example.org", "magic-link:9", "magic_link", mail.LinkData{URL: "https://x.example/l"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil || m.Key != "magic-link:9" || m.HTML == "" {
		t.Fatalf("%+v: %v", m, err)
	}
}
