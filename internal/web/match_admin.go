package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/match"
	"vivier/internal/valid"
)

// The administration of matching: the weights of the score (admins) and
// the ranking log every shown ranking leaves (coordinators).

// weightField is one weight on the weights page.
type weightField struct {
	Key   string // the component's JSON key, the form field
	Label string
	Hint  string
}

var weightHints = map[match.Component]string{
	match.CompSkills:       "couverture des compétences demandées, pondérée par le niveau",
	match.CompAvailability: "jours par semaine disponibles sur la période, au-delà de ce qui est demandé",
	match.CompProximity:    "commune de résidence : même commune, même EPCI, même département, même région",
	match.CompExperience:   "missions passées dans des communes de même taille, puis années d’expérience",
	match.CompReviews:      "moyenne bayésienne des avis des demandeurs",
	match.CompRate:         "un TJM plus bas compte davantage",
	match.CompLoad:         "moins de missions en cours et de propositions récentes compte davantage",
	match.CompFreshness:    "profil mis à jour récemment",
}

type weightsPage struct {
	Form   *Form
	Fields []weightField
	Max    int
}

func weightFields() []weightField {
	var out []weightField
	for _, c := range match.ComponentList() {
		out = append(out, weightField{Key: c.String(), Label: c.Label(), Hint: weightHints[c]})
	}
	return out
}

// weightsForm shows the weights in use.
func (s *Server) weightsForm(w http.ResponseWriter, r *http.Request) {
	wt, err := s.deps.Match.Weights(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := &Form{Values: map[string]string{}}
	b, _ := json.Marshal(wt)
	var m map[string]int
	json.Unmarshal(b, &m)
	for k, v := range m {
		f.Values[k] = strconv.Itoa(v)
	}
	s.render(w, r, http.StatusOK, "match_weights", s.page(r, "Pondération du classement", weightsPage{Form: f, Fields: weightFields(), Max: match.MaxWeight}))
}

// saveWeights stores new weights for every instance; an invalid value is
// shown beside its field and nothing is written.
func (s *Server) saveWeights(w http.ResponseWriter, r *http.Request) {
	fields := weightFields()
	names := make([]string, len(fields))
	for i, fl := range fields {
		names[i] = fl.Key
	}
	f := formOf(r, names...)
	values := map[string]int{}
	for _, fl := range fields {
		n, err := strconv.Atoi(f.Value(fl.Key))
		if err != nil {
			f.Add(fl.Key, "indiquez un nombre entier de 1 à "+strconv.Itoa(match.MaxWeight))
			n = 1 // checked no further: its error is written
		}
		values[fl.Key] = n
	}
	b, _ := json.Marshal(values)
	var wt match.Weights
	if err := json.Unmarshal(b, &wt); err != nil {
		s.serverError(w, r, err)
		return
	}
	// Every bad value is shown at once, those out of range too.
	if list, ok := valid.As(wt.Validate()); ok {
		for _, e := range list {
			if f.Error(e.Field) == "" {
				f.Add(e.Field, e.Message)
			}
		}
	}
	if !f.Failed() {
		if err := s.deps.Match.SaveWeights(r.Context(), wt, httpkit.ActorOf(r)); err != nil && !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
	}
	if f.Failed() {
		s.render(w, r, http.StatusUnprocessableEntity, "match_weights", s.page(r, "Pondération du classement", weightsPage{Form: f, Fields: fields, Max: match.MaxWeight}))
		return
	}
	redirect(w, r, "/admin/ponderation?ok=weights")
}

// rankingLogPageSize is how many log rows a page of the ranking log shows.
const rankingLogPageSize = 50

// loggedRanking is one row of the ranking log as the page shows it.
type loggedRanking struct {
	match.LoggedRanking
	Weights []weightValue
}

type weightValue struct {
	Label string
	Value int
}

type rankingLogPage struct {
	Rows   []loggedRanking
	NeedID int64
	Total  int
	Paging pageLink
}

var purposeLabels = map[string]string{
	"page": "page du besoin", "page-explain": "pourquoi pas (page)", "api": "API", "api-explain": "explication (API)",
	"cli": "ligne de commande", "cli-explain": "explication (ligne de commande)",
}

// rankingLog lists the rankings shown, newest first; ?besoin=ID keeps one need's.
func (s *Server) rankingLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := rankingLogPage{}
	page := max(atoiOr(q.Get("page"), 1), 1)
	if v := q.Get("besoin"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.notFound(w, r)
			return
		}
		p.NeedID = id
	}
	log, err := s.deps.Match.RankingLog(r.Context(), p.NeedID, page, rankingLogPageSize, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Total = log.Total
	for _, lr := range log.Rows {
		if l, ok := purposeLabels[lr.Purpose]; ok {
			lr.Purpose = l
		}
		p.Rows = append(p.Rows, loggedRanking{LoggedRanking: lr, Weights: weightValues(lr.Weights)})
	}
	rest := ""
	if p.NeedID != 0 {
		rest = "besoin=" + strconv.FormatInt(p.NeedID, 10)
	}
	p.Paging = pageLink{Query: rest, Page: page, Pages: pages(p.Total, rankingLogPageSize)}
	s.render(w, r, http.StatusOK, "match_log", s.page(r, "Journal des classements", p))
}

func weightValues(w match.Weights) []weightValue {
	b, _ := json.Marshal(w)
	var m map[string]int
	json.Unmarshal(b, &m)
	var out []weightValue
	for _, c := range match.ComponentList() {
		out = append(out, weightValue{Label: fr.InSentence(c.Label()), Value: m[c.String()]})
	}
	return out
}
