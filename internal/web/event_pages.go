package web

import (
	"html/template"
	"net/http"
	"strconv"

	"vivier/internal/event"
	"vivier/internal/geo"
	"vivier/internal/httpkit"
	"vivier/internal/markdown"
	"vivier/internal/valid"
)

// RegistrationConsent is the sentence the public registration form asks the
// person to accept; the exact text is recorded with the registration.
const RegistrationConsent = "J’accepte que la fédération enregistre mon nom, mon adresse et mon organisation pour gérer mon inscription (confirmation, rappels, liste d’émargement) ; ils sont effacés un an après l’événement."

type eventListPage struct {
	Coming, Past []event.Event
	Kinds        []event.Kind
	Regions      []geo.Region
	Kind, Region string
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := event.Filter{Kind: event.Kind(q.Get("type")), Region: q.Get("region")}
	if f.Kind != "" && !f.Kind.Valid() {
		f.Kind = ""
	}
	actor := httpkit.ActorOf(r)
	coming, err := s.deps.Events.List(r.Context(), f, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Past = true
	past, err := s.deps.Events.List(r.Context(), f, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(past) > 20 {
		past = past[:20]
	}
	s.render(w, r, http.StatusOK, "events", s.page(r, "Événements", eventListPage{Coming: coming, Past: past, Kinds: event.Kinds(),
		Regions: s.deps.Geo.Regions(), Kind: string(f.Kind), Region: f.Region}))
}

// eventView is an event page's data.
type eventView struct {
	Event       event.Event
	Description template.HTML
	Place       string
	Form        *Form
	Consent     string
	Open        bool // registrations are open
	Staff       bool
}

func (s *Server) placeOf(commune, address string) string {
	if commune == "" {
		return "En ligne"
	}
	name := commune
	if c, ok := s.deps.Geo.Commune(commune); ok {
		name = c.Name + " (" + c.DepartementCode + ")"
	}
	if address != "" {
		return address + ", " + name
	}
	return name
}

func (s *Server) showEvent(w http.ResponseWriter, r *http.Request, status int, e event.Event, f *Form) {
	desc, err := markdown.Render(e.Description)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if f == nil {
		f = &Form{Values: map[string]string{}}
	}
	v := httpkit.VisitorOf(r)
	if v.SignedIn() && f.Values["email"] == "" && !f.Failed() {
		f.Values["email"], f.Values["name"] = v.User.Email, v.User.Name
	}
	s.render(w, r, status, "event", s.page(r, e.Title, eventView{Event: e, Description: desc, Place: s.placeOf(e.Commune, e.Address),
		Form: f, Consent: RegistrationConsent, Open: s.deps.Events.Open(e), Staff: v.Is("admin", "coordinator")}))
}

func (s *Server) eventPage(w http.ResponseWriter, r *http.Request) {
	e, ok := recordOf(s, w, r, s.deps.Events.Get)
	if !ok {
		return
	}
	s.showEvent(w, r, http.StatusOK, e, nil)
}

func (s *Server) registerToEvent(w http.ResponseWriter, r *http.Request) {
	e, ok := recordOf(s, w, r, s.deps.Events.Get)
	if !ok {
		return
	}
	f := formOf(r, "name", "email", "organisation", "consent")
	in := event.RegistrationInput{Email: f.Value("email"), Name: f.Value("name"), Organisation: f.Value("organisation"), Consent: RegistrationConsent}
	// Every error at once, in the form's order.
	if list, ok := valid.As(event.CheckRegistration(in)); ok {
		for _, name := range []string{"name", "email", "organisation"} {
			if m := list.For(name); m != "" {
				f.Add(name, m)
			}
		}
	}
	if f.Value("consent") == "" {
		f.Add("consent", "cochez la case pour que la fédération puisse gérer votre inscription")
	}
	if f.Failed() {
		s.showEvent(w, r, http.StatusUnprocessableEntity, e, f)
		return
	}
	reg, err := s.deps.Events.Register(r.Context(), e.ID, in, httpkit.ActorOf(r))
	if f.Fail(err) {
		s.showEvent(w, r, http.StatusUnprocessableEntity, e, f)
		return
	}
	if err == event.ErrAlreadyRegistered {
		f.Add("email", "cette adresse est déjà inscrite à cet événement : retrouvez votre inscription dans le courriel reçu")
		s.showEvent(w, r, http.StatusConflict, e, f)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.wakeMail()
	redirect(w, r, "/inscriptions/"+reg.Token+"?ok=event-"+string(reg.Status))
}

type registrationView struct {
	Registration event.Registration
	Event        event.Event
	Place        string
	Ahead        int // waitlisted registrations before this one
	Ended        bool
}

func (s *Server) registrationPage(w http.ResponseWriter, r *http.Request) {
	reg, e, err := s.deps.Events.ByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "registration", s.page(r, "Mon inscription · "+e.Title, registrationView{Registration: reg, Event: e,
		Place: s.placeOf(e.Commune, e.Address), Ended: s.deps.Events.Ended(e)}))
}

func (s *Server) cancelOwnRegistration(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	reg, _, err := s.deps.Events.ByToken(r.Context(), token)
	if err == nil {
		err = s.deps.Events.Cancel(r.Context(), reg.ID, token, httpkit.ActorOf(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.wakeMail()
	redirect(w, r, "/inscriptions/"+token+"?ok=event-cancelled")
}

func (s *Server) registrationICS(w http.ResponseWriter, r *http.Request) {
	reg, e, err := s.deps.Events.ByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ics, err := s.deps.Events.Invitation(e, reg)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="evenement-`+strconv.FormatInt(e.ID, 10)+`.ics"`)
	w.Write(ics)
}
