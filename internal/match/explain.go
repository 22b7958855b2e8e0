package match

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strings"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/store"
)

// Explanation says why one expert ranks where they do for a request, or
// which hard constraint excludes them and why: the "pourquoi pas cet
// expert ?" box and `vivier match --explain`.
type Explanation struct {
	ExpertID  int64  `json:"-"`
	Reference string `json:"reference"`
	Eligible  bool   `json:"eligible"`
	// Rank is the expert's place among the eligible (1 for the best), the
	// place Rank gives them; 0 when excluded.
	Rank int `json:"rank,omitempty"`
	// EligibleCount is how many experts are eligible.
	EligibleCount int               `json:"eligible_count"`
	Score         float64           `json:"score,omitempty"`
	Components    *Components       `json:"components,omitempty"`
	Reasons       []ComponentReason `json:"reasons,omitempty"`
	Failure       *Failure          `json:"failure,omitempty"`
	Summary       string            `json:"summary"` // one French sentence
}

// ComponentReason is one component of an eligible expert's score with a
// one-line French reason.
type ComponentReason struct {
	Component Component `json:"component"`
	Value     float64   `json:"value"`
	Weight    int       `json:"weight"`
	Text      string    `json:"text"`
}

// Failure is the first hard constraint an expert fails, in French
// (Message) and structured: the fields relevant to the reason are set.
type Failure struct {
	Reason  Reason `json:"reason"`
	Message string `json:"message"`
	// missing_skill: the skill, the level asked and the level held (0 when
	// the expert does not have it).
	Skill    string `json:"skill,omitempty"`
	MinLevel int    `json:"min_level,omitempty"`
	Level    int    `json:"level,omitempty"`
	// unavailable: the first day of the window not covered and the days per
	// week counted as asked.
	Day         *date.Date `json:"day,omitempty"`
	DaysPerWeek int        `json:"days_per_week,omitempty"`
	// out_of_zone: the expert's zones and the need's département and region.
	Zones       []string `json:"zones,omitempty"`
	Departement string   `json:"departement,omitempty"`
	Region      string   `json:"region,omitempty"`
	// conflict_of_interest: the SIREN in conflict, whose it is on the need's
	// side ("requester", "epci", "commune") and whether the expert declared
	// it rather than being employed there.
	SIREN        string `json:"siren,omitempty"`
	ConflictWith string `json:"conflict_with,omitempty"`
	Declared     bool   `json:"declared,omitempty"`
	// rate_too_high: the expert's daily rate and the need's maximum.
	Rate    int `json:"rate,omitempty"`
	MaxRate int `json:"max_rate,omitempty"`
	// language: the language missing and those the expert speaks.
	Language  string   `json:"language,omitempty"`
	Languages []string `json:"languages,omitempty"`
}

