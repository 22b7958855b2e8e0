package config

import (
	"flag"
	"fmt"
	"strconv"
)

// The newsletters' send pipeline and bounce webhook. The relay itself is
// the one of --smtp-url, as for every email.

// Newsletter defaults.
const (
	DefaultNewsletterConnections = 4
	DefaultNewsletterBatch       = 500
)

// NewsletterFlags registers the send pipeline's flags.
func (c *Config) NewsletterFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.NewsletterConnections, "newsletter-connections", c.NewsletterConnections, "SMTP connections each instance keeps open to send campaigns (env VIVIER_NEWSLETTER_CONNECTIONS)")
	fs.Float64Var(&c.NewsletterRate, "newsletter-rate", c.NewsletterRate, "most campaign messages per second handed to the relay by each instance; 0: no limit (env VIVIER_NEWSLETTER_RATE)")
	fs.IntVar(&c.NewsletterBatch, "newsletter-batch", c.NewsletterBatch, "campaign messages materialised and claimed at a time (env VIVIER_NEWSLETTER_BATCH)")
	fs.StringVar(&c.NewsletterWebhookSecret, "newsletter-webhook-secret", c.NewsletterWebhookSecret, "shared secret of the relay's bounce and complaint reports (header X-Vivier-Webhook-Secret); empty: reports refused (env VIVIER_NEWSLETTER_WEBHOOK_SECRET)")
}

// newsletterFromEnv reads the pipeline's VIVIER_* variables.
func (c *Config) newsletterFromEnv(getenv func(string) string) error {
	if v := getenv("VIVIER_NEWSLETTER_CONNECTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("VIVIER_NEWSLETTER_CONNECTIONS=%q: want a whole number of connections", v)
		}
		c.NewsletterConnections = n
	}
	if v := getenv("VIVIER_NEWSLETTER_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("VIVIER_NEWSLETTER_RATE=%q: want a number of messages per second", v)
		}
		c.NewsletterRate = r
	}
	if v := getenv("VIVIER_NEWSLETTER_BATCH"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("VIVIER_NEWSLETTER_BATCH=%q: want a whole number of messages", v)
		}
		c.NewsletterBatch = n
	}
	if v := getenv("VIVIER_NEWSLETTER_WEBHOOK_SECRET"); v != "" {
		c.NewsletterWebhookSecret = v
	}
	return nil
}

// validateNewsletter checks the pipeline's settings.
func (c Config) validateNewsletter() error {
	switch {
	case c.NewsletterConnections < 1 || c.NewsletterConnections > 64:
		return fmt.Errorf("--newsletter-connections (VIVIER_NEWSLETTER_CONNECTIONS) = %d: want from 1 to 64 connections", c.NewsletterConnections)
	case c.NewsletterRate < 0 || c.NewsletterRate > 100_000 || c.NewsletterRate != c.NewsletterRate:
		return fmt.Errorf("--newsletter-rate (VIVIER_NEWSLETTER_RATE) = %v: want from 0 (no limit) to 100000 messages per second", c.NewsletterRate)
	case c.NewsletterBatch < 10 || c.NewsletterBatch > 10_000:
		return fmt.Errorf("--newsletter-batch (VIVIER_NEWSLETTER_BATCH) = %d: want from 10 to 10000 messages", c.NewsletterBatch)
	case c.NewsletterWebhookSecret != "" && len(c.NewsletterWebhookSecret) < 16:
		return fmt.Errorf("--newsletter-webhook-secret (VIVIER_NEWSLETTER_WEBHOOK_SECRET): want at least 16 characters")
	}
	return nil
}
