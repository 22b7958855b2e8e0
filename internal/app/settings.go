package app

// The settings of the outside services Vivier talks to — the SMTP relay
// and the OpenID Connect provider — turned from the configuration's strings
// into what the mail and oidc packages take. Errors are one line naming the
// setting, and never show a password.

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"

	"vivier/internal/config"
	"vivier/internal/mail"
	"vivier/internal/oidc"
)

// SMTP returns the SMTP relay settings, or ok false when no relay is
// configured (emails are then logged). Errors are one line naming the
// setting and never show the password.
func SMTP(c config.Config) (cfg mail.SMTPConfig, ok bool, err error) {
	from, err := mail.ParseFrom(c.MailFrom)
	if err != nil {
		return cfg, false, fmt.Errorf("VIVIER_MAIL_FROM: %v", err)
	}
	cfg.From = from.String()
	if strings.TrimSpace(c.SMTPURL) == "" {
		return cfg, false, nil
	}
	fail := func(format string, args ...any) (mail.SMTPConfig, bool, error) {
		return mail.SMTPConfig{}, false, fmt.Errorf("VIVIER_SMTP_URL: "+format, args...)
	}
	u, err := url.Parse(c.SMTPURL)
	if err != nil {
		// url.Parse's message repeats the URL, password included.
		return fail("not a URL; want smtp://user@host:587?tls=starttls")
	}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		cfg.TLS = mail.ImplicitTLS
	default:
		return fail("scheme %q not supported: want smtp:// or smtps://", u.Scheme)
	}
	cfg.Host = u.Hostname()
	if cfg.Host == "" {
		return fail("no host; want smtp://user@host:587?tls=starttls")
	}
	if p := u.Port(); p != "" {
		if cfg.Port, err = strconv.Atoi(p); err != nil || cfg.Port < 1 || cfg.Port > 65535 {
			return fail("port %q is not a port number", p)
		}
	}
	if u.Path != "" && u.Path != "/" {
		return fail("unexpected path %q", u.Path)
	}
	for key, values := range u.Query() {
		if key != "tls" {
			return fail("unknown parameter %q: want tls", key)
		}
		if cfg.TLS, err = mail.ParseTLSMode(values[0]); err != nil {
			return fail("%v", err)
		}
	}
	if cfg.TLS == "" {
		cfg.TLS = mail.StartTLS
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	if c.SMTPPassword != "" {
		if cfg.Password != "" {
			return fail("the password is given twice, in the URL and in VIVIER_SMTP_PASSWORD; keep one")
		}
		cfg.Password = c.SMTPPassword
	}
	if cfg.Password != "" && cfg.Username == "" {
		return fail("a password without a user name; want smtp://user@host")
	}
	if cfg.Password != "" && cfg.TLS == mail.NoTLS && !isLoopback(cfg.Host) {
		return fail("tls=none would send the password in clear to %s; use starttls or tls", cfg.Host)
	}
	return cfg, true, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// MailTransport builds the transport of outgoing emails: SMTP when a relay
// is configured, otherwise a log of each message through logger.
func MailTransport(c config.Config, logger *slog.Logger) (mail.Transport, error) {
	cfg, ok, err := SMTP(c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return mail.LogTransport{Logger: logger}, nil
	}
	t, err := mail.NewSMTP(cfg)
	if err != nil {
		return nil, errors.New("VIVIER_SMTP_URL: " + strings.TrimPrefix(err.Error(), "smtp: "))
	}
	return t, nil
}

// OIDCRedirectPath is where the provider sends the browser back; register
// {base-url}/connexion/oidc/retour with the provider.
const OIDCRedirectPath = "/connexion/oidc/retour"

// OIDC returns the OpenID Connect client settings, or ok false when no
// issuer is set (OpenID Connect login is off). The redirect URL is the
// public URL followed by OIDCRedirectPath.
func OIDC(c config.Config) (cfg oidc.Config, ok bool, err error) {
	if strings.TrimSpace(c.OIDCIssuer) == "" {
		return cfg, false, nil
	}
	provider, err := oidc.ParseProvider(c.OIDCProvider)
	if err != nil {
		return cfg, false, fmt.Errorf("VIVIER_OIDC_PROVIDER: %v", err)
	}
	cfg = oidc.Config{
		Provider:     provider,
		Issuer:       strings.TrimSpace(c.OIDCIssuer),
		ClientID:     c.OIDCClientID,
		ClientSecret: c.OIDCClientSecret,
		RedirectURL:  strings.TrimRight(c.PublicURL(), "/") + OIDCRedirectPath,
		Label:        c.OIDCLabel,
	}.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return oidc.Config{}, false, fmt.Errorf("OpenID Connect settings (VIVIER_OIDC_*): %v", err)
	}
	return cfg, true, nil
}