// MarshalText writes the reason's key.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// MarshalText writes the component's key.
func (c Component) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Explain syncs, then explains the ranking of the expert with the given
// reference for req. It agrees with Rank: an eligible expert's Rank is their
// place in Rank's full list. An unknown reference is store.ErrNotFound.
func (e *Engine) Explain(ctx context.Context, req Request, reference string) (Explanation, error) {
	if err := e.Sync(ctx); err != nil {
		return Explanation{}, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	q, err := e.compile(&req)
	if err != nil {
		return Explanation{}, err
	}
	slot, ok := e.slotOfRef(reference)
	if !ok {
		return Explanation{}, store.NotFound("expert %q", reference)
	}
	r := &e.recs[slot]
	ex := Explanation{ExpertID: r.id, Reference: reference}
	if why := e.reasonOf(slot, q); why != Pass {
		f := e.failure(slot, q, why)
		ex.Failure = &f
		ex.Summary = "Exclu : " + f.Message + "."
		x := e.scan(q, func(uint32, *record) {})
		ex.EligibleCount = e.nLive - x.Total()
		return ex, nil
	}
	s := e.score(r, q)
	me := entry{total: s.total(&q.w), slot: slot}
	t := top{e: e}
	ex.Rank = 1
	e.scan(q, func(o uint32, or *record) {
		ex.EligibleCount++
		if o != slot {
			os := e.score(or, q)
			if t.better(entry{total: os.total(&q.w), slot: o}, me) {
				ex.Rank++
			}
		}
	})
	c := s.components()
	ex.Eligible = true
	ex.Components = &c
	ex.Score = float64(me.total) / float64(q.wsum*scale)
	for _, k := range ComponentList() {
		ex.Reasons = append(ex.Reasons, ComponentReason{Component: k, Value: c.Get(k), Weight: int(q.w[k]), Text: e.reasonText(r, q, k)})
	}
	ex.Summary = fmt.Sprintf("Classé %s sur %s avec un score de %s.", fr.Int(int64(ex.Rank)), fr.Int(int64(ex.EligibleCount)), fr.Decimal(ex.Score, 3))
	return ex, nil
}

// slotOfRef finds an expert by reference with a sweep of the 4-byte hashes
// of the references (a sequential read of 4 MB at a million experts),
// comparing the references themselves only where the hash matches: a map
// from reference to slot would cost more memory than the rest of an expert,
// and an explanation is asked for one expert at a time.
func (e *Engine) slotOfRef(ref string) (uint32, bool) {
	want, h := []byte(ref), hashRef(ref)
	for i, x := range e.refHash {
		if x != h || !e.live.has(uint32(i)) {
			continue
		}
		if r := &e.recs[i]; bytes.Equal(e.refBytes(r), want) {
			return uint32(i), true
		}
	}
	return 0, false
}

// failure details the constraint an expert fails.
func (e *Engine) failure(slot uint32, q *query, why Reason) Failure {
	r := &e.recs[slot]
	f := Failure{Reason: why}
	switch why {
	case NotQualified:
		f.Message = "n’a pas le statut « qualifié » : seuls les experts qualifiés sont proposés"
	case MissingSkill:
		for _, s := range q.required {
			if s.idx >= 0 && e.skillBits[s.idx][s.min-1].has(slot) {
				continue
			}
			f.Skill, f.MinLevel, f.Level = s.code, int(s.min), int(e.levelOf(r, s.idx))
			if f.Level == 0 {
				f.Message = fmt.Sprintf("n’a pas la compétence requise %s (niveau %d minimum demandé)", fr.Quote(s.code), s.min)
			} else {
				f.Message = fmt.Sprintf("a la compétence requise %s au niveau %d, en dessous du niveau %d demandé", fr.Quote(s.code), f.Level, s.min)
			}
			break
		}
	case Unavailable:
		d := dayDate(firstUncovered(e.periods(r), q.start, q.end, q.dpw))
		f.Day, f.DaysPerWeek = &d, int(q.dpw)
		f.Message = fmt.Sprintf("n’est pas disponible le %s à %s ou plus (premier jour non couvert de la période demandée)",
			fr.Date(d), fr.Plural(int(q.dpw), "jour par semaine", "jours par semaine"))
		if r.flags&flagCommitted != 0 {
			f.Message += ", compte tenu des jours déjà engagés sur des missions"
		}
	case OutOfZone:
		f.Zones = e.zoneStrings(r)
		dep := e.dep(q.loc.Departement)
		reg := e.reg(q.loc.Region)
		f.Departement, f.Region = dep.Code, reg.Code
		have := "n’a déclaré aucune zone"
		if len(f.Zones) > 0 {
			have = "ses zones (" + strings.Join(f.Zones, ", ") + ") ne couvrent"
		} else {
			have += " et ne couvre donc"
		}
		f.Message = fmt.Sprintf("%s ni le département %s (%s), ni la région %s (%s), ni la France entière", have, dep.Code, dep.Name, reg.Code, reg.Name)
	case ConflictOfInterest:
		i, s := e.conflict(r, slot, q)
		f.SIREN, f.ConflictWith, f.Declared = fmt.Sprintf("%09d", s), q.sirenWho[i], s != r.siren
		whose := map[string]string{"requester": "celui du demandeur", "epci": "celui de l’EPCI de la commune", "commune": "celui de la commune"}[f.ConflictWith]
		if f.Declared {
			f.Message = fmt.Sprintf("a déclaré un conflit d’intérêts avec le SIREN %s, %s", f.SIREN, whose)
		} else {
			f.Message = fmt.Sprintf("son employeur a le SIREN %s, %s", f.SIREN, whose)
		}
	case RateTooHigh:
		f.Rate, f.MaxRate = int(r.rate), int(q.maxRate)
		f.Message = fmt.Sprintf("son TJM (%s) dépasse le maximum demandé (%s)", fr.Euros(int64(r.rate)), fr.Euros(int64(q.maxRate)))
	case Language:
		for i, l := range q.langs {
			if l < 0 || !e.langBits[l].has(slot) {
				f.Language = q.langCode[i]
				break
			}
		}
		for i, b := range e.langBits {
			if b.has(slot) {
				f.Languages = append(f.Languages, e.langCode[i])
			}
		}
		f.Message = fmt.Sprintf("ne parle pas la langue demandée %s (langues déclarées : %s)", fr.Quote(f.Language), strings.Join(f.Languages, ", "))
	}
	return f
}

// zoneStrings returns an expert's zones in their written form.
func (e *Engine) zoneStrings(r *record) []string {
	z := e.zones(r)
	var out []string
	for i := 0; i+zoneSize <= len(z); i += zoneSize {
		v := binary.LittleEndian.Uint16(z[i:])
		switch v & 0xff00 {
		case zoneNational:
			out = append(out, "national")
		case zoneDep:
			d := e.dep(geo.DepartementID(v & 0xff))
			out = append(out, "dep:"+d.Code)
		case zoneReg:
			g := e.reg(geo.RegionID(v & 0xff))
			out = append(out, "reg:"+g.Code)
		}
	}
	return out
}

// reasonText is the one-line French reason of a component.
func (e *Engine) reasonText(r *record, q *query, k Component) string {
	switch k {
	case CompSkills:
		if len(q.wanted) == 0 {
			return "aucune compétence demandée"
		}
		var parts []string
		for _, w := range q.wanted {
			l := e.levelOf(r, w.idx)
			if l == 0 {
				parts = append(parts, w.code+" absente")
			} else {
				parts = append(parts, fmt.Sprintf("%s niveau %d sur 4", w.code, l))
			}
		}
		return "Compétences demandées : " + strings.Join(parts, ", ")
	case CompAvailability:
		t := q.dpw
		for t < fullTime && firstUncovered(e.periods(r), q.start, q.end, t+1) < 0 {
			t++
		}
		return fmt.Sprintf("Disponible %s sur toute la période (%d demandés)", fr.Plural(int(t), "jour par semaine", "jours par semaine"), q.dpw)
	case CompProximity:
		return e.proximityText(r, q)
	case CompExperience:
		n := 0
		if q.class >= 1 {
			n = int(r.past[q.class-1])
		}
		return fmt.Sprintf("%s dans des communes de même taille (%s), %s d’expérience",
			fr.Plural(n, "mission passée", "missions passées"), strings.ToLower(q.class.Label()), fr.Plural(int(r.years), "an", "ans"))
	case CompReviews:
		if r.reviewN == 0 {
			return "Aucun avis : note neutre de 3 sur 5"
		}
		m := (float64(reviewPriorCount*reviewPriorMean) + float64(r.reviewSum)) / float64(reviewPriorCount+int(r.reviewN))
		return fmt.Sprintf("Moyenne bayésienne %s sur 5 (%s, moyenne brute %s)", fr.Decimal(m, 1),
			fr.Plural(int(r.reviewN), "avis", "avis"), fr.Decimal(float64(r.reviewSum)/float64(r.reviewN), 1))
	case CompRate:
		if r.rate == 0 {
			return "TJM non renseigné : note neutre"
		}
		return fmt.Sprintf("TJM %s, comparé au tarif de référence de %s", fr.Euros(int64(r.rate)), fr.Euros(referenceRate))
	case CompLoad:
		return fmt.Sprintf("%s, %s sur les 90 derniers jours", fr.Plural(int(r.active), "mission en cours", "missions en cours"),
			fr.Plural(int(r.proposals), "proposition", "propositions"))
	case CompFreshness:
		age := 0
		if q.today > r.updated {
			age = int(q.today - r.updated)
		}
		if age == 0 {
			return "Profil mis à jour aujourd’hui"
		}
		return fmt.Sprintf("Profil mis à jour il y a %s", fr.Plural(age, "jour", "jours"))
	}
	return ""
}

func (e *Engine) proximityText(r *record, q *query) string {
	switch s := e.proximity(r.home, q); {
	case r.home == 0:
		return "Commune de résidence non renseignée"
	case s == scale:
		return "Réside dans la commune du besoin"
	case s == quantize(3, 4):
		return "Réside dans la même intercommunalité"
	case s == quantize(2, 4):
		return "Réside dans le même département"
	case s == quantize(1, 4):
		return "Réside dans la même région"
	}
	return "Réside hors de la région du besoin"
}

// dep returns the département with the given ID (zero when none).
func (e *Engine) dep(id geo.DepartementID) geo.Departement {
	for _, d := range e.geo.Departements() {
		if d.ID == id {
			return d
		}
	}
	return geo.Departement{}
}

// reg returns the region with the given ID (zero when none).
func (e *Engine) reg(id geo.RegionID) geo.Region {
	for _, g := range e.geo.Regions() {
		if g.ID == id {
			return g
		}
	}
	return geo.Region{}
}
