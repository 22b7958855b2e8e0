package config

import "flag"

// OIDCFlags registers the OpenID Connect login flags.
func (c *Config) OIDCFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", c.OIDCIssuer, "OpenID Connect issuer URL (e.g. https://PROCONNECT_DOMAIN/api/v2); empty: no OpenID Connect login (env VIVIER_OIDC_ISSUER)")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", c.OIDCClientID, "OpenID Connect client ID (env VIVIER_OIDC_CLIENT_ID)")
	fs.StringVar(&c.OIDCClientSecret, "oidc-client-secret", c.OIDCClientSecret, "OpenID Connect client secret; prefer the environment, flags show in ps (env VIVIER_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.OIDCProvider, "oidc-provider", c.OIDCProvider, "OpenID Connect provider kind: proconnect or generic (env VIVIER_OIDC_PROVIDER)")
	fs.StringVar(&c.OIDCLabel, "oidc-label", c.OIDCLabel, "login button text; default \"Se connecter avec ProConnect\" for proconnect (env VIVIER_OIDC_LABEL)")
}
