package api

import (
	"net/http"

	"vivier/internal/audience"
	"vivier/internal/date"
	"vivier/internal/httpkit"
)

// AudienceJSON is an account with its growth over the period asked.
type AudienceJSON struct {
	audience.Account
	Growth GrowthJSON `json:"growth"`
}

// GrowthJSON is the growth of an account over a period, with the counts
// used (the nearest to the period's first and last days).
type GrowthJSON struct {
	From  date.Date       `json:"from"`
	To    date.Date       `json:"to"`
	Start *audience.Count `json:"start"` // null when the account has no count
	End   *audience.Count `json:"end"`
	Known bool            `json:"known"`
	Rate  float64         `json:"rate"` // 0.75 for +75 %; 0 when not known
	Why   string          `json:"why,omitempty"`
}

// listAudiences lists the accounts with their growth between from and to
// (this year to today by default).
func (a *API) listAudiences(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	to := date.Today()
	from := date.Date{Year: to.Year, Month: 1, Day: 1}
	if d, ok := dateParam(q, "from"); !ok {
		invalid(w, "from", "date AAAA-MM-JJ attendue")
		return
	} else if !d.IsZero() {
		from = d
	}
	if d, ok := dateParam(q, "to"); !ok {
		invalid(w, "to", "date AAAA-MM-JJ attendue")
		return
	} else if !d.IsZero() {
		to = d
	}
	if to.Before(from) {
		invalid(w, "to", "la fin de la période précède son début")
		return
	}
	gs, err := a.deps.Audiences.Growth(r.Context(), from, to, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]AudienceJSON, 0, len(gs))
	for _, g := range gs {
		out = append(out, AudienceJSON{Account: g.Account, Growth: GrowthJSON{From: g.From, To: g.To, Start: g.Start, End: g.End,
			Known: g.Known, Rate: g.Rate, Why: g.Why}})
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"accounts": out})
}

func (a *API) listCounts(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	counts, err := a.deps.Audiences.Counts(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"counts": counts})
}

// addCount records the count of an account on a day (replacing the one
// of that day).
func (a *API) addCount(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		notFound(w)
		return
	}
	var c audience.Count
	if !httpkit.Decode(w, r, &c) {
		return
	}
	if err := a.deps.Audiences.SetCount(r.Context(), id, c, httpkit.ActorOf(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	httpkit.WriteJSON(w, http.StatusCreated, c)
}
