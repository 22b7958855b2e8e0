package app

import (
	"context"

	"vivier/internal/account"
	"vivier/internal/oidc"
)

// oidcLogin adapts the OpenID Connect client to what the web layer asks of
// a provider login.
type oidcLogin struct{ client *oidc.Client }

func (o oidcLogin) Label() string { return o.client.Label() }

func (o oidcLogin) Begin() (string, string, account.OIDCState, error) {
	start := o.client.Begin()
	return start.URL, start.State, account.OIDCState{Nonce: start.Nonce, Verifier: start.Verifier}, nil
}

func (o oidcLogin) Finish(ctx context.Context, code string, saved account.OIDCState) (account.Identity, error) {
	claims, err := o.client.Finish(ctx, code, oidc.Start{Nonce: saved.Nonce, Verifier: saved.Verifier})
	if err != nil {
		return account.Identity{}, err
	}
	return account.Identity{Issuer: claims.Issuer, Subject: claims.Subject, Email: claims.Email, EmailVerified: claims.EmailVerified}, nil
}
