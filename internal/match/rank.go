package match

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/bits"

	"vivier/internal/date"
	"vivier/internal/geo"
)

// Result is a ranking: the best eligible experts, best first, and how many
// experts each hard constraint excluded. Its JSON is the shape the CLI and
// the API print: {"matches":[…],"excluded":{…}}.
type Result struct {
	Matches  []Match  `json:"matches"`
	Excluded Excluded `json:"excluded"`
	// Considered is the pool size: every expert the engine holds.
	Considered int `json:"-"`
	// Eligible is how many experts passed every hard constraint:
	// Considered − Excluded.Total().
	Eligible int `json:"-"`
	// Weights are the weights the scores were computed with.
	Weights Weights `json:"-"`
}

// Match is one ranked expert.
type Match struct {
	ExpertID   int64      `json:"-"`
	Reference  string     `json:"reference"`
	Rank       int        `json:"-"` // 1 for the best
	Score      float64    `json:"score"`
	Components Components `json:"components"`
}

// query is a validated Request turned into the engine's numbers.
type query struct {
	commune  geo.CommuneID
	loc      geo.Location
	class    geo.SizeClass
	start    uint16
	end      uint16
	dpw      uint8 // interim counted as at least InterimDays
	remote   bool
	sirens   []uint32 // the requester's, the EPCI's, the commune's, then the pooled ones'
	sirenWho []string // what each SIREN is, for explanations
	maxRate  uint16
	langs    []int // language indexes; −1 for a language no expert speaks
	langCode []string
	required []wantedSkill
	wanted   []wantedSkill
	today    uint16
	w        [numComponents]uint64
	wsum     uint64
}

type wantedSkill struct {
	code string
	idx  int32 // −1 when no expert holds the skill
	min  uint8
}

// compile validates req and turns it into a query. The caller holds e.mu.
func (e *Engine) compile(req *Request) (*query, error) {
	if err := req.Validate(e.geo); err != nil {
		return nil, err
	}
	c, _ := e.geo.Commune(req.Commune)
	id := communeOf(e.geo, c)
	c, _ = e.geo.CommuneByID(id)
	s, _ := dayNumber(req.Start)
	end, _ := dayNumber(req.End)
	q := &query{
		commune: id,
		loc:     c.Location,
		class:   c.SizeClass(),
		start:   uint16(s),
		end:     uint16(end),
		dpw:     uint8(req.dpw()),
		remote:  req.Format == FormatRemote,
		maxRate: uint16(req.MaxDailyRate),
		today:   clampDay(date.Of(e.opts.now().In(date.Paris()))),
		w:       e.weights.vector(),
	}
	for _, v := range q.w {
		q.wsum += v
	}
	q.addPlace(e.geo, req.Commune, req.RequesterSIREN)
	for _, p := range req.Pooled {
		q.addPlace(e.geo, p.Commune, p.RequesterSIREN)
	}
	for _, l := range req.languages() {
		i, ok := e.langIdx[l]
		if !ok {
			i = -1
		}
		q.langs = append(q.langs, i)
		q.langCode = append(q.langCode, l)
	}
	for _, sw := range req.Skills {
		ws := wantedSkill{code: sw.Code, idx: -1, min: uint8(sw.MinLevel)}
		if i, ok := e.skillIdx[sw.Code]; ok {
			ws.idx = int32(i)
		}
		q.wanted = append(q.wanted, ws)
		if sw.Required {
			q.required = append(q.required, ws)
		}
	}
	return q, nil
}

// addPlace adds the SIRENs an expert's employer must not have for a need
// at commune requested by requester.
func (q *query) addPlace(g *geo.Reference, commune, requester string) {
	add := func(s, who string) {
		if n, ok := sirenNumber(s); ok && n != 0 {
			q.sirens = append(q.sirens, n)
			q.sirenWho = append(q.sirenWho, who)
		}
	}
	add(requester, "requester")
	c, _ := g.Commune(commune)
	if c.Parent != "" {
		c, _ = g.Commune(c.Parent)
	}
	add(c.EPCISIREN, "epci")
	add(c.SIREN, "commune")
}

