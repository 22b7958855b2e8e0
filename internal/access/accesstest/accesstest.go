// Package accesstest runs the access tests of the services: tables of
// operations, each called directly on its service by every kind of actor on
// every kind of record, asserting the exact outcome (success, « not found »
// or refused) and that a refusal writes nothing. Because the services decide
// who may do what, these tests are what keeps a page or an API handler that
// forgot a check from leaking.
//
// The actors are one of each kind (Actors); the records are « A » (the
// expert A's, or organisation A's) and « B » (expert B's, organisation B's),
// so that each actor meets a record of their own and another's. World builds
// them on a real database (package storetest).
package accesstest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"vivier/internal/access"
	"vivier/internal/store"
)

// The actors every table is run with.
const (
	Anonymous   = "anonymous visitor"
	Admin       = "admin"
	Coordinator = "coordinator"
	ExpertA     = "expert A" // the expert of the records A
	ExpertB     = "expert B" // the expert of the records B
	RequesterA  = "requester A"
	RequesterB  = "requester B"
	Member      = "member"
	System      = "system"
)

// Actors lists the actors in the order the cases run.
var Actors = []string{Anonymous, Admin, Coordinator, ExpertA, ExpertB, RequesterA, RequesterB, Member, System}

// Records are the two records of an operation that acts on one: A belongs
// to expert A and organisation A, B to expert B and organisation B.
var Records = []string{"A", "B"}

// Outcome is what a call gave: OK, or the access code of its error.
type Outcome string

// The outcomes a table expects. Skip marks a case that does not apply
// (the own account of an anonymous visitor): it is not run.
const (
	OK        Outcome = "ok"
	NotFound  Outcome = Outcome(access.NotFound)
	Forbidden Outcome = Outcome(access.Forbidden)
	Invalid   Outcome = Outcome(access.Invalid)
	Skip      Outcome = "skip"
)

// OutcomeOf is the outcome of a call that returned err; an internal error
// keeps its message, to be read in the failure.
func OutcomeOf(err error) Outcome {
	c := access.CodeOf(err)
	switch c {
	case "":
		return OK
	case access.InternalErr:
		return Outcome("internal error: " + err.Error())
	}
	return Outcome(c)
}

// Relation is how an actor stands to a record.
type Relation int

// The relations: the fixed roles, then the expert and the requester of the
// record (Own…) or of the other record (Other…).
const (
	RAnonymous Relation = iota
	RAdmin
	RCoordinator
	ROwnExpert
	ROtherExpert
	ROwnRequester
	ROtherRequester
	RMember
	RSystem
	nRelations
)

// Staff are the relations that see and change every record.
var Staff = []Relation{RAdmin, RCoordinator, RSystem}

// Others are the relations to a record that is not the actor's: nobody's
// business but staff's.
var Others = []Relation{RAnonymous, ROtherExpert, ROtherRequester, RMember}

// RelationOf is how actor stands to record ("A", "B", or "" for an
// operation on no particular record, where expert A and requester A count
// as Own).
func RelationOf(actor, record string) Relation {
	if record == "" {
		record = "A"
	}
	switch actor {
	case Anonymous:
		return RAnonymous
	case Admin:
		return RAdmin
	case Coordinator:
		return RCoordinator
	case Member:
		return RMember
	case System:
		return RSystem
	case ExpertA, ExpertB:
		if strings.HasSuffix(actor, record) {
			return ROwnExpert
		}
		return ROtherExpert
	case RequesterA, RequesterB:
		if strings.HasSuffix(actor, record) {
			return ROwnRequester
		}
		return ROtherRequester
	}
	panic("accesstest: unknown actor " + actor)
}

// Want is the outcome expected for each relation.
type Want [nRelations]Outcome

// All expects o from everyone.
func All(o Outcome) Want {
	var w Want
	for i := range w {
		w[i] = o
	}
	return w
}

// Set returns w expecting o from the relations rs.
func (w Want) Set(o Outcome, rs ...Relation) Want {
	for _, r := range rs {
		w[r] = o
	}
	return w
}

// For is the outcome w expects of actor on record.
func (w Want) For(actor, record string) Outcome { return w[RelationOf(actor, record)] }

