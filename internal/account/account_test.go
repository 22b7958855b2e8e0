package account_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audit"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
	"vivier/internal/valid"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is a time the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

var client = account.Client{IP: "192.0.2.10", UserAgent: "test"}

// newService returns a service on db with a movable clock and cheap hashes
// (the real cost is measured by BenchmarkHashPassword, not paid by tests).
func newService(db *store.DB, tune ...func(*account.Options)) (*account.Service, *clock) {
	c := &clock{t: time.Now().UTC()}
	o := account.Options{DB: db, BaseURL: "https://vivier.test", Now: c.now,
		Argon2: account.Argon2Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}}
	for _, f := range tune {
		f(&o)
	}
	return account.New(o), c
}

// as is u acting from the test client.
func as(u account.User) access.Actor { return u.Actor(client.IP, access.Session) }

const goodPassword = "une phrase assez longue pour Vivier"

func mustCreate(t *testing.T, s *account.Service, email string, role access.Role) account.User {
	t.Helper()
	u, err := s.CreateWithPassword(context.Background(), account.NewUser{Email: email, Name: "Claire Martin", Role: role}, goodPassword, false)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// lastLink returns the token of the newest link emailed to email whose URL
// contains path.
func lastLink(t *testing.T, db *store.DB, email, path string) string {
	t.Helper()
	list, err := mail.List(context.Background(), db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(regexp.QuoteMeta(path) + `([A-Z0-9]+)`)
	for _, e := range list {
		if strings.Contains(e.Message.To, email) {
			if m := re.FindStringSubmatch(e.Message.Text); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no email to %s with a link %s…", email, path)
	return ""
}

func countAudit(t *testing.T, db *store.DB, action string) int {
	t.Helper()
	_, n, err := audit.List(context.Background(), db, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPasswordLoginGivesOneAnswerForEveryFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		mustCreate(t, s, "expert@vivier.test", access.Expert)
		for _, tc := range []struct{ name, email, password string }{
			{"wrong password", "expert@vivier.test", "pas le bon mot de passe"},
			{"unknown account", "personne@vivier.test", goodPassword},
		} {
			if _, err := s.LoginWithPassword(ctx, tc.email, tc.password, client); !errors.Is(err, account.ErrBadCredentials) {
				t.Errorf("%s: %v, want ErrBadCredentials", tc.name, err)
			}
		}
		login, err := s.LoginWithPassword(ctx, "  Expert@Vivier.TEST ", goodPassword, client)
		if err != nil || login.Stage != account.StageFull {
			t.Fatalf("good login: %+v %v", login, err)
		}
		if _, u, err := s.LoadSession(ctx, login.Token); err != nil || u.Email != "expert@vivier.test" {
			t.Fatalf("session of the login: %v %v", u, err)
		}
		if n := countAudit(t, db, "account.login_failed"); n != 2 {
			t.Errorf("%d failed logins in the audit log, want 2", n)
		}
	})
}

func TestLoginIsThrottledPerAccountAndPerAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		throttle := account.Throttle{Window: 15 * time.Minute, PerAccount: 3, PerIP: 5}
		s, clk := newService(db, func(o *account.Options) { o.Throttle = throttle })
		mustCreate(t, s, "coord@vivier.test", access.Expert)
		for range 3 {
			s.LoginWithPassword(ctx, "coord@vivier.test", "mauvais mot de passe", client)
		}
		if _, err := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client); !errors.Is(err, account.ErrThrottled) {
			t.Fatalf("4th try with the right password: %v, want throttled", err)
		}
		// Another instance sees the same counters: they are in the database.
		other, _ := newService(db, func(o *account.Options) { o.Now, o.Throttle = clk.now, throttle })
		if _, err := other.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client); !errors.Is(err, account.ErrThrottled) {
			t.Fatalf("another instance: %v, want throttled", err)
		}
		// Two more failures on other accounts exhaust the address.
		s.LoginWithPassword(ctx, "a@vivier.test", "x", client)
		s.LoginWithPassword(ctx, "b@vivier.test", "x", client)
		if _, err := s.LoginWithPassword(ctx, "c@vivier.test", "x", client); !errors.Is(err, account.ErrThrottled) {
			t.Fatalf("address after 5 failures: %v, want throttled", err)
		}
		elsewhere := account.Client{IP: "198.51.100.7"}
		clk.advance(16 * time.Minute)
		if _, err := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, elsewhere); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestInvitationSetsThePasswordOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		coord := mustCreate(t, s, "coord@vivier.test", access.Coordinator)
		expert := mustCreate(t, s, "expert@vivier.test", access.Expert)
		if _, err := s.Invite(ctx, account.NewUser{Email: "x@vivier.test", Name: "X", Role: access.Expert}, as(expert)); !errors.Is(err, account.ErrForbidden) {
			t.Fatalf("an expert invites: %v", err)
		}
		u, err := s.Invite(ctx, account.NewUser{Email: "Paul.Roux@Mairie.fr", Name: "Paul Roux", Role: access.Expert}, as(coord))
		if err != nil || u.Status != account.Invited {
			t.Fatalf("invite: %+v %v", u, err)
		}
		token := lastLink(t, db, "paul.roux@mairie.fr", "/invitation/")
		if peek, err := s.PeekLink(ctx, token, "invitation"); err != nil || peek.ID != u.ID {
			t.Fatalf("peek: %v %v", peek, err)
		}
		_, err = s.AcceptInvitation(ctx, token, "azerty123456", client)
		if list, ok := valid.As(err); !ok || list.For("password") == "" {
			t.Fatalf("common password: %v, want a password field error", err)
		}
		login, err := s.AcceptInvitation(ctx, token, goodPassword, client)
		if err != nil || login.User.Status != account.Active {
			t.Fatalf("accept after a refused password: %+v %v", login, err)
		}
		if _, err := s.AcceptInvitation(ctx, token, goodPassword+"!", client); !errors.Is(err, account.ErrLinkInvalid) {
			t.Fatalf("second use of the invitation: %v", err)
		}
		if _, err := s.LoginWithPassword(ctx, "paul.roux@mairie.fr", goodPassword, client); err != nil {
			t.Fatalf("login with the chosen password: %v", err)
		}
	})
}

func TestMagicLinkIsSingleUseAndExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(db)
		mustCreate(t, s, "maire@commune.fr", access.Expert)
		if err := s.RequestMagicLink(ctx, "inconnu@commune.fr", client); err != nil {
			t.Fatalf("unknown address must answer the same: %v", err)
		}
		if err := s.RequestMagicLink(ctx, "maire@commune.fr", client); err != nil {
			t.Fatal(err)
		}
		token := lastLink(t, db, "maire@commune.fr", "/connexion/lien/")
		if _, err := s.LoginWithLink(ctx, token, client); err != nil {
			t.Fatalf("first use: %v", err)
		}
		if _, err := s.LoginWithLink(ctx, token, client); !errors.Is(err, account.ErrLinkInvalid) {
			t.Fatalf("second use: %v", err)
		}
		clk.advance(time.Second) // a new link, then 15 minutes and one second
		s.RequestMagicLink(ctx, "maire@commune.fr", client)
		late := lastLink(t, db, "maire@commune.fr", "/connexion/lien/")
		clk.advance(15*time.Minute + time.Second)
		if _, err := s.LoginWithLink(ctx, late, client); !errors.Is(err, account.ErrLinkInvalid) {
			t.Fatalf("expired link: %v", err)
		}
		if n := countAudit(t, db, "account.link_refused"); n != 2 {
			t.Errorf("%d refused links in the audit log, want 2", n)
		}
	})
}

func TestPasswordChangeAndResetEndOtherSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		mustCreate(t, s, "expert@vivier.test", access.Expert)
		a, _ := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client)
		b, _ := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client)
		sessA, _, err := s.LoadSession(ctx, a.Token)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ChangePassword(ctx, sessA, "faux mot de passe", "un autre mot de passe solide", client); err == nil {
			t.Fatal("changed with a wrong current password")
		}
		renewed, err := s.ChangePassword(ctx, sessA, goodPassword, "un autre mot de passe solide", client)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.LoadSession(ctx, b.Token); !errors.Is(err, account.ErrNoSession) {
			t.Errorf("the other session survived a password change: %v", err)
		}
		if _, _, err := s.LoadSession(ctx, a.Token); !errors.Is(err, account.ErrNoSession) {
			t.Errorf("the old token of the current session still works: %v", err)
		}
		if _, _, err := s.LoadSession(ctx, renewed); err != nil {
			t.Errorf("the renewed session: %v", err)
		}
		s.RequestPasswordReset(ctx, "expert@vivier.test", client)
		token := lastLink(t, db, "expert@vivier.test", "/mot-de-passe/nouveau/")
		login, err := s.ResetPassword(ctx, token, "encore un nouveau mot de passe", client)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.LoadSession(ctx, renewed); !errors.Is(err, account.ErrNoSession) {
			t.Errorf("a session survived a reset: %v", err)
		}
		if _, _, err := s.LoadSession(ctx, login.Token); err != nil {
			t.Errorf("the session opened by the reset: %v", err)
		}
	})
}

func TestCoordinatorsNeedASecondFactorThatCannotBeReplayed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(db)
		mustCreate(t, s, "coord@vivier.test", access.Coordinator)
		login, err := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client)
		if err != nil || login.Stage != account.StageEnrol {
			t.Fatalf("first login of a coordinator: stage %q, %v", login.Stage, err)
		}
		sess, u, _ := s.LoadSession(ctx, login.Token)
		enrol, err := s.BeginEnrolment(ctx, sess, u)
		if err != nil {
			t.Fatal(err)
		}
		sess, _, _ = s.LoadSession(ctx, login.Token)
		if _, _, err := s.ConfirmEnrolment(ctx, sess, "000000", client); !errors.Is(err, account.ErrBadCode) {
			t.Fatalf("wrong enrolment code: %v", err)
		}
		code, _ := totp.GenerateCode(enrol.Secret, clk.now())
		full, codes, err := s.ConfirmEnrolment(ctx, sess, code, client)
		if err != nil || len(codes) != 10 {
			t.Fatalf("confirm: %d codes, %v", len(codes), err)
		}
		if sess, _, _ := s.LoadSession(ctx, full); sess.Stage != account.StageFull {
			t.Fatalf("after enrolment the session is %q", sess.Stage)
		}
		second, _ := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client)
		if second.Stage != account.StageMFA {
			t.Fatalf("second login: stage %q, want mfa", second.Stage)
		}
		sess2, _, _ := s.LoadSession(ctx, second.Token)
		if _, err := s.VerifySecondFactor(ctx, sess2, code, client); !errors.Is(err, account.ErrBadCode) {
			t.Fatalf("the enrolment code replayed: %v", err)
		}
		if _, err := s.VerifySecondFactor(ctx, sess2, strings.ToUpper(codes[0]), client); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		third, _ := s.LoginWithPassword(ctx, "coord@vivier.test", goodPassword, client)
		sess3, _, _ := s.LoadSession(ctx, third.Token)
		if _, err := s.VerifySecondFactor(ctx, sess3, codes[0], client); !errors.Is(err, account.ErrBadCode) {
			t.Fatalf("a recovery code used twice: %v", err)
		}
		clk.advance(30 * time.Second)
		next, _ := totp.GenerateCode(enrol.Secret, clk.now())
		if _, err := s.VerifySecondFactor(ctx, sess3, next, client); err != nil {
			t.Fatalf("a fresh code: %v", err)
		}
	})
}

func TestSessionsEndWhenIdleOrOld(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, clk := newService(db)
		mustCreate(t, s, "expert@vivier.test", access.Expert)
		login, _ := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client)
		for range 6 { // active every 110 minutes: never idle, but old after 12 hours
			clk.advance(110 * time.Minute)
			if _, _, err := s.LoadSession(ctx, login.Token); err != nil {
				t.Fatalf("an active session ended early: %v", err)
			}
		}
		clk.advance(110 * time.Minute)
		if _, _, err := s.LoadSession(ctx, login.Token); !errors.Is(err, account.ErrNoSession) {
			t.Fatalf("a session older than 12 hours: %v", err)
		}
		idle, _ := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client)
		clk.advance(2*time.Hour + time.Second)
		if _, _, err := s.LoadSession(ctx, idle.Token); !errors.Is(err, account.ErrNoSession) {
			t.Fatalf("an idle session: %v", err)
		}
		if _, _, err := s.LoadSession(ctx, idle.Token+"X"); !errors.Is(err, account.ErrNoSession) {
			t.Fatalf("a tampered token: %v", err)
		}
	})
}

