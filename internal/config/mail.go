package config

import "flag"

// MailFlags registers --smtp-url and --mail-from.
func (c *Config) MailFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "SMTP relay, smtp://user@host:587?tls=starttls (tls: starttls, tls or none; smtps:// means tls); the password may come from VIVIER_SMTP_PASSWORD; empty: emails are only logged (env VIVIER_SMTP_URL)")
	fs.StringVar(&c.MailFrom, "mail-from", c.MailFrom, "sender of every email (env VIVIER_MAIL_FROM)")
}
