package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	svgchart "vivier/internal/chart"
	"vivier/internal/date"
	"vivier/internal/event"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
)

// The staff's pages of events: the list with the form of a new event, an
// event's page (its settings, the door check-in list, the import of a
// webinar tool's export) and the figures of a period.

var eventFormFields = []string{"title", "kind", "description", "starts_at", "ends_at", "commune", "address", "online_url",
	"capacity", "deadline", "audience", "followup", "attendance_share"}

// localLayout is how <input type="datetime-local"> writes an instant, in
// Paris time.
const localLayout = "2006-01-02T15:04"

func parseLocal(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation(localLayout, s, date.Paris())
	return t, err == nil
}

func localOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(date.Paris()).Format(localLayout)
}

// eventInput reads the event form into f and the service's input; the
// errors of unreadable values are added to f.
func (s *Server) eventInput(r *http.Request) (*Form, event.Input) {
	f := formOf(r, eventFormFields...)
	in := event.Input{Title: f.Value("title"), Kind: event.Kind(f.Value("kind")), Description: r.PostFormValue("description"),
		Address: f.Value("address"), OnlineURL: f.Value("online_url"), Audience: event.Audience(f.Value("audience")),
		Followup: f.Value("followup"), Capacity: atoiOr(f.Value("capacity"), -1), AttendanceShare: atoiOr(f.Value("attendance_share"), 0)}
	var ok bool
	for _, d := range []struct {
		field string
		into  *time.Time
	}{{"starts_at", &in.StartsAt}, {"ends_at", &in.EndsAt}, {"deadline", &in.Deadline}} {
		if *d.into, ok = parseLocal(f.Value(d.field)); !ok {
			f.Add(d.field, "date illisible : choisissez-la dans le calendrier (AAAA-MM-JJTHH:MM)")
		}
	}
	if typed := f.Value("commune"); typed != "" {
		code, _, msg := s.places.resolveCommune("", typed)
		if msg != "" {
			f.Add("commune", msg+" (ou laissez vide pour un événement en ligne)")
		}
		in.Commune = code
	}
	in.Partners = partnersOfForm(r, f)
	return f, in
}

type adminEventsPage struct {
	Coming, Past []event.Event
	Form         *Form
	Kinds        []event.Kind
	PartnerList  []partnerChoice // the partners the form offers (event_partners.go)
}