func TestAPITokensAreShownOnceAndRevocable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		u := mustCreate(t, s, "expert@vivier.test", access.Expert)
		other := mustCreate(t, s, "autre@vivier.test", access.Expert)
		secret, tok, err := s.CreateToken(ctx, u, "export mensuel", account.ScopeRead, client)
		if err != nil {
			t.Fatal(err)
		}
		var stored int
		db.QueryRowContext(ctx, "SELECT count(*) FROM api_tokens WHERE token_hash = $1 OR prefix = $1", secret).Scan(&stored)
		if stored != 0 {
			t.Fatal("the token's secret is stored in clear")
		}
		owner, scope, err := s.AuthenticateToken(ctx, secret)
		if err != nil || owner.ID != u.ID || scope != account.ScopeRead {
			t.Fatalf("authenticate: %v %q %v", owner.ID, scope, err)
		}
		if list, _ := s.ListTokens(ctx, u.ID); len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("last use not recorded: %+v", list)
		}
		if err := s.RevokeToken(ctx, other, tok.ID, client); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("someone else revokes the token: %v", err)
		}
		if err := s.RevokeToken(ctx, u, tok.ID, client); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.AuthenticateToken(ctx, secret); !errors.Is(err, account.ErrBadToken) {
			t.Fatalf("revoked token: %v", err)
		}
	})
}

func TestOIDCIdentitiesAreLinkedOnlyToInvitedVerifiedEmails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		coord := mustCreate(t, s, "coord@vivier.test", access.Coordinator)
		invited, err := s.Invite(ctx, account.NewUser{Email: "agent@ville.fr", Name: "Agent", Role: access.Expert}, as(coord))
		if err != nil {
			t.Fatal(err)
		}
		iss := "https://proconnect.test"
		if _, err := s.LoginWithOIDC(ctx, account.Identity{Issuer: iss, Subject: "s1", Email: "agent@ville.fr"}, client); !errors.Is(err, account.ErrOIDCNoAccount) {
			t.Fatalf("unverified email: %v", err)
		}
		if _, err := s.LoginWithOIDC(ctx, account.Identity{Issuer: iss, Subject: "s2", Email: "inconnu@ville.fr", EmailVerified: true}, client); !errors.Is(err, account.ErrOIDCNoAccount) {
			t.Fatalf("no invitation: %v", err)
		}
		login, err := s.LoginWithOIDC(ctx, account.Identity{Issuer: iss, Subject: "s1", Email: "agent@ville.fr", EmailVerified: true}, client)
		if err != nil || login.User.ID != invited.ID || login.Stage != account.StageFull {
			t.Fatalf("first OIDC login: %+v %v", login, err)
		}
		// Later logins follow the (issuer, subject), not the email.
		again, err := s.LoginWithOIDC(ctx, account.Identity{Issuer: iss, Subject: "s1", Email: "nouvelle@ville.fr", EmailVerified: true}, client)
		if err != nil || again.User.ID != invited.ID {
			t.Fatalf("second OIDC login: %v %v", again.User.ID, err)
		}
		if err := s.SaveOIDCState(ctx, "state-1", account.OIDCState{Nonce: "n", Verifier: "v", ReturnTo: "/compte"}); err != nil {
			t.Fatal(err)
		}
		if st, err := s.TakeOIDCState(ctx, "state-1"); err != nil || st.Nonce != "n" || st.ReturnTo != "/compte" {
			t.Fatalf("take state: %+v %v", st, err)
		}
		if _, err := s.TakeOIDCState(ctx, "state-1"); !errors.Is(err, account.ErrOIDCState) {
			t.Fatalf("a replayed state: %v", err)
		}
	})
}