// Op is one operation of a service under test.
type Op struct {
	Name string
	// OnRecords says the operation acts on a record: it runs on A and B.
	// Otherwise it runs once per actor, on no particular record.
	OnRecords bool
	// Prepare makes the records the operation needs, fresh, with the
	// system as actor: before the first case, and after each case that
	// succeeded in writing, so that every case meets them in the same
	// state. nil when the operation needs nothing of its own.
	Prepare func(t *testing.T, record string)
	// Write says a success changes the records (Prepare runs again).
	Write bool
	// Replay says the operation repeats what is done already: a success,
	// like a refusal, must write nothing (no audit entry of a no-op).
	Replay bool
	// Do calls the service as actor on record.
	Do func(ctx context.Context, actor access.Actor, record string) error
	// Want is the outcome expected of each actor on each record; WantFor,
	// when set, replaces it for tables whose records are not A and B.
	Want    Want
	WantFor func(actor, record string) Outcome
	// Records replaces Records for this operation (with WantFor).
	Records []string
}

// Run runs every case of ops on db as a subtest named operation/actor/record:
// it checks the outcome against the op's Want and, for every case that did
// not succeed, that the database is unchanged — no row written, no audit
// entry, no email. actor returns the actor named (of the current world). It
// returns how many cases ran.
func Run(t *testing.T, db *store.DB, actor func(name string) access.Actor, ops []Op) int {
	t.Helper()
	ctx := context.Background()
	cases := 0
	for _, op := range ops {
		records := []string{""}
		switch {
		case op.Records != nil:
			records = op.Records
		case op.OnRecords:
			records = Records
		}
		want := op.WantFor
		if want == nil {
			want = op.Want.For
		}
		t.Run(op.Name, func(t *testing.T) {
			prepare := func(t *testing.T, record string) {
				if op.Prepare != nil {
					op.Prepare(t, record)
				}
			}
			for _, r := range records {
				prepare(t, r)
			}
			before := Snapshot(t, db)
			for _, name := range Actors {
				for _, r := range records {
					expected := want(name, r)
					if expected == "" {
						t.Fatalf("%s: no outcome expected of %s on %q", op.Name, name, r)
					}
					if expected == Skip {
						continue
					}
					cases++
					label := name
					if r != "" {
						label += " on " + r
					}
					t.Run(label, func(t *testing.T) {
						got := OutcomeOf(op.Do(ctx, actor(name), r))
						if got != expected {
							t.Errorf("%s by %s: got %s, want %s", op.Name, label, got, expected)
						}
						if got == OK && op.Replay {
							if after := Snapshot(t, db); after != before {
								t.Errorf("%s by %s changed nothing but wrote:\n%s", op.Name, label, diff(before, after))
								before = after
							}
							return
						}
						if got == OK {
							// A success may write (an audit entry, a log of
							// what was shown): the next case starts from here.
							if op.Write {
								prepare(t, r)
							}
							before = Snapshot(t, db)
							return
						}
						after := Snapshot(t, db)
						if after != before {
							t.Errorf("%s by %s was refused (%s) but wrote:\n%s", op.Name, label, got, diff(before, after))
							prepare(t, r)
							before = Snapshot(t, db)
						}
					})
				}
			}
		})
	}
	return cases
}

var tables sync.Map // *store.DB → []string

// Snapshot returns the content of every table of db, as text: two
// snapshots are equal when nothing was written in between.
func Snapshot(t testing.TB, db *store.DB) string {
	t.Helper()
	ctx := context.Background()
	names, ok := tables.Load(db)
	if !ok {
		query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
		if db.Engine() == store.Postgres {
			query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()
				AND table_type = 'BASE TABLE' ORDER BY table_name`
		}
		list, err := column[string](ctx, db, query)
		if err != nil {
			t.Fatalf("snapshot: tables: %v", err)
		}
		names, _ = tables.LoadOrStore(db, list)
	}
	var b strings.Builder
	for _, table := range names.([]string) {
		rows, err := db.QueryContext(ctx, `SELECT * FROM `+table)
		if err != nil {
			t.Fatalf("snapshot of %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				t.Fatalf("snapshot of %s: %v", table, err)
			}
			cells := make([]string, len(vals))
			for i, v := range vals {
				if raw, ok := v.([]byte); ok {
					v = string(raw)
				}
				cells[i] = fmt.Sprint(v)
			}
			lines = append(lines, table+": "+strings.Join(cells, " | "))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatalf("snapshot of %s: %v", table, err)
		}
		slices.Sort(lines)
		for _, l := range lines {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// diff lists the lines of after that are not in before, and the reverse.
func diff(before, after string) string {
	old := strings.Split(before, "\n")
	cur := strings.Split(after, "\n")
	var b strings.Builder
	for _, l := range cur {
		if !slices.Contains(old, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	for _, l := range old {
		if !slices.Contains(cur, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	return b.String()
}

func column[T any](ctx context.Context, db *store.DB, query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