// Rank syncs with the database (for an engine made by Load), then returns
// the limit best eligible experts for req (every eligible one when limit ≤
// 0) and the excluded counts. An invalid req is a valid.Errors.
func (e *Engine) Rank(ctx context.Context, req Request, limit int) (Result, error) {
	if err := e.Sync(ctx); err != nil {
		return Result{}, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	q, err := e.compile(&req)
	if err != nil {
		return Result{}, err
	}
	t := top{e: e, k: limit}
	x := e.scan(q, func(slot uint32, r *record) {
		s := e.score(r, q)
		t.offer(entry{total: s.total(&q.w), slot: slot})
	})
	res := Result{Excluded: x, Considered: e.nLive, Weights: e.weights}
	res.Eligible = e.nLive - x.Total()
	for i, en := range t.sorted() {
		r := &e.recs[en.slot]
		s := e.score(r, q)
		res.Matches = append(res.Matches, Match{
			ExpertID:   r.id,
			Reference:  e.ref(r),
			Rank:       i + 1,
			Score:      float64(en.total) / float64(q.wsum*scale),
			Components: s.components(),
		})
	}
	if res.Matches == nil {
		res.Matches = []Match{}
	}
	return res, nil
}

// scan calls fn for every eligible expert, in slot order, and returns the
// excluded counts by first failing reason. The first two constraints are
// settled a word of 64 experts at a time on the bit sets — not_qualified is
// the pool size minus the qualified count, missing_skill the qualified count
// minus the survivors of the intersection — and only the survivors are read
// for the other constraints, in order.
func (e *Engine) scan(q *query, fn func(slot uint32, r *record)) Excluded {
	var x Excluded
	x[NotQualified] = e.nLive - e.nQual
	req := make([]bitset, 0, len(q.required))
	for _, s := range q.required {
		if s.idx < 0 {
			x[MissingSkill] = e.nQual
			return x
		}
		req = append(req, e.skillBits[s.idx][s.min-1])
	}
	survivors := 0
	var buf [batch]uint32
	n := 0
	for w, m := range e.qualified {
		for _, b := range req {
			if w >= len(b) {
				m = 0
				break
			}
			m &= b[w]
		}
		survivors += bits.OnesCount64(m)
		for m != 0 {
			buf[n] = uint32(w<<6 | bits.TrailingZeros64(m))
			m &= m - 1
			n++
			if n == batch {
				e.checkBatch(buf[:n], q, &x, fn)
				n = 0
			}
		}
	}
	e.checkBatch(buf[:n], q, &x, fn)
	x[MissingSkill] = e.nQual - survivors
	return x
}

// batch is how many survivors are checked together; see checkBatch.
const batch = 128

// checkBatch checks survivors of the bit sets against the other
// constraints. It first reads one byte of each record with no branch in
// between, so that the processor fetches the records' cache lines all at
// once rather than one miss after another as the checks' branches would;
// the checks then find the records in cache. This halves the time of a
// query over a million experts, where the checks are bound by memory.
func (e *Engine) checkBatch(slots []uint32, q *query, x *Excluded, fn func(uint32, *record)) {
	var touch uint8
	for _, s := range slots {
		touch += e.recs[s].np
	}
	var pass [batch]uint32
	n := 0
	for _, s := range slots {
		if why := e.checkRest(&e.recs[s], s, q); why != Pass {
			x[why]++
			continue
		}
		pass[n] = s
		n++
	}
	// Scoring reads the skills in the blob: fetch those lines together too.
	for _, s := range pass[:n] {
		r := &e.recs[s]
		touch += e.blob[r.off] // the reference, just before the skills
	}
	e.touched.Store(uint32(touch))
	for _, s := range pass[:n] {
		fn(s, &e.recs[s])
	}
}

// reasonOf returns the first constraint the expert in slot fails, checked
// one by one (Explain's path; scan must agree).
func (e *Engine) reasonOf(slot uint32, q *query) Reason {
	if !e.qualified.has(slot) {
		return NotQualified
	}
	for _, s := range q.required {
		if s.idx < 0 || !e.skillBits[s.idx][s.min-1].has(slot) {
			return MissingSkill
		}
	}
	return e.checkRest(&e.recs[slot], slot, q)
}

// checkRest checks the constraints after the skills, in order.
func (e *Engine) checkRest(r *record, slot uint32, q *query) Reason {
	if firstUncovered(e.periods(r), q.start, q.end, q.dpw) >= 0 {
		return Unavailable
	}
	if !q.remote && !e.zonesCover(r, q.loc) {
		return OutOfZone
	}
	if w, _ := e.conflict(r, slot, q); w >= 0 {
		return ConflictOfInterest
	}
	if q.maxRate != 0 && r.rate > q.maxRate {
		return RateTooHigh
	}
	for _, l := range q.langs {
		if l < 0 || !e.langBits[l].has(slot) {
			return Language
		}
	}
	return Pass
}

// firstUncovered returns the first day of start..end that no period at d or
// more days a week covers, or −1 when the periods cover every day. Periods
// are sorted by start, so one pass extends the covered prefix.
func firstUncovered(p []dayPeriod, start, end uint16, d uint8) int {
	cur := int(start)
	for i := range p {
		if p[i].dpw < d {
			continue
		}
		if int(p[i].start) > cur {
			break
		}
		if pe := int(p[i].end); pe >= cur {
			cur = pe + 1
			if cur > int(end) {
				return -1
			}
		}
	}
	return cur
}

// zonesCover reports whether the expert's zones contain national, the
// département or the region of l.
func (e *Engine) zonesCover(r *record, l geo.Location) bool {
	dep := zoneDep | uint16(l.Departement)
	reg := zoneReg | uint16(l.Region)
	if int(r.nz) <= len(r.iz) {
		for _, v := range r.iz[:r.nz] {
			if v == zoneNational || v == dep || v == reg {
				return true
			}
		}
		return false
	}
	z := e.zones(r)
	for i := 0; i+zoneSize <= len(z); i += zoneSize {
		v := binary.LittleEndian.Uint16(z[i:])
		if v == zoneNational || v == dep || v == reg {
			return true
		}
	}
	return false
}

// conflict returns the index in q.sirens of the first SIREN the expert's
// employer, or one of their declared conflicts, is; −1 when none. The
// second result is the expert's SIREN that conflicts.
func (e *Engine) conflict(r *record, slot uint32, q *query) (int, uint32) {
	for i, s := range q.sirens {
		if r.siren == s {
			return i, s
		}
	}
	if r.flags&flagDeclared != 0 {
		for i, s := range q.sirens {
			for _, d := range e.conflicts[slot] {
				if d == s {
					return i, d
				}
			}
		}
	}
	return -1, 0
}

// entry is a candidate of the top-k: its exact weighted total and slot.
type entry struct {
	total uint64
	slot  uint32
}

// top keeps the k best entries in a heap whose root is the worst kept.
type top struct {
	e *Engine
	k int // ≤ 0: keep all
	h []entry
}

// better orders entries: higher total first, then smaller reference.
func (t *top) better(a, b entry) bool {
	if a.total != b.total {
		return a.total > b.total
	}
	ra, rb := &t.e.recs[a.slot], &t.e.recs[b.slot]
	if c := bytes.Compare(t.e.refBytes(ra), t.e.refBytes(rb)); c != 0 {
		return c < 0
	}
	return ra.id < rb.id
}

func (t *top) offer(x entry) {
	if t.k <= 0 || len(t.h) < t.k {
		t.h = append(t.h, x)
		t.up(len(t.h) - 1)
		return
	}
	if t.better(x, t.h[0]) {
		t.h[0] = x
		t.down(0)
	}
}

func (t *top) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.better(t.h[p], t.h[i]) {
			return
		}
		t.h[p], t.h[i] = t.h[i], t.h[p]
		i = p
	}
}

func (t *top) down(i int) {
	n := len(t.h)
	for {
		w := i
		if l := 2*i + 1; l < n && t.better(t.h[w], t.h[l]) {
			w = l
		}
		if r := 2*i + 2; r < n && t.better(t.h[w], t.h[r]) {
			w = r
		}
		if w == i {
			return
		}
		t.h[i], t.h[w] = t.h[w], t.h[i]
		i = w
	}
}

// sorted empties the heap and returns the entries best first.
func (t *top) sorted() []entry {
	out := make([]entry, len(t.h))
	for i := len(t.h) - 1; i >= 0; i-- {
		out[i] = t.h[0]
		last := len(t.h) - 1
		t.h[0] = t.h[last]
		t.h = t.h[:last]
		t.down(0)
	}
	return out
}
