package app_test

import (
	"strings"
	"testing"

	"vivier/internal/app"
	"vivier/internal/config"
	"vivier/internal/mail"
	"vivier/internal/oidc"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestDefaultSenderIsTheMailPackages(t *testing.T) {
	if config.Default().MailFrom != mail.DefaultFrom {
		t.Fatalf("config's default sender %q, mail's %q", config.Default().MailFrom, mail.DefaultFrom)
	}
}

func TestSMTPSettings(t *testing.T) {
	tests := []struct {
		name     string
		url, pwd string
		want     mail.SMTPConfig
	}{
		{"starttls by default", "smtp://vivier@relay.example.fr:587", "s3cret",
			mail.SMTPConfig{Host: "relay.example.fr", Port: 587, Username: "vivier", Password: "s3cret", TLS: mail.StartTLS}},
		{"password in the URL, escaped", "smtp://vivier:p%40ss@relay.example.fr?tls=starttls", "",
			mail.SMTPConfig{Host: "relay.example.fr", Username: "vivier", Password: "p@ss", TLS: mail.StartTLS}},
		{"smtps is implicit TLS", "smtps://u@relay.example.fr", "x",
			mail.SMTPConfig{Host: "relay.example.fr", Username: "u", Password: "x", TLS: mail.ImplicitTLS}},
		{"explicit tls mode", "smtp://relay.example.fr:465?tls=tls", "",
			mail.SMTPConfig{Host: "relay.example.fr", Port: 465, TLS: mail.ImplicitTLS}},
		{"local relay in clear", "smtp://127.0.0.1:25?tls=none", "",
			mail.SMTPConfig{Host: "127.0.0.1", Port: 25, TLS: mail.NoTLS}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.FromEnv(env(map[string]string{"VIVIER_SMTP_URL": tt.url, "VIVIER_SMTP_PASSWORD": tt.pwd}))
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := app.SMTP(c)
			if err != nil || !ok {
				t.Fatalf("SMTP() = %v, %v", ok, err)
			}
			tt.want.From = `"Vivier" <no-reply@localhost>`
			if got != tt.want {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSMTPSettingErrorsAreOneClearLine(t *testing.T) {
	tests := []struct{ url, pwd, want string }{
		{"smtp://relay.example.fr?tls=foo", "", `VIVIER_SMTP_URL: unknown tls mode "foo": want starttls, tls or none`},
		{"http://relay.example.fr", "", `VIVIER_SMTP_URL: scheme "http" not supported: want smtp:// or smtps://`},
		{"smtp://relay.example.fr?timeout=3", "", `VIVIER_SMTP_URL: unknown parameter "timeout": want tls`},
		{"smtp://relay.example.fr:99999", "", `VIVIER_SMTP_URL: port "99999" is not a port number`},
		{"smtp://:25", "", "VIVIER_SMTP_URL: no host"},
		{"smtp://u:one@relay.example.fr", "two", "VIVIER_SMTP_URL: the password is given twice"},
		{"smtp://u@relay.example.fr?tls=none", "secret", "would send the password in clear to relay.example.fr"},
		{"smtp://u:hunter2@relay example.fr", "", "VIVIER_SMTP_URL: not a URL"},
	}
	for _, tt := range tests {
		c := config.Default()
		c.SMTPURL, c.SMTPPassword = tt.url, tt.pwd
		_, err := app.MailTransport(c, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.url, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: message is several lines or shows the password: %v", tt.url, err)
		}
	}
}

func TestNoSMTPMeansEmailsAreLogged(t *testing.T) {
	tr, err := app.MailTransport(config.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tr.(mail.LogTransport); !ok {
		t.Fatalf("transport %T, want mail.LogTransport", tr)
	}
	c := config.Default()
	c.SMTPURL = "smtp://relay.example.fr"
	c.MailFrom = "Fédération <contact@federation.example.fr>"
	tr, err = app.MailTransport(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := tr.(*mail.SMTP); !ok || s.Domain() != "federation.example.fr" {
		t.Fatalf("transport %T %+v", tr, tr)
	}
	c.MailFrom = "pas une adresse"
	if _, err := app.MailTransport(c, nil); err == nil || !strings.HasPrefix(err.Error(), "VIVIER_MAIL_FROM:") {
		t.Fatalf("a bad sender: %v", err)
	}
}

func TestOIDCSettings(t *testing.T) {
	if _, ok, err := app.OIDC(config.Default()); ok || err != nil {
		t.Fatalf("OIDC without an issuer: %v, %v", ok, err)
	}
	c, err := config.FromEnv(env(map[string]string{
		"VIVIER_OIDC_ISSUER": "https://proconnect.example.gouv.fr/api/v2", "VIVIER_OIDC_CLIENT_ID": "vivier",
		"VIVIER_OIDC_CLIENT_SECRET": "s", "VIVIER_BASE_URL": "https://vivier.example.fr/"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg, ok, err := app.OIDC(c)
	if err != nil || !ok {
		t.Fatalf("OIDC() = %v, %v", ok, err)
	}
	if cfg.Provider != oidc.ProConnect || cfg.Label != "Se connecter avec ProConnect" ||
		cfg.RedirectURL != "https://vivier.example.fr/connexion/oidc/retour" || !cfg.TrustEmail {
		t.Fatalf("config %+v", cfg)
	}
	c.OIDCProvider, c.OIDCLabel = "generic", "Se connecter avec Keycloak"
	if cfg, _, err = app.OIDC(c); err != nil || cfg.Label != "Se connecter avec Keycloak" || cfg.TrustEmail {
		t.Fatalf("generic: %+v %v", cfg, err)
	}
	c.OIDCProvider = "azure"
	if _, _, err := app.OIDC(c); err == nil || err.Error() != `VIVIER_OIDC_PROVIDER: unknown OIDC provider "azure": want proconnect or generic` {
		t.Fatalf("unknown provider: %v", err)
	}
	c.OIDCProvider, c.OIDCClientSecret = "generic", ""
	if _, _, err := app.OIDC(c); err == nil || !strings.Contains(err.Error(), "client secret is empty") {
		t.Fatalf("no secret: %v", err)
	}
}
