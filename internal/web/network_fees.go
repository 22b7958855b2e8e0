package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	vchart "vivier/internal/chart"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/network"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// The memberships and fees of a year: the staff's table with its totals,
// the renewal campaign and the reminders, the export; one membership's
// page with its call for fees (PDF) and the staff's actions.

// yearOf reads the {annee} of the path; false after answering 404.
func (s *Server) yearOf(w http.ResponseWriter, r *http.Request) (int, bool) {
	y, err := strconv.Atoi(r.PathValue("annee"))
	if err != nil || y < 2000 || y > 2100 {
		s.notFound(w, r)
		return 0, false
	}
	return y, true
}

// feesPage is the data of a year's memberships.
type feesPage struct {
	Year, Prev, Next int
	Bands            []bandRow
	Rows             []membershipRow
	Late             []membershipRow
	Waiting          []membershipRow // invited: their call waits (no referent yet)
	Totals           []feeTotal
	Chart            template.HTML
	Due, Paid        string
	Status           string // the status filter
	Statuses         []option
	Form             *Form
}

// feeTotal is the count and amount of one status.
type feeTotal struct {
	Label  string
	Count  int
	Amount string
}

// bandRow is one band of a schedule as a table shows it.
type bandRow struct {
	Basis, Label, Rule string
}

func bandRows(sch network.Schedule) []bandRow {
	var out []bandRow
	for _, b := range sch.Bands {
		out = append(out, bandRow{Basis: b.Basis.Label(), Label: b.Label(), Rule: b.Rule()})
	}
	return out
}

func (s *Server) feesPage(w http.ResponseWriter, r *http.Request) {
	year, ok := s.yearOf(w, r)
	if !ok {
		return
	}
	s.showFees(w, r, http.StatusOK, year, &Form{})
}

func (s *Server) showFees(w http.ResponseWriter, r *http.Request, status, year int, f *Form) {
	ctx := r.Context()
	actor := httpkit.ActorOf(r)
	filter := network.MembershipStatus(r.URL.Query().Get("statut"))
	all, err := s.deps.Network.Memberships(ctx, network.MembershipFilter{Year: year}, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := feesPage{Year: year, Prev: year - 1, Next: year + 1, Status: string(filter), Form: f}
	if sch, err := s.deps.Network.Schedule(ctx, year, actor); err == nil {
		d.Bands = bandRows(sch)
	} else if !isNotFoundErr(err) {
		s.fail(w, r, err)
		return
	}
	counts, amounts := map[network.MembershipStatus]int{}, map[network.MembershipStatus]int64{}
	var due, paid int64
	for _, m := range all {
		counts[m.Status]++
		amounts[m.Status] += m.Fee
		row := membershipRowOf(m)
		switch {
		case m.Status == network.Paid:
			paid += m.Fee
		case m.Status.Open():
			due += m.Fee
		}
		if m.Late {
			d.Late = append(d.Late, row)
		}
		if m.Status == network.Invited {
			d.Waiting = append(d.Waiting, row)
		}
		if filter == "" || m.Status == filter {
			d.Rows = append(d.Rows, row)
		}
	}
	d.Due, d.Paid = fr.Euros(due), fr.Euros(paid)
	var bars []vchart.Bar
	for _, st := range network.MembershipStatuses() {
		d.Statuses = append(d.Statuses, option{Value: string(st), Label: st.Label(), Selected: st == filter})
		if counts[st] == 0 {
			continue
		}
		d.Totals = append(d.Totals, feeTotal{Label: st.Label(), Count: counts[st], Amount: fr.Euros(amounts[st])})
		bars = append(bars, vchart.Bar{Label: st.Label(), Value: float64(amounts[st]), Text: fr.Euros(amounts[st])})
	}
	if len(bars) > 0 {
		if d.Chart, err = vchart.Bars(fmt.Sprintf("Cotisations %d par statut", year), "Montant des cotisations de l’année, par statut ; le tableau qui suit donne les mêmes chiffres.", bars).SVG("fees"); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "network_fees", s.page(r, fmt.Sprintf("Cotisations %d", year), d))
}

func (s *Server) renew(w http.ResponseWriter, r *http.Request) {
	year, ok := s.yearOf(w, r)
	if !ok {
		return
	}
	_, err := s.deps.Network.Renew(r.Context(), year, httpkit.ActorOf(r))
	if err == nil {
		s.wakeMail()
	}
	f := &Form{}
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showFees(w, r, status, year, f)
	}, fmt.Sprintf("/reseau/cotisations/%d?ok=renewed", year))
}

