// Package match is the matching engine: for a need (a Request), it ranks
// every expert of the pool, counts those a hard constraint excludes by the
// first constraint they fail, and explains any expert's place or exclusion
// in French. It answers from memory — a compact record per expert and bit
// sets per skill level, kept in step with the database through a change
// journal filled by triggers — so that a ranking over a million experts
// takes a few milliseconds on one core.
//
// The application builds one Engine with Load at start, runs Run in the
// background, and calls Rank and Explain; Merge and Pool serve mutualised
// needs; LogRanking records each ranking shown or exported (a human
// decides: see docs/matching.md for the rules, the formulas, the weights,
// the index and the sync design).
package match
