package config

import (
	"flag"
	"fmt"
	"strings"

	"vivier/internal/oidc"
)

// OIDCRedirectPath is where the provider sends the browser back; register
// {base-url}/connexion/oidc/retour with the provider.
const OIDCRedirectPath = "/connexion/oidc/retour"

// OIDCFlags registers the OpenID Connect login flags.
func (c *Config) OIDCFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", c.OIDCIssuer, "OpenID Connect issuer URL (e.g. https://PROCONNECT_DOMAIN/api/v2); empty: no OpenID Connect login (env VIVIER_OIDC_ISSUER)")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", c.OIDCClientID, "OpenID Connect client ID (env VIVIER_OIDC_CLIENT_ID)")
	fs.StringVar(&c.OIDCClientSecret, "oidc-client-secret", c.OIDCClientSecret, "OpenID Connect client secret; prefer the environment, flags show in ps (env VIVIER_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.OIDCProvider, "oidc-provider", c.OIDCProvider, "OpenID Connect provider kind: proconnect or generic (env VIVIER_OIDC_PROVIDER)")
	fs.StringVar(&c.OIDCLabel, "oidc-label", c.OIDCLabel, "login button text; default \"Se connecter avec ProConnect\" for proconnect (env VIVIER_OIDC_LABEL)")
}

// OIDC returns the OpenID Connect client settings, or ok false when no
// issuer is set (OpenID Connect login is off). The redirect URL is the
// public URL followed by OIDCRedirectPath.
func (c Config) OIDC() (cfg oidc.Config, ok bool, err error) {
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
