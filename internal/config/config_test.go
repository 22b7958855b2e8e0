package config_test

import (
	"flag"
	"strings"
	"testing"

	"vivier/internal/config"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestFlagsOverrideTheEnvironment(t *testing.T) {
	c, err := config.FromEnv(env(map[string]string{
		"VIVIER_SMTP_URL": "smtp://a.example.fr", "VIVIER_OIDC_ISSUER": "https://a.example.fr",
		"VIVIER_OIDC_CLIENT_SECRET": "from-env"}))
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.MailFlags(fs)
	c.OIDCFlags(fs)
	if err := fs.Parse([]string{"--smtp-url", "smtp://b.example.fr", "--oidc-client-id", "vivier", "--mail-from", "x@b.example.fr"}); err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != "smtp://b.example.fr" || c.OIDCIssuer != "https://a.example.fr" || c.OIDCClientSecret != "from-env" || c.MailFrom != "x@b.example.fr" {
		t.Fatalf("config %+v", c)
	}
}

func TestDelaysFromTheEnvironment(t *testing.T) {
	env := map[string]string{"VIVIER_PROPOSAL_EXPIRY_DAYS": "7", "VIVIER_RETENTION_MONTHS": "36"}
	c, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil || c.ProposalExpiryDays != 7 || c.RetentionMonths != 36 {
		t.Fatalf("FromEnv: %+v %v", c, err)
	}
	for key, bad := range map[string]string{"VIVIER_PROPOSAL_EXPIRY_DAYS": "cinq", "VIVIER_RETENTION_MONTHS": "0"} {
		_, err := config.FromEnv(func(k string) string {
			if k == key {
				return bad
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%q: %v, want an error naming the variable", key, bad, err)
		}
	}
}

func TestValidateRefusesWhatWouldHarm(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*config.Config)
		field string // the flag named in the error
	}{
		{"negative retention", func(c *config.Config) { c.RetentionMonths = -3 }, "--retention-months"},
		{"zero retention", func(c *config.Config) { c.RetentionMonths = 0 }, "--retention-months"},
		{"absurd retention", func(c *config.Config) { c.RetentionMonths = 100000 }, "--retention-months"},
		{"zero expiry", func(c *config.Config) { c.ProposalExpiryDays = 0 }, "--proposal-expiry-days"},
		{"long expiry", func(c *config.Config) { c.ProposalExpiryDays = 61 }, "--proposal-expiry-days"},
		{"log format", func(c *config.Config) { c.LogFormat = "xml" }, "--log-format"},
		{"log level", func(c *config.Config) { c.LogLevel = "bavard" }, "--log-level"},
		{"address without port", func(c *config.Config) { c.Addr = "127.0.0.1" }, "--addr"},
		{"base URL without scheme", func(c *config.Config) { c.BaseURL = "vivier.example.fr" }, "--base-url"},
		{"base URL with a query", func(c *config.Config) { c.BaseURL = "https://vivier.example.fr/?x=1" }, "--base-url"},
		{"no shutdown time", func(c *config.Config) { c.ShutdownTimeout = 0 }, "shutdown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config.Default()
			tt.edit(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("Validate() = %v, want an error naming %s", err, tt.field)
			}
		})
	}
	if err := config.Default().Validate(); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	c := config.Default()
	c.BaseURL, c.Addr, c.LogFormat = "https://vivier.example.fr/", ":8080", "JSON"
	if err := c.Validate(); err != nil {
		t.Fatalf("a production setting is refused: %v", err)
	}
}