func (s *Server) remind(w http.ResponseWriter, r *http.Request) {
	year, ok := s.yearOf(w, r)
	if !ok {
		return
	}
	if _, err := s.deps.Network.Remind(r.Context(), httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.wakeMail()
	redirect(w, r, fmt.Sprintf("/reseau/cotisations/%d?ok=reminded", year))
}

func (s *Server) exportMemberships(w http.ResponseWriter, r *http.Request) {
	year, ok := s.yearOf(w, r)
	if !ok {
		return
	}
	format := r.URL.Query().Get("format")
	if format != "xlsx" {
		format = "csv"
	}
	var buf bytes.Buffer
	if _, err := s.deps.Network.ExportMemberships(r.Context(), &buf, year, format, httpkit.ActorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="cotisations-%d.%s"`, year, format))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

func (s *Server) callPDF(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	doc, name, err := s.deps.Network.CallPDF(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(doc)
}

// membershipPage is the data of one membership's page.
type membershipPage struct {
	Row      membershipRow
	Staff    bool
	Form     *Form
	FormFor  string // the form the errors belong to: paid, fee, resigned
	Modes    []option
	CalledAt string
	Reminded string
}

func (s *Server) membershipPage(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showMembership(w, r, http.StatusOK, id, &Form{Values: map[string]string{}}, "")
}

func (s *Server) showMembership(w http.ResponseWriter, r *http.Request, status int, id int64, f *Form, formFor string) {
	actor := httpkit.ActorOf(r)
	m, err := s.deps.Network.Membership(r.Context(), id, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Value("paid_on") == "" {
		f.Values["paid_on"] = date.Today().String()
	}
	d := membershipPage{Row: membershipRowOf(m), Staff: actor.Staff(), Form: f, FormFor: formFor}
	if m.CalledAt != nil {
		d.CalledAt = fr.DateTime(*m.CalledAt)
	}
	if m.RemindedAt != nil {
		d.Reminded = fr.DateTime(*m.RemindedAt)
	}
	for _, mode := range network.PaymentModes() {
		d.Modes = append(d.Modes, option{Value: string(mode), Label: mode.Label(), Selected: f.Value("mode") == string(mode)})
	}
	s.render(w, r, status, "network_membership", s.page(r, fmt.Sprintf("Adhésion %d · %s", m.Year, m.OrgName), d))
}

// membershipAction runs one of the staff's forms on a membership: the
// payment, the fee's override, the resignation.
func (s *Server) membershipAction(code string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := httpkit.PathID(r, "id")
		if !ok {
			s.notFound(w, r)
			return
		}
		ctx := r.Context()
		actor := httpkit.ActorOf(r)
		f := formOf(r, "paid_on", "mode", "amount", "reason", "resign_reason")
		var err error
		switch code {
		case "paid":
			paidOn, okDate := parseDate(f.Value("paid_on"))
			if !okDate {
				f.Add("paid_on", "date invalide : saisissez-la au format AAAA-MM-JJ")
			} else {
				err = s.deps.Network.Pay(ctx, id, network.Payment{PaidOn: paidOn, Mode: network.PaymentMode(f.Value("mode"))}, actor)
			}
		case "fee":
			amount, perr := strconv.ParseInt(f.Value("amount"), 10, 64)
			if perr != nil {
				f.Add("amount", "écrivez le montant en euros, un nombre entier")
			} else {
				err = s.deps.Network.SetFee(ctx, id, amount, f.Value("reason"), actor)
			}
		case "resigned":
			// The page's fee form has its own reason: this one is named apart.
			err = renameFields(s.deps.Network.Resign(ctx, id, f.Value("resign_reason"), actor), map[string]string{"reason": "resign_reason"})
		}
		if f.Failed() {
			s.showMembership(w, r, http.StatusUnprocessableEntity, id, f, code)
			return
		}
		s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
			s.showMembership(w, r, status, id, f, code)
		}, fmt.Sprintf("/reseau/adhesions/%d?ok=%s", id, code))
	}
}

func isNotFoundErr(err error) bool { return errors.Is(err, store.ErrNotFound) }

// renameFields renames the fields of validation errors, for a form whose
// inputs are named apart from the service's fields.
func renameFields(err error, names map[string]string) error {
	list, ok := valid.As(err)
	if !ok {
		return err
	}
	return renamed(list, names)
}

// renamed is errs with the fields of names renamed.
func renamed(errs valid.Errors, names map[string]string) valid.Errors {
	out := make(valid.Errors, len(errs))
	for i, fe := range errs {
		if n, ok := names[fe.Field]; ok {
			fe.Field = n
		}
		out[i] = fe
	}
	return out
}
