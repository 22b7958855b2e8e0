package web

import (
	"errors"
	"image/png"
	"net/http"
	"strings"

	"github.com/pquerna/otp"

	"vivier/internal/account"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
)

// The pages that let people in: password, magic link, OpenID Connect, the
// second factor, invitations and password resets.

type loginPage struct {
	Form      *Form
	ReturnTo  string
	Sent      bool   // a magic link was asked for
	OIDCLabel string // the provider button's text, "" when none is configured
	Error     string // a message for the whole form
}

func (s *Server) loginData(r *http.Request, f *Form) loginPage {
	d := loginPage{Form: f, ReturnTo: httpkit.SafeReturn(r.FormValue("retour"))}
	if s.deps.OIDC != nil {
		d.OIDCLabel = s.deps.OIDC.Label()
	}
	return d
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if httpkit.VisitorOf(r).SignedIn() {
		redirect(w, r, "/tableau-de-bord")
		return
	}
	s.render(w, r, http.StatusOK, "login", s.page(r, "Connexion", s.loginData(r, &Form{})))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "email")
	d := s.loginData(r, f)
	login, err := s.deps.Accounts.LoginWithPassword(r.Context(), f.Value("email"), r.PostFormValue("password"), httpkit.VisitorOf(r).Client)
	var throttled *account.ThrottledError
	switch {
	case errors.As(err, &throttled):
		d.Error = "Trop de tentatives : par sécurité, réessayez votre mot de passe après " +
			fr.DateTime(throttled.Until) + ". Vous pouvez aussi recevoir dès maintenant un lien de connexion par courriel."
		s.render(w, r, http.StatusTooManyRequests, "login", s.page(r, "Connexion", d))
		return
	case errors.Is(err, account.ErrBadCredentials):
		d.Error = "Adresse électronique ou mot de passe incorrect."
		s.render(w, r, http.StatusUnauthorized, "login", s.page(r, "Connexion", d))
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.signedIn(w, r, login, d.ReturnTo)
}

// signedIn sets the cookie of a new session and sends the user on: to the
// second factor if one is owed, else where they were going.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, login account.Login, returnTo string) {
	s.setSession(w, r, login.Token)
	if login.Stage != account.StageFull {
		redirect(w, r, "/connexion/code")
		return
	}
	if returnTo = httpkit.SafeReturn(returnTo); returnTo == "" {
		returnTo = "/tableau-de-bord"
	}
	redirect(w, r, returnTo)
}

func (s *Server) requestMagicLink(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "email")
	d := s.loginData(r, f)
	if !strings.Contains(f.Value("email"), "@") {
		f.Add("link_email", "Indiquez votre adresse électronique, par exemple prenom.nom@mairie.fr.")
		s.render(w, r, http.StatusUnprocessableEntity, "login", s.page(r, "Connexion", d))
		return
	}
	if err := s.deps.Accounts.RequestMagicLink(r.Context(), f.Value("email"), httpkit.VisitorOf(r).Client); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.wakeMail()
	d.Sent = true
	s.render(w, r, http.StatusOK, "login", s.page(r, "Connexion", d))
}

func (s *Server) wakeMail() {
	if s.deps.Mail != nil {
		s.deps.Mail.Notify()
	}
}

// magicLinkPage asks for a click before using the link: mail scanners that
// open every link would otherwise use it up before the person does.
func (s *Server) magicLinkPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login_link", s.page(r, "Connexion par lien", r.PathValue("token")))
}

