package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/network"
)

// The pages of partners (associated members): their list with the late
// counterparts, a partner's agreements and counterparts.

// AgreementUploadLimit bounds the body of a signed agreement's upload.
const AgreementUploadLimit = network.MaxAgreementPDF + 64<<10

// partnerRow is a partner as the list shows it.
type partnerRow struct {
	network.Partner
	Amount string // of its latest agreement
	Year   int
}

// counterpartRow is a counterpart as the tables show it.
type counterpartRow struct {
	network.Counterpart
	KindLabel, StatusLabel, DueOn, DeliveredOn, LinkKind string
}

func counterpartRowOf(c network.Counterpart) counterpartRow {
	row := counterpartRow{Counterpart: c, KindLabel: c.Kind.Label(), StatusLabel: c.Status.Label(), DueOn: fr.Date(c.DueOn), DeliveredOn: fr.Date(c.DeliveredOn)}
	if c.Link.Kind != "" {
		row.LinkKind = c.Link.Kind.Label()
	}
	return row
}

// partnersPage is the data of the partners' list.
type partnersPage struct {
	Partners []partnerRow
	Late     []counterpartRow
	Form     *Form
}

func (s *Server) partnersPage(w http.ResponseWriter, r *http.Request) {
	s.showPartners(w, r, http.StatusOK, &Form{Values: map[string]string{}})
}

