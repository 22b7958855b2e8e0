// Package config holds Vivier's run-time configuration: every setting is a
// command-line flag with a VIVIER_* environment equivalent, and the defaults
// need no configuration at all (an SQLite file vivier.db in the working
// directory, the web server on 127.0.0.1:8080).
package config

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration. Subcommands register the part they use.
type Config struct {
	DatabaseURL string // --db, VIVIER_DATABASE_URL: SQLite path or postgres:// URL
	Addr        string // --addr, VIVIER_ADDR
	BaseURL     string // --base-url, VIVIER_BASE_URL: public URL used in emails
	BehindProxy bool   // --behind-proxy, VIVIER_BEHIND_PROXY: trust X-Forwarded-* from a TLS proxy
	LogFormat   string // --log-format, VIVIER_LOG_FORMAT: text or json
	LogLevel    string // --log-level, VIVIER_LOG_LEVEL: debug, info, warn, error

	ShutdownTimeout time.Duration // time given to requests in flight on SIGINT/SIGTERM

	RetentionMonths int // --retention-months, VIVIER_RETENTION_MONTHS: archived expert profiles are anonymised after this long

	ProposalExpiryDays int // --proposal-expiry-days, VIVIER_PROPOSAL_EXPIRY_DAYS: working days to answer a proposal

	SMTPURL      string // --smtp-url, VIVIER_SMTP_URL: smtp://user:pass@host:587?tls=starttls; empty: emails are logged
	SMTPPassword string // VIVIER_SMTP_PASSWORD (environment only): the SMTP password, kept out of the URL and of ps
	MailFrom     string // --mail-from, VIVIER_MAIL_FROM: sender of every email

	OIDCIssuer       string // --oidc-issuer, VIVIER_OIDC_ISSUER: OpenID Connect login is off when empty
	OIDCClientID     string // --oidc-client-id, VIVIER_OIDC_CLIENT_ID
	OIDCClientSecret string // --oidc-client-secret, VIVIER_OIDC_CLIENT_SECRET
	OIDCProvider     string // --oidc-provider, VIVIER_OIDC_PROVIDER: proconnect or generic
	OIDCLabel        string // --oidc-label, VIVIER_OIDC_LABEL: login button text; default from the provider

	MetricsAddr string // --metrics-addr, VIVIER_METRICS_ADDR: where /metrics is served, apart from the site; "" for nowhere
	// MaxConnections caps the connections served at once (--max-connections,
	// VIVIER_MAX_CONNECTIONS): further ones wait to be accepted.
	MaxConnections          int
	NewsletterConnections   int     // --newsletter-connections, VIVIER_NEWSLETTER_CONNECTIONS: SMTP connections sending campaigns
	NewsletterRate          float64 // --newsletter-rate, VIVIER_NEWSLETTER_RATE: campaign messages per second per relay and instance; 0: no limit
	NewsletterBatch         int     // --newsletter-batch, VIVIER_NEWSLETTER_BATCH: messages materialised and claimed at a time
	NewsletterWebhookSecret string  // --newsletter-webhook-secret, VIVIER_NEWSLETTER_WEBHOOK_SECRET: the relay's bounce reports' secret
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		DatabaseURL:        "vivier.db",
		Addr:               "127.0.0.1:8080",
		MetricsAddr:        "127.0.0.1:9464",
		MaxConnections:     1000,
		LogFormat:          "text",
		LogLevel:           "info",
		ShutdownTimeout:    20 * time.Second,
		RetentionMonths:    24,
		ProposalExpiryDays: 5,
		MailFrom:           "Vivier <no-reply@localhost>", // mail.DefaultFrom: a test checks they agree
		OIDCProvider:       "proconnect",

		NewsletterConnections: DefaultNewsletterConnections,
		NewsletterBatch:       DefaultNewsletterBatch,
	}
}

// FromEnv returns the defaults overridden by the VIVIER_* environment.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Default()
	str := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	str(&c.DatabaseURL, "VIVIER_DATABASE_URL")
	str(&c.Addr, "VIVIER_ADDR")
	if v, ok := lookup(getenv, "VIVIER_METRICS_ADDR"); ok {
		c.MetricsAddr = v // may be set empty: no metrics listener
	}
	if v := getenv("VIVIER_MAX_CONNECTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return c, fmt.Errorf("VIVIER_MAX_CONNECTIONS=%q: want a whole number of connections", v)
		}
		c.MaxConnections = n
	}
	str(&c.BaseURL, "VIVIER_BASE_URL")
	str(&c.LogFormat, "VIVIER_LOG_FORMAT")
	str(&c.LogLevel, "VIVIER_LOG_LEVEL")
	str(&c.SMTPURL, "VIVIER_SMTP_URL")
	str(&c.SMTPPassword, "VIVIER_SMTP_PASSWORD")
	str(&c.MailFrom, "VIVIER_MAIL_FROM")
	str(&c.OIDCIssuer, "VIVIER_OIDC_ISSUER")
	str(&c.OIDCClientID, "VIVIER_OIDC_CLIENT_ID")
	str(&c.OIDCClientSecret, "VIVIER_OIDC_CLIENT_SECRET")
	str(&c.OIDCProvider, "VIVIER_OIDC_PROVIDER")
	str(&c.OIDCLabel, "VIVIER_OIDC_LABEL")
	if v := getenv("VIVIER_RETENTION_MONTHS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("VIVIER_RETENTION_MONTHS=%q: want a whole number of months, at least 1", v)
		}
		c.RetentionMonths = n
	}
	if v := getenv("VIVIER_PROPOSAL_EXPIRY_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 60 {
			return c, fmt.Errorf("VIVIER_PROPOSAL_EXPIRY_DAYS=%q: want a whole number of working days from 1 to 60", v)
		}
		c.ProposalExpiryDays = n
	}
	if err := c.newsletterFromEnv(getenv); err != nil {
		return c, err
	}
	if v := getenv("VIVIER_BEHIND_PROXY"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("VIVIER_BEHIND_PROXY=%q: want true or false", v)
		}
		c.BehindProxy = b
	}
	return c, nil
}

