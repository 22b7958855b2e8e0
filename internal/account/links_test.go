package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestPasswordChangesAndNewLinksEndOutstandingLinks: a password change or
// reset uses up every magic and reset link still waiting in a mailbox, and
// a new link of one kind replaces the previous one.
func TestPasswordChangesAndNewLinksEndOutstandingLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(db)
		mustCreate(t, s, "expert@vivier.test", access.Expert)
		magic := func() string {
			t.Helper()
			clk.advance(4 * time.Minute) // at most 5 links in 15 minutes
			if err := s.RequestMagicLink(ctx, "expert@vivier.test", client); err != nil {
				t.Fatal(err)
			}
			return lastLink(t, db, "expert@vivier.test", "/connexion/lien/")
		}
		reset := func() string {
			t.Helper()
			clk.advance(4 * time.Minute) // at most 5 links in 15 minutes
			if err := s.RequestPasswordReset(ctx, "expert@vivier.test", client); err != nil {
				t.Fatal(err)
			}
			return lastLink(t, db, "expert@vivier.test", "/mot-de-passe/nouveau/")
		}
		first := magic()
		second := magic()
		if _, err := s.LoginWithLink(ctx, first, client); !errors.Is(err, account.ErrLinkInvalid) {
			t.Errorf("a magic link replaced by a newer one: %v, want invalid", err)
		}
		oldReset := reset()
		newReset := reset()
		if _, err := s.PeekLink(ctx, oldReset, "reset"); !errors.Is(err, account.ErrLinkInvalid) {
			t.Errorf("a reset link replaced by a newer one: %v, want invalid", err)
		}
		// A password change ends the outstanding ones.
		login, err := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client)
		if err != nil {
			t.Fatal(err)
		}
		sess, _, _ := s.LoadSession(ctx, login.Token)
		if _, err := s.ChangePassword(ctx, sess, goodPassword, "un autre mot de passe bien long", client); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoginWithLink(ctx, second, client); !errors.Is(err, account.ErrLinkInvalid) {
			t.Errorf("a magic link after a password change: %v, want invalid", err)
		}
		if _, err := s.PeekLink(ctx, newReset, "reset"); !errors.Is(err, account.ErrLinkInvalid) {
			t.Errorf("a reset link after a password change: %v, want invalid", err)
		}
		// A reset ends the magic link sent before it.
		m := magic()
		r := reset()
		if _, err := s.ResetPassword(ctx, r, "encore un mot de passe bien long", client); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoginWithLink(ctx, m, client); !errors.Is(err, account.ErrLinkInvalid) {
			t.Errorf("a magic link after a reset: %v, want invalid", err)
		}
	})
}

// TestAPITokensExpireAndAResetRevokesThem: a token lives the time chosen
// at creation (a year by default), and a password reset or an explicit
// revocation of all tokens ends every one.
func TestAPITokensExpireAndAResetRevokesThem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(db)
		u := mustCreate(t, s, "expert@vivier.test", access.Expert)
		short, tok, err := s.CreateTokenWith(ctx, u, account.TokenSpec{Name: "un mois", Scope: account.ScopeRead, Lifetime: 30 * 24 * time.Hour}, client)
		if err != nil {
			t.Fatal(err)
		}
		if want := clk.now().Add(30 * 24 * time.Hour); !tok.ExpiresAt.Equal(want) {
			t.Errorf("expires %v, want %v", tok.ExpiresAt, want)
		}
		long, _, err := s.CreateToken(ctx, u, "par défaut", account.ScopeWrite, client)
		if err != nil {
			t.Fatal(err)
		}
		if list, _ := s.ListTokens(ctx, u.ID); len(list) != 2 || list[0].ExpiresAt.Sub(list[0].CreatedAt) != account.DefaultTokenLifetime {
			t.Fatalf("tokens listed: %+v", list)
		}
		if _, _, err := s.CreateTokenWith(ctx, u, account.TokenSpec{Name: "x", Scope: account.ScopeRead, Lifetime: 10 * 365 * 24 * time.Hour}, client); err == nil {
			t.Error("a token of ten years was accepted")
		}
		clk.advance(31 * 24 * time.Hour)
		if _, _, err := s.AuthenticateToken(ctx, short); !errors.Is(err, account.ErrBadToken) {
			t.Errorf("an expired token: %v, want refused", err)
		}
		if _, _, err := s.AuthenticateToken(ctx, long); err != nil {
			t.Fatalf("a live token: %v", err)
		}
		if err := s.RequestPasswordReset(ctx, "expert@vivier.test", client); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResetPassword(ctx, lastLink(t, db, "expert@vivier.test", "/mot-de-passe/nouveau/"), "encore un mot de passe bien long", client); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.AuthenticateToken(ctx, long); !errors.Is(err, account.ErrBadToken) {
			t.Errorf("a token after a password reset: %v, want revoked", err)
		}
		again, _, _ := s.CreateToken(ctx, u, "après", account.ScopeRead, client)
		if n, err := s.RevokeTokens(ctx, u.ID, client); err != nil || n != 1 {
			t.Fatalf("revoke all: %d, %v", n, err)
		}
		if _, _, err := s.AuthenticateToken(ctx, again); !errors.Is(err, account.ErrBadToken) {
			t.Errorf("a token after revoking all: %v", err)
		}
	})
}