func (s *Server) showPartners(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx := r.Context()
	actor := httpkit.ActorOf(r)
	list, err := s.deps.Network.Partners(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	late, err := s.deps.Network.LateCounterparts(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := partnersPage{Form: f}
	for _, p := range list {
		row := partnerRow{Partner: p}
		if len(p.Agreements) > 0 {
			row.Amount, row.Year = fr.Euros(p.Agreements[0].Amount), p.Agreements[0].Year
		}
		d.Partners = append(d.Partners, row)
	}
	for _, c := range late {
		d.Late = append(d.Late, counterpartRowOf(c))
	}
	s.render(w, r, status, "network_partners", s.page(r, "Partenaires", d))
}

func (s *Server) createPartner(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, "name", "siren", "sector", "website", "contact_name", "contact_email")
	id, err := s.deps.Network.CreatePartner(r.Context(), network.PartnerInput{Name: f.Value("name"), SIREN: f.Value("siren"), Sector: f.Value("sector"),
		Website: f.Value("website"), ContactName: f.Value("contact_name"), ContactEmail: f.Value("contact_email")}, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, s.showPartners, fmt.Sprintf("/reseau/partenaires/%d?ok=partner", id))
}

// partnerPage is the data of a partner's page.
type partnerPage struct {
	Partner    network.Partner
	Agreements []agreementView
	Kinds      []option
	Statuses   []option
	Form       *Form
	FormFor    string // "agreement", or "c{id}" for a counterpart's form, "a{id}" for an agreement's
}

// agreementView is an agreement as the partner's page shows it.
type agreementView struct {
	network.Agreement
	Amount, Starts, Ends string
	Counterparts         []counterpartRow
}

func (s *Server) partnerPage(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showPartner(w, r, http.StatusOK, id, &Form{Values: map[string]string{}}, "")
}

func (s *Server) showPartner(w http.ResponseWriter, r *http.Request, status int, id int64, f *Form, formFor string) {
	p, err := s.deps.Network.Partner(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := partnerPage{Partner: p, Form: f, FormFor: formFor}
	for _, a := range p.Agreements {
		v := agreementView{Agreement: a, Amount: fr.Euros(a.Amount), Starts: fr.Date(a.StartsOn), Ends: fr.Date(a.EndsOn)}
		for _, c := range a.Counterparts {
			v.Counterparts = append(v.Counterparts, counterpartRowOf(c))
		}
		d.Agreements = append(d.Agreements, v)
	}
	for _, k := range network.CounterpartKinds() {
		d.Kinds = append(d.Kinds, option{Value: string(k), Label: k.Label()})
	}
	for _, st := range []network.CounterpartStatus{network.Planned, network.Delivered, network.Dropped} {
		d.Statuses = append(d.Statuses, option{Value: string(st), Label: st.Label()})
	}
	s.render(w, r, status, "network_partner", s.page(r, p.Name, d))
}

func (s *Server) addAgreement(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "year", "amount", "starts_on", "ends_on")
	in := network.AgreementInput{}
	var perr error
	if in.Year, perr = strconv.Atoi(f.Value("year")); perr != nil {
		f.Add("year", "écrivez l’année, 2027 par exemple")
	}
	if in.Amount, perr = strconv.ParseInt(f.Value("amount"), 10, 64); perr != nil {
		f.Add("amount", "écrivez le montant en euros, un nombre entier")
	}
	var okDate bool
	if in.StartsOn, okDate = parseDate(f.Value("starts_on")); !okDate {
		f.Add("starts_on", "date invalide : saisissez-la au format AAAA-MM-JJ")
	}
	if in.EndsOn, okDate = parseDate(f.Value("ends_on")); !okDate {
		f.Add("ends_on", "date invalide : saisissez-la au format AAAA-MM-JJ")
	}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showPartner(w, r, status, id, f, "agreement")
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err := s.deps.Network.AddAgreement(r.Context(), id, in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, fmt.Sprintf("/reseau/partenaires/%d?ok=agreement", id))
}

func (s *Server) uploadAgreement(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	actor := httpkit.ActorOf(r)
	a, err := s.deps.Network.Agreement(r.Context(), id, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := &Form{Values: map[string]string{}}
	file, header, ferr := r.FormFile("file")
	var tooBig *http.MaxBytesError
	var data bytes.Buffer
	name := ""
	switch {
	case errors.As(ferr, &tooBig):
		f.Add("file", "le PDF dépasse 10 Mo")
	case ferr != nil:
		f.Add("file", "choisissez le PDF de la convention signée")
	default:
		defer file.Close()
		name = header.Filename
		if _, err := data.ReadFrom(file); err != nil {
			f.Add("file", "le PDF dépasse 10 Mo")
		}
	}
	if !f.Failed() {
		err = s.deps.Network.SetAgreementPDF(r.Context(), id, name, data.Bytes(), actor)
		if err == nil {
			redirect(w, r, fmt.Sprintf("/reseau/partenaires/%d?ok=agreement-pdf", a.PartnerID))
			return
		}
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
	}
	// The page names each agreement's file field apart.
	f.Errors = renamed(f.Errors, map[string]string{"file": fmt.Sprintf("file_%d", id)})
	s.showPartner(w, r, http.StatusUnprocessableEntity, a.PartnerID, f, fmt.Sprintf("a%d", id))
}

func (s *Server) agreementPDF(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	data, name, err := s.deps.Network.AgreementPDF(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(data)
}

func (s *Server) addCounterpart(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	actor := httpkit.ActorOf(r)
	a, err := s.deps.Network.Agreement(r.Context(), id, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := formOf(r, "kind", "title", "due_on")
	due, okDate := parseDate(f.Value("due_on"))
	if !okDate {
		f.Add("due_on", "date invalide : saisissez-la au format AAAA-MM-JJ")
	}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		names := map[string]string{}
		for _, k := range []string{"kind", "title", "due_on"} {
			names[k] = fmt.Sprintf("%s_%d", k, id)
			f.Values[names[k]] = f.Values[k]
		}
		f.Errors = renamed(f.Errors, names)
		s.showPartner(w, r, status, a.PartnerID, f, fmt.Sprintf("a%d", id))
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err = s.deps.Network.AddCounterpart(r.Context(), id, network.CounterpartInput{Kind: network.CounterpartKind(f.Value("kind")), Title: f.Value("title"), DueOn: due}, actor)
	s.answerForm(w, r, f, err, again, fmt.Sprintf("/reseau/partenaires/%d?ok=counterpart", a.PartnerID))
}

func (s *Server) updateCounterpart(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "partner", "status", "link_kind", "link_id", "link_label", "note")
	partner, _ := strconv.ParseInt(f.Value("partner"), 10, 64)
	in := network.CounterpartUpdate{Status: network.CounterpartStatus(f.Value("status")), Note: f.Value("note"),
		Link: network.Link{Kind: network.CounterpartKind(f.Value("link_kind")), Label: f.Value("link_label")}}
	if v := f.Value("link_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			f.Add("link_id", "le numéro de l’enregistrement est un nombre entier positif")
		}
		in.Link.ID = n
	}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		names := map[string]string{}
		for _, k := range []string{"status", "link_kind", "link_id", "link_label", "note"} {
			names[k] = fmt.Sprintf("%s_%d", k, id)
			f.Values[names[k]] = f.Values[k]
		}
		f.Errors = renamed(f.Errors, names)
		s.showPartner(w, r, status, partner, f, fmt.Sprintf("c%d", id))
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	err := s.deps.Network.UpdateCounterpart(r.Context(), id, in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, again, fmt.Sprintf("/reseau/partenaires/%d?ok=counterpart", partner))
}