// lookup reads key, telling an empty value ("off", for settings where
// empty means none) from no value: getenv gives "" for both, so "off" and
// "none" stand for empty.
func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	switch strings.ToLower(v) {
	case "":
		return "", false
	case "off", "none":
		return "", true
	}
	return v, true
}

// Load is FromEnv on the process environment.
func Load() (Config, error) { return FromEnv(os.Getenv) }

// DatabaseFlag registers --db.
func (c *Config) DatabaseFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "db", c.DatabaseURL, "database: an SQLite file path or a postgres:// URL (env VIVIER_DATABASE_URL)")
}

// LogFlags registers --log-format and --log-level.
func (c *Config) LogFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env VIVIER_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (env VIVIER_LOG_LEVEL)")
}

// ServerFlags registers the web server's flags.
func (c *Config) ServerFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (env VIVIER_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL of the site, used in emails; default http://ADDR (env VIVIER_BASE_URL)")
	fs.IntVar(&c.RetentionMonths, "retention-months", c.RetentionMonths, "months an archived expert profile is kept before it is anonymised (env VIVIER_RETENTION_MONTHS)")
	fs.IntVar(&c.ProposalExpiryDays, "proposal-expiry-days", c.ProposalExpiryDays, "working days an expert has to answer a proposal before it expires (env VIVIER_PROPOSAL_EXPIRY_DAYS)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "address of the Prometheus /metrics listener, apart from the site (loopback by default); empty for none (env VIVIER_METRICS_ADDR, \"off\" for none)")
	fs.IntVar(&c.MaxConnections, "max-connections", c.MaxConnections, "connections served at once; further ones wait (env VIVIER_MAX_CONNECTIONS)")
	fs.BoolVar(&c.BehindProxy, "behind-proxy", c.BehindProxy, "served behind a TLS reverse proxy: trust X-Forwarded-For/-Proto and mark cookies Secure (env VIVIER_BEHIND_PROXY)")
}

// Validate checks the configuration once flags and environment are merged,
// and names the flag of the first bad setting: a server must not start on
// a setting that would harm (a negative retention would make the daily
// privacy job anonymise every archived profile at once).
func (c Config) Validate() error {
	switch {
	case c.RetentionMonths < 1 || c.RetentionMonths > 1200:
		return fmt.Errorf("--retention-months (VIVIER_RETENTION_MONTHS) = %d: want a number of months from 1 to 1200", c.RetentionMonths)
	case c.ProposalExpiryDays < 1 || c.ProposalExpiryDays > 60:
		return fmt.Errorf("--proposal-expiry-days (VIVIER_PROPOSAL_EXPIRY_DAYS) = %d: want a number of working days from 1 to 60", c.ProposalExpiryDays)
	case c.ShutdownTimeout <= 0:
		return fmt.Errorf("shutdown timeout %v: want a positive duration", c.ShutdownTimeout)
	}
	if err := c.validateNewsletter(); err != nil {
		return err
	}
	switch strings.ToLower(c.LogFormat) {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format (VIVIER_LOG_FORMAT) = %q: want text or json", c.LogFormat)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("--log-level (VIVIER_LOG_LEVEL) = %q: want debug, info, warn or error", c.LogLevel)
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return fmt.Errorf("--addr (VIVIER_ADDR) = %q: want host:port, e.g. 127.0.0.1:8080 or :8080", c.Addr)
	}
	if _, port, err := net.SplitHostPort(c.MetricsAddr); c.MetricsAddr != "" && (err != nil || port == "") {
		return fmt.Errorf("--metrics-addr (VIVIER_METRICS_ADDR) = %q: want host:port, e.g. 127.0.0.1:9464, or empty for none", c.MetricsAddr)
	}
	if c.MaxConnections < 10 || c.MaxConnections > 100000 {
		return fmt.Errorf("--max-connections (VIVIER_MAX_CONNECTIONS) = %d: want a number from 10 to 100000", c.MaxConnections)
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("--base-url (VIVIER_BASE_URL) = %q: want the site's public address, e.g. https://vivier.example.fr", c.BaseURL)
		}
	}
	return nil
}

// Retention is how long archived expert profiles are kept before the daily
// job anonymises them (months of 30.44 days).
func (c Config) Retention() time.Duration {
	return time.Duration(c.RetentionMonths) * 730 * time.Hour
}

// HTTPS reports whether the site's public address is https: behind a proxy,
// every response then says so (HSTS) and cookies are Secure.
func (c Config) HTTPS() bool { return strings.HasPrefix(strings.ToLower(c.BaseURL), "https://") }

// PublicURL returns BaseURL, or one derived from Addr.
func (c Config) PublicURL() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	return "http://" + c.Addr
}