func (s *Server) showAdminEvents(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	actor := httpkit.ActorOf(r)
	coming, err := s.deps.Events.List(r.Context(), event.Filter{}, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	past, err := s.deps.Events.List(r.Context(), event.Filter{Past: true}, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		f = &Form{Values: map[string]string{"kind": "webinar", "audience": "public", "attendance_share": "50"}}
	}
	choices, err := s.partnerChoices(r.Context(), f.Value("partners"), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_events", s.page(r, "Gérer les événements", adminEventsPage{Coming: coming, Past: past, Form: f, Kinds: event.Kinds(), PartnerList: choices}))
}

func (s *Server) adminEvents(w http.ResponseWriter, r *http.Request) {
	s.showAdminEvents(w, r, http.StatusOK, nil)
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request) {
	f, in := s.eventInput(r)
	if f.Failed() {
		s.showAdminEvents(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	id, err := s.deps.Events.Create(r.Context(), in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, s.showAdminEvents, "/admin/evenements/"+strconv.FormatInt(id, 10)+"?ok=event-created")
}

type adminEventPage struct {
	Event         event.Event
	Registrations []event.Registration
	Place         string
	Form          *Form
	Kinds         []event.Kind
	Query         string
	Import        *event.ImportReport
	ImportErrors  []string
	// PartnerList is what the form offers; Partners are the event's, with
	// their counterparts (event_partners.go).
	PartnerList []partnerChoice
	Partners    []eventPartner
}

func (s *Server) showAdminEvent(w http.ResponseWriter, r *http.Request, status int, e event.Event, p adminEventPage) {
	regs, err := s.deps.Events.Registrations(r.Context(), e.ID, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Query = strings.TrimSpace(r.URL.Query().Get("q"))
	for _, reg := range regs {
		if p.Query == "" || strings.Contains(strings.ToLower(reg.Name+" "+reg.Email+" "+reg.Organisation), strings.ToLower(p.Query)) {
			p.Registrations = append(p.Registrations, reg)
		}
	}
	if p.Form == nil {
		p.Form = &Form{Values: map[string]string{"title": e.Title, "kind": string(e.Kind), "description": e.Description,
			"starts_at": localOf(e.StartsAt), "ends_at": localOf(e.EndsAt), "deadline": localOf(e.Deadline), "commune": s.places.communeChoice(e.Commune),
			"address": e.Address, "online_url": e.OnlineURL, "capacity": strconv.Itoa(e.Capacity), "audience": string(e.Audience),
			"followup": e.Followup, "attendance_share": strconv.Itoa(e.AttendanceShare), "partners": idsText(e.Partners)}}
		if e.Commune == "" {
			p.Form.Values["commune"] = ""
		}
	}
	p.Event, p.Place, p.Kinds = e, s.placeOf(e.Commune, e.Address), event.Kinds()
	if p.PartnerList, err = s.partnerChoices(r.Context(), p.Form.Value("partners"), httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Partners, err = s.eventPartners(r.Context(), e, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_event", s.page(r, e.Title, p))
}

func (s *Server) adminEvent(w http.ResponseWriter, r *http.Request) {
	e, ok := recordOf(s, w, r, s.deps.Events.Get)
	if !ok {
		return
	}
	s.showAdminEvent(w, r, http.StatusOK, e, adminEventPage{})
}

func (s *Server) updateEvent(w http.ResponseWriter, r *http.Request) {
	e, ok := recordOf(s, w, r, s.deps.Events.Get)
	if !ok {
		return
	}
	f, in := s.eventInput(r)
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showAdminEvent(w, r, status, e, adminEventPage{Form: f})
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err := s.deps.Events.Update(r.Context(), e.ID, in, httpkit.ActorOf(r))
	if err == nil {
		s.wakeMail()
	}
	s.answerForm(w, r, f, err, again, fmt.Sprintf("/admin/evenements/%d?ok=event-saved", e.ID))
}

// checkIn ticks a participant at the door; back to the list, at the same
// search, on the participant's line.
func (s *Server) checkIn(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	present := r.PostFormValue("present") == "oui"
	if err := s.deps.Events.CheckIn(r.Context(), id, present, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	back := fmt.Sprintf("/admin/evenements/%d?q=%s#r%d", atoiOr(r.PostFormValue("event"), 0), urlQuery(r.PostFormValue("q")), id)
	redirect(w, r, back)
}

func urlQuery(s string) string { return template.URLQueryEscaper(s) }

func (s *Server) staffCancelRegistration(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.deps.Events.Cancel(r.Context(), id, "", httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.wakeMail()
	redirect(w, r, fmt.Sprintf("/admin/evenements/%d?ok=registration-cancelled", atoiOr(r.PostFormValue("event"), 0)))
}

func (s *Server) importAttendance(w http.ResponseWriter, r *http.Request) {
	e, ok := recordOf(s, w, r, s.deps.Events.Get)
	if !ok {
		return
	}
	file, _, err := r.FormFile("file")
	var tooBig *http.MaxBytesError
	p := adminEventPage{}
	switch {
	case errors.As(err, &tooBig):
		p.ImportErrors = []string{"le fichier dépasse 5 Mo"}
		s.showAdminEvent(w, r, http.StatusRequestEntityTooLarge, e, p)
		return
	case err != nil:
		p.ImportErrors = []string{"choisissez le fichier exporté par l’outil de webinaire (CSV ou XLSX)"}
		s.showAdminEvent(w, r, http.StatusUnprocessableEntity, e, p)
		return
	}
	defer file.Close()
	rep, err := s.deps.Events.ImportAttendance(r.Context(), e.ID, file, httpkit.ActorOf(r))
	var ie *event.ImportError
	if errors.As(err, &ie) {
		for _, l := range ie.Errors {
			p.ImportErrors = append(p.ImportErrors, l.Error())
		}
		s.showAdminEvent(w, r, http.StatusUnprocessableEntity, e, p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if e, err = s.deps.Events.Get(r.Context(), e.ID, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Import = &rep
	s.showAdminEvent(w, r, http.StatusOK, e, p)
}

type eventFiguresPage struct {
	Report           event.Report
	Form             *Form
	AgencyChart      template.HTML
	RegionChart      template.HTML
	From, To, NoShow string
}

// figuresPeriod reads ?du=&au= (a year back to today by default).
func figuresPeriod(r *http.Request) (date.Date, date.Date, *Form) {
	f := &Form{Values: map[string]string{"du": r.URL.Query().Get("du"), "au": r.URL.Query().Get("au")}}
	to, from := date.Today().AddDays(365), date.Today().AddDays(-365)
	if d, err := date.Parse(f.Values["du"]); err == nil {
		from = d
	} else if f.Values["du"] != "" {
		f.Add("du", "date illisible : AAAA-MM-JJ")
	}
	if d, err := date.Parse(f.Values["au"]); err == nil {
		to = d
	} else if f.Values["au"] != "" {
		f.Add("au", "date illisible : AAAA-MM-JJ")
	}
	f.Values["du"], f.Values["au"] = from.String(), to.String()
	return from, to, f
}

func (s *Server) eventFigures(w http.ResponseWriter, r *http.Request) {
	from, to, f := figuresPeriod(r)
	rep, err := s.deps.Events.Stats(r.Context(), from, to, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := eventFiguresPage{Report: rep, Form: f, From: fr.Date(from), To: fr.Date(to), NoShow: fr.Percent(rep.Total.NoShowRate())}
	bars := func(list []event.Count) []svgchart.Bar {
		var out []svgchart.Bar
		for i, c := range list {
			if i == 15 {
				break
			}
			out = append(out, svgchart.Bar{Label: c.Name, Value: float64(c.Count)})
		}
		return out
	}
	if p.AgencyChart, err = svgchart.Bars("Participants présents par agence adhérente", "les quinze premières agences", bars(rep.ByAgency)).SVG("agences"); err == nil {
		p.RegionChart, err = svgchart.Bars("Participants présents par région", "région du lieu de l’événement", bars(rep.ByRegion)).SVG("regions")
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	status := http.StatusOK
	if f.Failed() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "event_figures", s.page(r, "Chiffres des événements", p))
}

func (s *Server) eventFiguresCSV(w http.ResponseWriter, r *http.Request) {
	from, to, _ := figuresPeriod(r)
	rep, err := s.deps.Events.Stats(r.Context(), from, to, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="evenements-%s-%s.csv"`, from, to))
	if err := rep.WriteCSV(w); err != nil {
		s.deps.Logger.Error("write events CSV", "err", err)
	}
}
