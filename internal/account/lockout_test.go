package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// enrolledCoordinator creates a coordinator with a second factor and
// returns its TOTP secret.
func enrolledCoordinator(t *testing.T, s *account.Service, clk *clock, email string) string {
	t.Helper()
	ctx := context.Background()
	mustCreate(t, s, email, access.Coordinator)
	login, err := s.LoginWithPassword(ctx, email, goodPassword, client)
	if err != nil {
		t.Fatal(err)
	}
	sess, u, _ := s.LoadSession(ctx, login.Token)
	enrol, err := s.BeginEnrolment(ctx, sess, u)
	if err != nil {
		t.Fatal(err)
	}
	sess, _, _ = s.LoadSession(ctx, login.Token)
	code, _ := totp.GenerateCode(enrol.Secret, clk.now())
	if _, _, err := s.ConfirmEnrolment(ctx, sess, code, client); err != nil {
		t.Fatal(err)
	}
	clk.advance(31 * time.Second) // the enrolment's code is used up
	return enrol.Secret
}

// TestStrangersCannotLockTheOwnerOut: wrong passwords typed by strangers
// for a coordinator's email neither block the coordinator's own password
// from their address, nor a login by link with the correct second factor.
func TestStrangersCannotLockTheOwnerOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(db)
		secret := enrolledCoordinator(t, s, clk, "coord@vivier.test")
		stranger := account.Client{IP: "203.0.113.66"}
		for range 8 {
			s.LoginWithPassword(ctx, "coord@vivier.test", "je devine au hasard", stranger)
		}
		if _, err := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, stranger); !errors.Is(err, account.ErrThrottled) {
			t.Errorf("the stranger's address after 8 failures: %v, want throttled", err)
		}
		// The owner, by link: possession of the mailbox and of the phone.
		if err := s.RequestMagicLink(ctx, "coord@vivier.test", client); err != nil {
			t.Fatal(err)
		}
		login, err := s.LoginWithLink(ctx, lastLink(t, db, "coord@vivier.test", "/connexion/lien/"), client)
		if err != nil || login.Stage != account.StageMFA {
			t.Fatalf("login by link: stage %q, %v", login.Stage, err)
		}
		sess, _, _ := s.LoadSession(ctx, login.Token)
		code, _ := totp.GenerateCode(secret, clk.now())
		if _, err := s.VerifySecondFactor(ctx, sess, code, client); err != nil {
			t.Fatalf("the owner's correct second factor after strangers' failures: %v", err)
		}
		// The owner, by password from their own address.
		clk.advance(31 * time.Second)
		if login, err := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client); err != nil || login.Stage != account.StageMFA {
			t.Fatalf("the owner's password from their address: %v", err)
		}
	})
}

// TestThrottleBacksOffAndSecondFactorCountsApart: past the limit each try
// waits longer, never a fixed wall renewed by every failure; wrong codes
// of the second factor count on their own.
func TestThrottleBacksOffAndSecondFactorCountsApart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(db)
		secret := enrolledCoordinator(t, s, clk, "coord@vivier.test")
		for range 5 {
			s.LoginWithPassword(ctx, "coord@vivier.test", "mauvais mot de passe", client)
		}
		var throttled *account.ThrottledError
		if _, err := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client); !errors.As(err, &throttled) {
			t.Fatalf("after 5 failures: %v, want throttled", err)
		}
		if wait := throttled.Until.Sub(clk.now()); wait > time.Minute {
			t.Errorf("the first wait is %v, want a short one", wait)
		}
		clk.advance(time.Minute)
		login, err := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client)
		if err != nil {
			t.Fatalf("once the wait is over, the right password: %v", err)
		}
		sess, _, _ := s.LoadSession(ctx, login.Token)
		for range 5 {
			if _, err := s.VerifySecondFactor(ctx, sess, "000000", client); !errors.Is(err, account.ErrBadCode) {
				t.Fatalf("a wrong code: %v", err)
			}
		}
		code, _ := totp.GenerateCode(secret, clk.now())
		if _, err := s.VerifySecondFactor(ctx, sess, code, client); !errors.Is(err, account.ErrThrottled) {
			t.Fatalf("after 5 wrong codes: %v, want throttled", err)
		}
		// Wrong codes do not stop the password step.
		if _, err := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client); err != nil {
			t.Fatalf("the password after wrong codes: %v", err)
		}
		clk.advance(15 * time.Minute)
		code, _ = totp.GenerateCode(secret, clk.now())
		if _, err := s.VerifySecondFactor(ctx, sess, code, client); err != nil {
			t.Fatalf("the code once the wait is over: %v", err)
		}
	})
}