func (s *Server) magicLinkLogin(w http.ResponseWriter, r *http.Request) {
	login, err := s.deps.Accounts.LoginWithLink(r.Context(), r.PathValue("token"), httpkit.VisitorOf(r).Client)
	if errors.Is(err, account.ErrLinkInvalid) {
		s.linkRefused(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.signedIn(w, r, login, "")
}

func (s *Server) linkRefused(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusGone, "error", s.page(r, "Lien expiré", errorPage{
		Message: "Ce lien n’est plus valable : il a déjà servi ou a expiré. Demandez-en un nouveau depuis la page de connexion."}))
}

type secondFactorPage struct {
	Enrol     bool
	Secret    string // grouped by four for typing
	Error     string
	Codes     []string // recovery codes, shown once after enrolment
	SignedOut bool
}

func (s *Server) secondFactorForm(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	if !v.Pending() {
		redirect(w, r, "/tableau-de-bord")
		return
	}
	d := secondFactorPage{Enrol: v.Session.Stage == account.StageEnrol}
	if d.Enrol {
		e, err := s.deps.Accounts.BeginEnrolment(r.Context(), *v.Session, *v.User)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		d.Secret = groupBy4(e.Secret)
	}
	s.render(w, r, http.StatusOK, "second_factor", s.page(r, "Double authentification", d))
}

func groupBy4(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// secondFactorQR draws the enrolment secret as a QR code for the phone.
func (s *Server) secondFactorQR(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	if !v.Pending() || v.Session.Stage != account.StageEnrol {
		http.NotFound(w, r)
		return
	}
	e, err := s.deps.Accounts.BeginEnrolment(r.Context(), *v.Session, *v.User)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	key, err := otp.NewKeyFromURL(e.URL)
	if err == nil {
		img, ierr := key.Image(240, 240)
		if err = ierr; err == nil {
			w.Header().Set("Content-Type", "image/png")
			w.Header().Set("Cache-Control", "no-store")
			err = png.Encode(w, img)
		}
	}
	if err != nil {
		s.serverError(w, r, err)
	}
}

func (s *Server) secondFactor(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	if !v.Pending() {
		redirect(w, r, "/tableau-de-bord")
		return
	}
	code := r.PostFormValue("code")
	if v.Session.Stage == account.StageEnrol {
		token, codes, err := s.deps.Accounts.ConfirmEnrolment(r.Context(), *v.Session, code, v.Client)
		if errors.Is(err, account.ErrBadCode) {
			e, _ := s.deps.Accounts.BeginEnrolment(r.Context(), *v.Session, *v.User)
			s.render(w, r, http.StatusUnprocessableEntity, "second_factor", s.page(r, "Double authentification", secondFactorPage{
				Enrol: true, Secret: groupBy4(e.Secret), Error: "Ce code ne correspond pas : vérifiez l’heure de votre téléphone et saisissez le code affiché."}))
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.setSession(w, r, token)
		s.render(w, r, http.StatusOK, "second_factor", s.page(r, "Codes de secours", secondFactorPage{Codes: codes}))
		return
	}
	token, err := s.deps.Accounts.VerifySecondFactor(r.Context(), *v.Session, code, v.Client)
	var throttled *account.ThrottledError
	switch {
	case errors.As(err, &throttled):
		s.render(w, r, http.StatusTooManyRequests, "second_factor", s.page(r, "Double authentification", secondFactorPage{
			Error: "Trop de codes erronés : réessayez après " + fr.DateTime(throttled.Until) + "."}))
		return
	case errors.Is(err, account.ErrBadCode):
		s.render(w, r, http.StatusUnprocessableEntity, "second_factor", s.page(r, "Double authentification", secondFactorPage{
			Error: "Code incorrect ou déjà utilisé. Saisissez le code affiché par votre application, ou un code de secours."}))
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.setSession(w, r, token)
	redirect(w, r, "/tableau-de-bord")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	if v.Session != nil {
		if err := s.deps.Accounts.Logout(r.Context(), *v.Session, v.Client); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.clearSession(w, r)
	redirect(w, r, "/connexion")
}

type passwordLinkPage struct {
	Form       *Form
	Token      string
	Invitation bool
	Name       string
	Email      string
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "forgot", s.page(r, "Mot de passe oublié", struct {
		Form *Form
		Sent bool
	}{&Form{}, false}))
}

func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "email")
	if !strings.Contains(f.Value("email"), "@") {
		f.Add("email", "Indiquez l’adresse électronique de votre compte.")
		s.render(w, r, http.StatusUnprocessableEntity, "forgot", s.page(r, "Mot de passe oublié", struct {
			Form *Form
			Sent bool
		}{f, false}))
		return
	}
	if err := s.deps.Accounts.RequestPasswordReset(r.Context(), f.Value("email"), httpkit.VisitorOf(r).Client); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.wakeMail()
	s.render(w, r, http.StatusOK, "forgot", s.page(r, "Mot de passe oublié", struct {
		Form *Form
		Sent bool
	}{f, true}))
}

func (s *Server) passwordLinkForm(purpose string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		u, err := s.deps.Accounts.PeekLink(r.Context(), token, purpose)
		if errors.Is(err, account.ErrLinkInvalid) {
			s.linkRefused(w, r)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		d := passwordLinkPage{Form: &Form{}, Token: token, Invitation: purpose == "invitation", Name: u.Name, Email: u.Email}
		s.render(w, r, http.StatusOK, "password_link", s.page(r, d.title(), d))
	}
}

func (d passwordLinkPage) title() string {
	if d.Invitation {
		return "Bienvenue sur Vivier"
	}
	return "Nouveau mot de passe"
}

func (s *Server) passwordLink(purpose string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		password := r.PostFormValue("password")
		d := passwordLinkPage{Form: &Form{}, Token: token, Invitation: purpose == "invitation"}
		if password != r.PostFormValue("confirm") {
			d.Form.Add("confirm", "Les deux mots de passe ne sont pas identiques.")
		}
		var login account.Login
		var err error
		if !d.Form.Failed() {
			if d.Invitation {
				login, err = s.deps.Accounts.AcceptInvitation(r.Context(), token, password, httpkit.VisitorOf(r).Client)
			} else {
				login, err = s.deps.Accounts.ResetPassword(r.Context(), token, password, httpkit.VisitorOf(r).Client)
			}
		}
		switch {
		case errors.Is(err, account.ErrLinkInvalid):
			s.linkRefused(w, r)
			return
		case d.Form.Failed() || d.Form.Fail(err):
			if u, perr := s.deps.Accounts.PeekLink(r.Context(), token, purpose); perr == nil {
				d.Name, d.Email = u.Name, u.Email
			}
			s.render(w, r, http.StatusUnprocessableEntity, "password_link", s.page(r, d.title(), d))
			return
		case err != nil:
			s.serverError(w, r, err)
			return
		}
		s.signedIn(w, r, login, "")
	}
}