func TestExportAndErasure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		coord := mustCreate(t, s, "coord@vivier.test", access.Coordinator)
		u := mustCreate(t, s, "expert@vivier.test", access.Expert)
		if err := account.RecordConsent(ctx, db, u.ID, account.ConsentPoolProfile, "J'accepte que mon profil figure dans le vivier.", client.IP); err != nil {
			t.Fatal(err)
		}
		login, _ := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client)
		doc, err := s.Export(ctx, as(u))
		if err != nil {
			t.Fatal(err)
		}
		if acc := doc["account"].(map[string]any); acc["email"] != "expert@vivier.test" {
			t.Errorf("export account: %v", acc)
		}
		if c := doc["consents"].([]account.Consent); len(c) != 1 || !strings.Contains(c[0].Wording, "vivier") {
			t.Errorf("export consents: %v", c)
		}
		if err := s.Erase(ctx, coord.ID, as(u)); !errors.Is(err, account.ErrForbidden) {
			t.Fatalf("an expert erases a coordinator: %v", err)
		}
		if err := s.Erase(ctx, u.ID, as(coord)); err != nil {
			t.Fatal(err)
		}
		erased, _ := account.Get(ctx, db, u.ID)
		if erased.Status != account.Erased || strings.Contains(erased.Email, "expert") || erased.Name != "Personne effacée" {
			t.Errorf("after erasure: %+v", erased)
		}
		if _, _, err := s.LoadSession(ctx, login.Token); !errors.Is(err, account.ErrNoSession) {
			t.Errorf("a session of an erased person: %v", err)
		}
		if _, err := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client); !errors.Is(err, account.ErrBadCredentials) {
			t.Errorf("login after erasure: %v", err)
		}
		lines, _, _ := audit.List(ctx, db, audit.Filter{Action: "account.erased"})
		if len(lines) != 1 || lines[0].SubjectName != "Personne effacée" || lines[0].ActorName != "Claire Martin" {
			t.Errorf("audit of the erasure: %+v", lines)
		}
	})
}

func TestSuspensionEndsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		coord := mustCreate(t, s, "coord@vivier.test", access.Coordinator)
		u := mustCreate(t, s, "expert@vivier.test", access.Expert)
		login, _ := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client)
		if err := s.SetStatus(ctx, u.ID, account.Suspended, as(coord)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.LoadSession(ctx, login.Token); !errors.Is(err, account.ErrNoSession) {
			t.Errorf("session of a suspended account: %v", err)
		}
		if _, err := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client); !errors.Is(err, account.ErrBadCredentials) {
			t.Errorf("login of a suspended account: %v", err)
		}
		if err := s.SetStatus(ctx, u.ID, account.Active, as(coord)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LoginWithPassword(ctx, "expert@vivier.test", goodPassword, client); err != nil {
			t.Errorf("login after reactivation: %v", err)
		}
	})
}

// TestInvitationNamesEveryMissingFieldAtOnce: an empty invitation form is
// answered with every field at fault, in the form's order, each saying
// what is missing — and no account is made.
func TestInvitationNamesEveryMissingFieldAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(db)
		coord := mustCreate(t, s, "coord@vivier.test", access.Coordinator)
		_, err := s.Invite(ctx, account.NewUser{Role: access.Requester}, as(coord))
		errs, ok := valid.As(err)
		if !ok {
			t.Fatalf("invite with nothing: %v", err)
		}
		var fields []string
		for _, e := range errs {
			fields = append(fields, e.Field)
		}
		if strings.Join(fields, ",") != "email,name,organisation" {
			t.Fatalf("fields at fault %v, want email, name, organisation: %v", fields, err)
		}
		if m := errs.For("organisation"); !strings.Contains(m, "commune, intercommunalité (EPCI), agence de développement") {
			t.Errorf("the organisation's message names codes, not kinds: %q", m)
		}
		if m := errs.For("email"); !strings.Contains(m, "adresse électronique") {
			t.Errorf("the email's message: %q", m)
		}
		if users, err := s.List(ctx, account.ListFilter{}, access.System); err != nil || len(users) != 1 {
			t.Errorf("accounts after a refused invitation: %d %v", len(users), err)
		}
	})
}
