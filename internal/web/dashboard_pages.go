package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/mission"
	"vivier/internal/tabular"
)

// dashboardPage is what /tableau-de-bord shows: what waits for the visitor
// (proposals to answer, days to log, experts to choose, reviews to give)
// and, for staff, the network's figures over a period.
type dashboardPage struct {
	ToAnswer []mission.Proposal
	ToLog    []mission.Mission
	ToChoose []mission.Proposal
	ToReview []mission.Mission
	Stats    *mission.Stats
	Tables   []dashTable
	Summary  []dashCell
	From, To string
	Form     *Form
	Digest   bool // the visitor reads the missions' emails as one daily digest
	// Unconfirmed counts the public needs waiting for the confirmation of
	// their email address (staff only).
	Unconfirmed int
	// Headlines are staff's headline figures (dashboard_figures.go).
	Headlines []headline
	// Member is a member's home: member_home.go.
	Member *memberHome
}

// dashTable is one table of the dashboard, with its bar chart.
type dashTable struct {
	ID, Title, Unit string
	Rows            []mission.Count
	Bars            []bar
	Height          int
}

// bar is one bar of a chart, laid out on the server (no JavaScript).
type bar struct {
	Label       string
	Value       int
	Y, Width, W int
	TextY       int
}

type dashCell struct{ Label, Value string }

// dashboard is where people land after login.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := httpkit.VisitorOf(r).User
	actor := httpkit.ActorOf(r)
	d := dashboardPage{Form: &Form{Values: map[string]string{}}}
	var err error
	switch u.Role {
	case access.Expert:
		err = s.expertWaiting(r, &d)
	case access.Requester:
		err = s.requesterWaiting(r, &d)
	case access.Member:
		err = s.memberWaiting(r, &d)
	case access.Admin, access.Coordinator:
		from, to, f := period(r)
		d.Form = f
		var st mission.Stats
		st, err = s.deps.Missions.Stats(ctx, from, to, actor)
		d.Stats = &st
		d.From, d.To = from.String(), to.String()
		d.Tables, d.Summary, d.Headlines = dashTables(st), dashSummary(st), dashHeadlines(st)
		if err == nil {
			d.Unconfirmed, err = s.deps.Needs.Unconfirmed(ctx, actor)
		}
	}
	if err == nil {
		d.Digest, err = s.deps.Accounts.MailDigest(ctx, actor)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	status := http.StatusOK
	if d.Form.Failed() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "dashboard", s.page(r, "Tableau de bord", d))
}

func (s *Server) expertWaiting(r *http.Request, d *dashboardPage) error {
	actor := httpkit.ActorOf(r)
	ps, err := s.deps.Missions.MyProposals(r.Context(), actor)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.Status == mission.Pending {
			d.ToAnswer = append(d.ToAnswer, p)
		}
	}
	d.ToLog, err = s.deps.Missions.List(r.Context(), mission.Filter{Status: mission.InProgress}, actor)
	return err
}

func (s *Server) requesterWaiting(r *http.Request, d *dashboardPage) error {
	actor := httpkit.ActorOf(r)
	var err error
	if d.ToChoose, err = s.deps.Missions.ToChoose(r.Context(), actor); err != nil {
		return err
	}
	d.ToReview, err = s.deps.Missions.ToReview(r.Context(), actor)
	return err
}

// period reads du/au (AAAA-MM-JJ); by default the year to date.
func period(r *http.Request) (from, to date.Date, f *Form) {
	q := r.URL.Query()
	f = &Form{Values: map[string]string{"du": q.Get("du"), "au": q.Get("au")}}
	to = date.Today()
	from = date.Of(time.Date(to.Time().Year(), 1, 1, 0, 0, 0, 0, time.UTC))
	if v := q.Get("du"); v != "" {
		if d, err := date.Parse(v); err == nil {
			from = d
		} else {
			f.Add("du", "date de début invalide : AAAA-MM-JJ")
		}
	}
	if v := q.Get("au"); v != "" {
		if d, err := date.Parse(v); err == nil {
			to = d
		} else {
			f.Add("au", "date de fin invalide : AAAA-MM-JJ")
		}
	}
	if to.Before(from) {
		f.Add("au", "la fin de la période précède son début")
		from, to = to, from
	}
	// The fields show the period used, the default one included.
	if !f.Failed() {
		f.Values["du"], f.Values["au"] = from.String(), to.String()
	}
	return from, to, f
}

func dashTables(st mission.Stats) []dashTable {
	return []dashTable{
		chart("besoins", "Besoins ouverts par statut", "besoins", st.OpenNeeds),
		chart("propositions", "Propositions de la période par issue", "propositions", st.Proposals),
		chart("missions-statut", "Missions de la période par statut", "missions", st.MissionsByStatus),
		chart("missions-domaine", "Missions de la période par domaine", "missions", st.MissionsByDomain),
		chart("missions-region", "Missions de la période par région", "missions", st.MissionsByRegion),
	}
}

// chart lays out a horizontal bar chart: 28 px a row, bars up to 300 px.
func chart(id, title, unit string, rows []mission.Count) dashTable {
	t := dashTable{ID: id, Title: title, Unit: unit, Rows: rows, Height: 28*len(rows) + 8}
	max := 0
	for _, r := range rows {
		if r.Value > max {
			max = r.Value
		}
	}
	for i, r := range rows {
		w := 0
		if max > 0 {
			w = r.Value * 300 / max
		}
		t.Bars = append(t.Bars, bar{Label: r.Label, Value: r.Value, Y: 4 + 28*i, TextY: 22 + 28*i, Width: w, W: 200 + w + 8})
	}
	return t
}

