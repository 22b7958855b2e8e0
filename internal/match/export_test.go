package match

// TotalOf returns the exact weighted total and components the engine gives
// the expert with the given ID for req, for the brute-force reference of the
// tests; ok is false when the expert is not held.
func (e *Engine) TotalOf(req Request, id int64) (total uint64, c Components, ok bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	q, err := e.compile(&req)
	if err != nil {
		panic(err)
	}
	slot, ok := e.ids.get(id)
	if !ok {
		return 0, Components{}, false
	}
	s := e.score(&e.recs[slot], q)
	return s.total(&q.w), s.components(), true
}

// WeightSum is the sum of the engine's weights, the denominator of a score
// in millionths.
func (e *Engine) WeightSum() uint64 {
	v := e.Weights().vector()
	var t uint64
	for _, x := range v {
		t += x
	}
	return t * scale
}

// Sizes returns the lengths of the blob and the period array, to check
// that compaction keeps them bounded.
func (e *Engine) Sizes() (blob, pers int) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.blob), len(e.pers)
}

// Package functions the tests of the log, the weights and the groups call
// directly (the Service checks the actor first, then calls them).
var (
	LogRanking   = logRanking
	LatestRecord = latestRecord
	LoadWeights  = loadWeights
	SaveWeights  = saveWeights
)
