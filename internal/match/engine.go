package match

import (
	"encoding/binary"
	"fmt"
	"iter"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"vivier/internal/geo"
	"vivier/internal/store"
)

// Engine holds every expert in memory, compactly, with bit-set postings per
// skill level, and answers rankings without touching the database. It is
// safe for concurrent use: queries share a read lock, changes take the
// write lock. See docs/matching.md for the layout.
type Engine struct {
	geo  *geo.Reference
	opts Options
	db   *store.DB // nil for an engine built with New

	mu    sync.RWMutex // guards state
	state              // everything a full reload replaces at once

	touched atomic.Uint32 // keeps checkBatch's prefetching reads from being optimised away

	syncMu sync.Mutex // one Sync at a time
}

// state is the engine's data: the experts, their postings, the weights and
// where the journal stands.
type state struct {
	recs      []record // by slot
	free      []uint32 // slots of removed experts, for reuse
	ids       idIndex
	blob      []byte
	refHash   []uint32    // by slot: a hash of the reference, for Explain's lookup
	garbage   int         // blob bytes no record points to any more
	pers      []dayPeriod // periods of experts with more than two
	pgarbage  int         // pers entries no record points to any more
	live      bitset      // slots in use
	qualified bitset      // slots of qualified experts
	nLive     int
	nQual     int
	skillIdx  map[string]uint16
	skillCode []string
	skillBits [][4]bitset // by skill index, by level − 1: holds the skill at that level or above
	langIdx   map[string]int
	langCode  []string
	langBits  []bitset // by language index: speaks it
	conflicts map[uint32][]uint32
	weights   Weights
	lastSeq   int64     // the last journal row applied
	lastSync  time.Time // when Sync last succeeded
}

// Options tune an engine. The zero Options are fine.
type Options struct {
	// History provides mission figures per expert; nil means none (every
	// expert a newcomer).
	History HistorySource
	// Now returns the current time, for profile freshness and the
	// journal's pruning; time.Now when nil.
	Now func() time.Time
	// SyncEvery is how often Run syncs; 2 seconds when zero.
	SyncEvery time.Duration
	// JournalRetention is how long journal rows are kept; 24 hours when
	// zero. An engine that has not synced for half of it reloads fully.
	JournalRetention time.Duration
	// Logger receives the engine's warnings (an expert left out, a failed
	// sync); nil discards them.
	Logger *slog.Logger
}