func dashSummary(st mission.Stats) []dashCell {
	days := func(n int) string {
		if n < 0 {
			return "—"
		}
		return fr.Plural(n, "jour", "jours")
	}
	review := "—"
	if st.ReviewCount > 0 {
		review = fr.Decimal(st.MeanReview, 1) + " / 5 (" + fr.Plural(st.ReviewCount, "avis", "avis") + ")"
	}
	return []dashCell{
		{"Délai médian du dépôt à la première proposition", days(st.MedianDaysToProposal)},
		{"Délai médian du dépôt au début de mission", days(st.MedianDaysToStart)},
		{"Jours réalisés", mission.DaysText(int(st.DaysDelivered * 2))},
		{"Note moyenne", review},
		{"Coût des missions", fr.Euros(int64(st.Cost))},
		{"Économie estimée face à un cabinet privé", fr.Euros(int64(st.Saving))},
	}
}

// dashboardExport writes one table of the dashboard as CSV for Excel:
// UTF-8 with a BOM, ";" separators, French headers.
func (s *Server) dashboardExport(w http.ResponseWriter, r *http.Request) {
	from, to, f := period(r)
	if f.Failed() {
		http.Error(w, f.Errors.Error(), http.StatusBadRequest)
		return
	}
	st, err := s.deps.Missions.Stats(r.Context(), from, to, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := r.URL.Query().Get("table")
	var records [][]string
	if name == "synthese" {
		records = append(records, []string{"Indicateur", "Valeur"})
		for _, c := range dashSummary(st) {
			records = append(records, []string{c.Label, c.Value})
		}
	}
	switch name {
	case "refus":
		records = append(records, []string{"Besoin", "Expert", "Motif", "Date de réponse"})
		for _, p := range st.Declines {
			answered := ""
			if p.AnsweredAt != nil {
				answered = date.Of(*p.AnsweredAt).String()
			}
			records = append(records, []string{p.NeedTitle, p.ExpertName, p.Reason, answered})
		}
	case "besoins":
		records = append(records, []string{"Statut", "Nombre de besoins", "Âge moyen (jours)"})
		for _, row := range st.OpenNeeds {
			records = append(records, []string{row.Label, strconv.Itoa(row.Value), strconv.Itoa(st.MeanAge[row.Key])})
		}
	}
	for _, t := range dashTables(st) {
		if t.ID == name && name != "besoins" {
			records = append(records, []string{"Libellé", "Nombre de " + t.Unit})
			for _, row := range t.Rows {
				records = append(records, []string{row.Label, strconv.Itoa(row.Value)})
			}
		}
	}
	if records == nil {
		s.notFound(w, r)
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	for _, rec := range records {
		for i := range rec {
			rec[i] = tabular.Neutralise(rec[i]) // a reason typed "=…" must not run in Excel
		}
	}
	_ = cw.WriteAll(records)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="vivier-`+name+"-"+from.String()+"-"+to.String()+`.csv"`)
	_, _ = w.Write(buf.Bytes())
}

// ratesPage is the administrators' page of reference consultancy rates.
type ratesPage struct {
	Domains [][2]string
	Rates   map[string]int
	Form    *Form
}

func (s *Server) ratesForm(w http.ResponseWriter, r *http.Request) {
	rates, err := s.deps.Missions.ReferenceRates(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := &Form{Values: map[string]string{}}
	for k, v := range rates {
		f.Values["rate_"+k] = strconv.Itoa(v)
	}
	s.render(w, r, http.StatusOK, "rates", s.page(r, "Tarifs de référence", ratesPage{Domains: mission.Domains(), Rates: rates, Form: f}))
}

func (s *Server) saveRates(w http.ResponseWriter, r *http.Request) {
	var names []string
	for _, d := range mission.Domains() {
		names = append(names, "rate_"+d[0])
	}
	f := formOf(r, names...)
	rates := map[string]int{}
	for _, d := range mission.Domains() {
		v, err := strconv.Atoi(f.Value("rate_" + d[0]))
		if err != nil {
			f.Add("rate_"+d[0], d[1]+" : saisissez un nombre entier d’euros")
			continue
		}
		rates[d[0]] = v
	}
	if !f.Failed() {
		err := s.deps.Missions.SetReferenceRates(r.Context(), rates, httpkit.ActorOf(r))
		if err == nil {
			redirect(w, r, "/admin/tarifs-reference?ok=rates")
			return
		}
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "rates", s.page(r, "Tarifs de référence", ratesPage{Domains: mission.Domains(), Form: f}))
}

// saveMailPreference records how the visitor wants the missions' emails:
// "immediate" or "digest" (one a day).
func (s *Server) saveMailPreference(w http.ResponseWriter, r *http.Request) {
	choice := r.PostFormValue("mail")
	if choice != "immediate" && choice != "digest" {
		http.Error(w, "choix de courriels inconnu : immediate ou digest", http.StatusUnprocessableEntity)
		return
	}
	if err := s.deps.Accounts.SetMailDigest(r.Context(), choice == "digest", httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/tableau-de-bord?ok=mail-pref")
}
