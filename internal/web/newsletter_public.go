package web

import (
	"net/http"
	"strconv"

	"vivier/internal/access"
	"vivier/internal/httpkit"
	"vivier/internal/newsletter"
)

// newsletterPublic is the subscription page: the public lists and the form.
type newsletterPublic struct {
	Lists    []newsletter.List
	Chosen   map[int64]bool
	Tracking string // the consent text beside its box
	Form     *Form
}

func (s *Server) newsletterForm(w http.ResponseWriter, r *http.Request) {
	s.showNewsletterForm(w, r, http.StatusOK, &Form{Values: map[string]string{}}, nil)
}

func (s *Server) showNewsletterForm(w http.ResponseWriter, r *http.Request, status int, f *Form, chosen map[int64]bool) {
	lists, err := s.deps.Newsletter.Lists(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var public []newsletter.List
	for _, l := range lists {
		if l.Public {
			public = append(public, l)
		}
	}
	s.render(w, r, status, "newsletter_public", s.page(r, "Lettres d’information", newsletterPublic{Lists: public, Chosen: chosen,
		Tracking: newsletter.TrackingConsent, Form: f}))
}

// listIDs reads the ticked lists of a form.
func listIDs(r *http.Request) ([]int64, map[int64]bool) {
	var ids []int64
	chosen := map[int64]bool{}
	for _, v := range r.PostForm["lists"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 && !chosen[id] {
			ids = append(ids, id)
			chosen[id] = true
		}
	}
	return ids, chosen
}

func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "email", "name")
	ids, chosen := listIDs(r)
	err := s.deps.Newsletter.Subscribe(r.Context(), newsletter.Subscription{Email: f.Value("email"), Name: f.Value("name"), ListIDs: ids,
		Tracking: r.PostFormValue("tracking") == "oui"}, httpkit.ActorOf(r))
	if err == nil && s.deps.Mail != nil {
		s.deps.Mail.Notify()
	}
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		f.Values["tracking"] = r.PostFormValue("tracking")
		s.showNewsletterForm(w, r, status, f, chosen)
	}, "/lettres?ok=lettre-inscription")
}

// tokenPage is the data of the pages reached by a link of an email.
type tokenPage struct {
	Token     string
	Lists     []string
	Expired   bool
	Leaving   *newsletter.Leaving
	Prefs     *newsletter.Preferences
	Tracking  string
	Done      bool
	TrackText string
}

func (s *Server) confirmForm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	lists, err := s.deps.Newsletter.Pending(r.Context(), token, httpkit.ActorOf(r))
	switch {
	case access.CodeOf(err) == access.Conflict:
		s.render(w, r, http.StatusGone, "newsletter_confirm", s.page(r, "Lien expiré", tokenPage{Token: token, Expired: true}))
	case err != nil:
		s.fail(w, r, err)
	default:
		s.render(w, r, http.StatusOK, "newsletter_confirm", s.page(r, "Confirmer mon inscription", tokenPage{Token: token, Lists: lists}))
	}
}

func (s *Server) confirm(w http.ResponseWriter, r *http.Request) {
	prefs, err := s.deps.Newsletter.Confirm(r.Context(), r.PathValue("token"), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/lettres/preferences/"+prefs+"?ok=lettre-confirmee")
}

func (s *Server) preferencesPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	p, err := s.deps.Newsletter.PreferencesOf(r.Context(), token, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "newsletter_prefs", s.page(r, "Mes abonnements", tokenPage{Token: token, Prefs: &p,
		TrackText: newsletter.TrackingConsent}))
}

func (s *Server) savePreferences(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	ids, _ := listIDs(r)
	err := s.deps.Newsletter.SavePreferences(r.Context(), token, newsletter.Choice{ListIDs: ids, Tracking: r.PostFormValue("tracking") == "oui"}, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/lettres/preferences/"+token+"?ok=lettre-preferences")
}

func (s *Server) unsubscribeAll(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := s.deps.Newsletter.UnsubscribeAll(r.Context(), token, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/lettres/preferences/"+token+"?ok=lettre-desabonne-tout")
}

// leavePage is the page of the unsubscribe link: it says what the button
// will do; a GET changes nothing (link scanners fetch every link).
func (s *Server) leavePage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	l, err := s.deps.Newsletter.LeavingOf(r.Context(), token, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "newsletter_leave", s.page(r, "Me désabonner", tokenPage{Token: token, Leaving: &l}))
}

// oneClick unsubscribes at once (RFC 8058): the mail client's POST of
// List-Unsubscribe=One-Click, or the button of the page, answered 200.
func (s *Server) oneClick(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := s.deps.Newsletter.Unsubscribe(r.Context(), token, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.deps.Newsletter.LeavingOf(r.Context(), token, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "newsletter_leave", s.page(r, "Désabonnement enregistré", tokenPage{Token: token, Leaving: &l, Done: true}))
}

// pixel is a transparent 1×1 GIF.
var pixel = []byte{0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b}

// openPixel serves the pixel whatever happens, and records the fetch.
func (s *Server) openPixel(w http.ResponseWriter, r *http.Request) {
	s.deps.Newsletter.Open(r.Context(), r.PathValue("token"), r.UserAgent(), httpkit.ActorOf(r))
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Cache-Control", "no-store, max-age=0")
	w.Write(pixel)
}

// clickRedirect sends the reader to the link of the campaign, and records
// the click; a link that is not the campaign's leads nowhere.
func (s *Server) clickRedirect(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("link"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	target, ok := s.deps.Newsletter.Click(r.Context(), r.PathValue("token"), n, r.UserAgent(), httpkit.ActorOf(r))
	if !ok {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, target, http.StatusFound)
}

// myLists is a signed-in person's page of the public lists.
func (s *Server) myLists(w http.ResponseWriter, r *http.Request) {
	p, err := s.deps.Newsletter.MyLists(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "newsletter_mine", s.page(r, "Mes lettres d’information", tokenPage{Prefs: &p, TrackText: newsletter.TrackingConsent}))
}

func (s *Server) saveMyLists(w http.ResponseWriter, r *http.Request) {
	ids, _ := listIDs(r)
	if err := s.deps.Newsletter.SetMyLists(r.Context(), newsletter.Choice{ListIDs: ids, Tracking: r.PostFormValue("tracking") == "oui"}, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/mes-lettres?ok=lettre-preferences")
}