func (o *Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// New builds an engine in memory from experts, with default weights and no
// database: for tests, benchmarks and tools. Load builds the application's
// engine from the database.
func New(g *geo.Reference, experts iter.Seq[Expert], opts Options) (*Engine, error) {
	e := newEngine(g, opts)
	for x := range experts {
		if err := e.put(&x); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func newEngine(g *geo.Reference, opts Options) *Engine {
	return &Engine{
		geo:  g,
		opts: opts,
		state: state{
			skillIdx:  map[string]uint16{},
			langIdx:   map[string]int{},
			conflicts: map[uint32][]uint32{},
			weights:   DefaultWeights(),
			ids:       idIndex{sparse: map[int64]uint32{}},
		},
	}
}

// Len returns the number of experts the engine holds.
func (e *Engine) Len() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.nLive
}

// Weights returns the weights the next query will use.
func (e *Engine) Weights() Weights {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.weights
}

// SetWeights makes the engine use w from the next query, in memory only
// (SaveWeights stores them for every instance).
func (e *Engine) SetWeights(w Weights) error {
	if err := w.Validate(); err != nil {
		return err
	}
	e.mu.Lock()
	e.weights = w
	e.mu.Unlock()
	return nil
}

// Put adds an expert, or replaces the one with the same ID.
func (e *Engine) Put(x Expert) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.put(&x)
}

// Remove drops the expert with the given ID, if held.
func (e *Engine) Remove(id int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.remove(id)
}

func (e *Engine) put(x *Expert) error {
	en, err := encode(e.geo, x)
	if err != nil {
		return err
	}
	slot, ok := e.ids.get(x.ID)
	if ok {
		e.unindex(slot)
	} else if n := len(e.free); n > 0 {
		slot = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		slot = uint32(len(e.recs))
		e.recs = append(e.recs, record{})
		e.refHash = append(e.refHash, 0)
	}
	e.ids.set(x.ID, slot)
	skills := en.bytes[en.rec.refLen:]
	for i, s := range en.skills {
		binary.LittleEndian.PutUint16(skills[i*skillSize:], e.skillIndex(s.code)<<2|uint16(s.level-1))
	}
	if len(e.blob)+len(en.bytes) > 1<<32-1 {
		return fmt.Errorf("match: engine blob over 4 GB")
	}
	en.rec.off = uint32(len(e.blob))
	e.blob = append(e.blob, en.bytes...)
	if len(en.periods) > len(en.rec.ip) {
		en.rec.poff = uint32(len(e.pers))
		e.pers = append(e.pers, en.periods...)
	}
	e.recs[slot] = en.rec
	e.refHash[slot] = hashRef(x.Reference)
	e.index(slot, &en)
	e.compactIfWasteful()
	return nil
}

func (e *Engine) remove(id int64) {
	slot, ok := e.ids.get(id)
	if !ok {
		return
	}
	e.unindex(slot)
	e.ids.del(id)
	e.recs[slot] = record{}
	e.free = append(e.free, slot)
	e.compactIfWasteful()
}

// index sets the slot's bits in every posting.
func (e *Engine) index(slot uint32, en *encoded) {
	e.live.set(slot)
	e.nLive++
	if en.qualified {
		e.qualified.set(slot)
		e.nQual++
	}
	for _, s := range en.skills {
		bs := &e.skillBits[e.skillIdx[s.code]]
		for l := range s.level {
			bs[l].set(slot)
		}
	}
	for _, l := range en.langs {
		e.langBits[e.langIndex(l)].set(slot)
	}
	if len(en.conflicts) > 0 {
		e.conflicts[slot] = en.conflicts
	}
}

// unindex clears the slot's bits and frees its blob bytes.
func (e *Engine) unindex(slot uint32) {
	r := &e.recs[slot]
	e.live.clear(slot)
	e.nLive--
	if e.qualified.has(slot) {
		e.qualified.clear(slot)
		e.nQual--
	}
	for i := range int(r.ns) {
		idx, _ := e.skillAt(r, i)
		for l := range 4 {
			e.skillBits[idx][l].clear(slot)
		}
	}
	for _, b := range e.langBits {
		b.clear(slot)
	}
	delete(e.conflicts, slot)
	e.garbage += r.size()
	if int(r.np) > len(r.ip) {
		e.pgarbage += int(r.np)
	}
}

func (e *Engine) skillIndex(code string) uint16 {
	if i, ok := e.skillIdx[code]; ok {
		return i
	}
	i := uint16(len(e.skillCode))
	e.skillIdx[code] = i
	e.skillCode = append(e.skillCode, code)
	e.skillBits = append(e.skillBits, [4]bitset{})
	return i
}

func (e *Engine) langIndex(code string) int {
	if i, ok := e.langIdx[code]; ok {
		return i
	}
	i := len(e.langCode)
	e.langIdx[code] = i
	e.langCode = append(e.langCode, code)
	e.langBits = append(e.langBits, nil)
	return i
}

// compactIfWasteful rewrites the blob when more than half of it belongs to
// replaced or removed experts, so that edits do not grow memory forever.
func (e *Engine) compactIfWasteful() {
	if e.pgarbage > 1<<12 && e.pgarbage > len(e.pers)/2 {
		np := make([]dayPeriod, 0, len(e.pers)-e.pgarbage)
		for slot := range e.recs {
			if r := &e.recs[slot]; e.live.has(uint32(slot)) && int(r.np) > len(r.ip) {
				old := e.pers[r.poff : r.poff+uint32(r.np)]
				r.poff = uint32(len(np))
				np = append(np, old...)
			}
		}
		e.pers, e.pgarbage = np, 0
	}
	if e.garbage < 1<<16 || e.garbage < len(e.blob)/2 {
		return
	}
	nb := make([]byte, 0, len(e.blob)-e.garbage)
	for slot := range e.recs {
		if !e.live.has(uint32(slot)) {
			continue
		}
		r := &e.recs[slot]
		old := e.blob[r.off : int(r.off)+r.size()]
		r.off = uint32(len(nb))
		nb = append(nb, old...)
	}
	e.blob = nb
	e.garbage = 0
}

// Accessors of a record's blob bytes.

func (e *Engine) ref(r *record) string {
	return string(e.blob[r.off : r.off+uint32(r.refLen)])
}

func (e *Engine) refBytes(r *record) []byte {
	return e.blob[r.off : r.off+uint32(r.refLen)]
}

func (e *Engine) skillAt(r *record, i int) (idx uint16, level uint8) {
	v := binary.LittleEndian.Uint16(e.blob[int(r.off)+int(r.refLen)+i*skillSize:])
	return v >> 2, uint8(v&3) + 1
}

// levelOf returns the level the record holds in the skill, 0 when none.
func (e *Engine) levelOf(r *record, idx int32) uint8 {
	if idx < 0 {
		return 0
	}
	b := e.blob[int(r.off)+int(r.refLen):]
	for i := range int(r.ns) {
		v := binary.LittleEndian.Uint16(b[i*skillSize:])
		if int32(v>>2) == idx {
			return uint8(v&3) + 1
		}
	}
	return 0
}

func (e *Engine) zones(r *record) []byte {
	o := int(r.off) + int(r.refLen) + int(r.ns)*skillSize
	return e.blob[o : o+int(r.nz)*zoneSize]
}

// periods returns the expert's periods, sorted by start.
func (e *Engine) periods(r *record) []dayPeriod {
	if int(r.np) <= len(r.ip) {
		return r.ip[:r.np]
	}
	return e.pers[r.poff : r.poff+uint32(r.np)]
}

// hashRef is FNV-1a over the reference.
func hashRef(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// idIndex finds an expert's slot by database ID: a dense slice for the
// small, mostly consecutive IDs databases hand out (4 bytes an expert), a
// map for the rest.
type idIndex struct {
	dense  []uint32 // slot + 1 by ID, 0 when none
	sparse map[int64]uint32
}

func (x *idIndex) get(id int64) (uint32, bool) {
	if id >= 0 && id < int64(len(x.dense)) {
		s := x.dense[id]
		return s - 1, s != 0
	}
	s, ok := x.sparse[id]
	return s, ok
}

func (x *idIndex) set(id int64, slot uint32) {
	if id >= 0 && id < int64(len(x.dense)) {
		x.dense[id] = slot + 1
		return
	}
	if id >= 0 && id < 2*int64(len(x.dense))+1<<20 {
		x.dense = append(x.dense, make([]uint32, int(id)+1-len(x.dense))...)
		x.dense[id] = slot + 1
		return
	}
	x.sparse[id] = slot
}

func (x *idIndex) del(id int64) {
	if id >= 0 && id < int64(len(x.dense)) {
		x.dense[id] = 0
		return
	}
	delete(x.sparse, id)
}
