package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"vivier/internal/account"
	"vivier/internal/httpkit"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// The signed-in user's own account: password, API tokens, sessions,
// consents, and the download of everything Vivier holds about them.

type accountPage struct {
	Form     *Form
	Tokens   []account.APIToken
	Sessions []account.Session
	Current  string // hash of the current session
	Consents []account.Consent
	NewToken string // a token's secret, shown once right after creation
	Error    string
	Now      time.Time // to tell expired tokens
}

func (s *Server) accountData(r *http.Request, f *Form) (accountPage, error) {
	v := httpkit.VisitorOf(r)
	d := accountPage{Form: f, Now: time.Now()}
	var err error
	if d.Tokens, err = s.deps.Accounts.ListTokens(r.Context(), v.User.ID); err != nil {
		return d, err
	}
	if d.Sessions, err = s.deps.Accounts.ListSessions(r.Context(), v.User.ID); err != nil {
		return d, err
	}
	if v.Session != nil {
		d.Current = v.Session.Hash
	}
	d.Consents, err = s.deps.Accounts.Consents(r.Context(), v.Actor())
	return d, err
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, f *Form, newToken string) {
	d, err := s.accountData(r, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.NewToken = newToken
	s.render(w, r, status, "account", s.page(r, "Mon compte", d))
}

func (s *Server) accountSettings(w http.ResponseWriter, r *http.Request) {
	s.showAccount(w, r, http.StatusOK, &Form{}, "")
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	f := &Form{Values: map[string]string{}}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("confirm") {
		f.Add("confirm", "Les deux mots de passe ne sont pas identiques.")
		s.showAccount(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	if v.Session == nil {
		s.Deny(w, r, http.StatusForbidden, "")
		return
	}
	token, err := s.deps.Accounts.ChangePassword(r.Context(), *v.Session, r.PostFormValue("current"), next, v.Client)
	if f.Fail(err) {
		s.showAccount(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setSession(w, r, token)
	redirect(w, r, "/compte?ok=password")
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	f := formOf(r, "token_name", "scope", "lifetime")
	days, err := strconv.Atoi(cmp.Or(f.Value("lifetime"), "365"))
	if err != nil || days < 1 || days > 10000 {
		days = -1 // refused by the service, beside the field
	}
	secret, _, err := s.deps.Accounts.CreateTokenWith(r.Context(), *v.User, account.TokenSpec{Name: f.Value("token_name"),
		Scope: account.Scope(f.Value("scope")), Lifetime: time.Duration(days) * 24 * time.Hour}, v.Client)
	if err != nil {
		if list, ok := valid.As(err); ok {
			for _, fe := range list {
				f.Add("token_"+fe.Field, fe.Message)
			}
			s.showAccount(w, r, http.StatusUnprocessableEntity, f, "")
			return
		}
		s.serverError(w, r, err)
		return
	}
	s.showAccount(w, r, http.StatusCreated, &Form{}, secret)
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	id, _ := httpkit.PathID(r, "id")
	err := s.deps.Accounts.RevokeToken(r.Context(), *v.User, id, v.Client)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/compte?ok=token-revoked")
}

// logoutEverywhere ends every session of the user, this one included, and
// revokes their API tokens too when they ticked it.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	if r.PostFormValue("revoke_tokens") != "" {
		if _, err := s.deps.Accounts.RevokeTokens(r.Context(), v.User.ID, v.Client); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if err := s.deps.Accounts.LogoutEverywhere(r.Context(), v.User.ID, v.Client); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.clearSession(w, r)
	redirect(w, r, "/connexion")
}

func (s *Server) withdrawConsent(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	if err := s.deps.Accounts.WithdrawConsent(r.Context(), v.User.ID, r.PathValue("purpose"), v.Client); err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/compte?ok=consent")
}

// exportData downloads everything Vivier holds about the signed-in person.
func (s *Server) exportData(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	doc, err := s.deps.Accounts.Export(r.Context(), v.Actor())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="vivier-mes-donnees-%d.json"`, v.User.ID))
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(doc)
}
