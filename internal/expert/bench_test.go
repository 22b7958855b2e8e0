package expert_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/demo"
	"vivier/internal/expert"
	"vivier/internal/geo"
	"vivier/internal/search"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// Benchmarks over 100,000 generated French profiles (package demo's
// generator: real communes weighted by population, plausible names, bios
// and skills). Run them with
//
//	go test ./internal/expert -run '^$' -bench . -benchtime 1x -timeout 30m
//
// VIVIER_BENCH_EXPERTS changes the pool size.

func poolSize() int {
	if n, err := strconv.Atoi(os.Getenv("VIVIER_BENCH_EXPERTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var benchCSV = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	g := demo.NewGenerator(42, geo.Default(), date.MustParse("2026-12-01"))
	if _, err := g.WriteExpertsCSV(&b, poolSize()); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkImport measures `vivier import experts` of the whole file into
// an empty database: checked whole, then written 1,000 rows per transaction
// with prepared statements and batched inserts.
func BenchmarkImport(b *testing.B) {
	data := benchCSV()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := storetest.Open(b, engine)
				s := expert.New(expert.Options{DB: db, Geo: geo.Default()})
				b.StartTimer()
				rep, err := s.Import(context.Background(), bytes.NewReader(data), expert.ImportOptions{}, access.System)
				if err != nil || rep.Created != poolSize() {
					b.Fatalf("import: %+v %v", rep.Created, err)
				}
			}
			b.ReportMetric(float64(len(data))/1e6, "MB")
		})
	}
}

// newPool imports the generated pool into a fresh database on engine, for
// the read benchmarks run under b.
func newPool(b *testing.B, engine store.Engine) (*expert.Service, *store.DB) {
	db := storetest.Open(b, engine)
	s := expert.New(expert.Options{DB: db, Geo: geo.Default()})
	if _, err := s.Import(context.Background(), bytes.NewReader(benchCSV()), expert.ImportOptions{}, access.System); err != nil {
		b.Fatal(err)
	}
	return s, db
}

// searches are what coordinators type: single words, inflected forms,
// broad domain words, names, commune names, several words.
var searches = []string{"industrie", "industriels", "touristique", "énergie", "fonds européens", "Lefèvre", "martin",
	"réindustrialisation", "agence", "direction intérim", "Lyon", "rennes", "développement économique",
	"centres-bourgs commerce", "Clément", "filière bois", "mutualisation", "attractivité territoriale", "élus", "agroalimentaires"}

// lists are the filtered lists of the coordinators' page.
func lists() []expert.Filter {
	d := date.MustParse
	return []expert.Filter{
		{},
		{Status: expert.Qualified},
		{Skill: "filieres.industrie", MinLevel: 3},
		{Zone: "dep:69", Status: expert.Qualified},
		{Zone: "reg:84", Skill: "entreprises.foncier"},
		{AvailableFrom: d("2027-01-01"), AvailableTo: d("2027-02-28"), DaysPerWeek: 2},
		{Skill: "management.direction_interim", MinLevel: 4, AvailableFrom: d("2027-01-05"), AvailableTo: d("2027-03-31"), DaysPerWeek: 4, Status: expert.Qualified},
		{HomeDepartement: "33", Sort: expert.ByRate},
		{Status: expert.Qualified, Sort: expert.ByUpdated, Page: 50},
		{Text: "industrie", Zone: "reg:32", Status: expert.Qualified, Sort: expert.ByExperience},
	}
}

// measure runs each case rounds times and reports the p50, p95 and p99 of
// one call.
func measure(b *testing.B, rounds int, cases int, call func(i int) error) {
	var times []time.Duration
	for b.Loop() {
		for range rounds {
			for i := range cases {
				start := time.Now()
				if err := call(i); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
		}
	}
	slices.Sort(times)
	q := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkPool measures, on one imported pool per engine:
//   - search: the French search itself, the index counting the experts
//     that match the words;
//   - list-text: the list page of a text search (count + 20 experts by
//     name, with their skills, zones and periods);
//   - list-filters: the filtered list pages of lists().
func BenchmarkPool(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			s, db := newPool(b, engine)
			index := search.Experts(db)
			ctx := context.Background()
			b.Run("search", func(b *testing.B) {
				measure(b, 10, len(searches), func(i int) error {
					_, err := index.Count(ctx, db, searches[i])
					return err
				})
			})
			b.Run("list-text", func(b *testing.B) {
				best := make([]time.Duration, len(searches))
				measure(b, 10, len(searches), func(i int) error {
					start := time.Now()
					_, err := s.List(ctx, expert.Filter{Text: searches[i]}, access.System)
					if d := time.Since(start); best[i] == 0 || d < best[i] {
						best[i] = d
					}
					return err
				})
				for i, q := range searches {
					b.Logf("best %7.1f ms  %s", float64(best[i].Microseconds())/1000, q)
				}
			})
			fs := lists()
			b.Run("list-filters", func(b *testing.B) {
				measure(b, 10, len(fs), func(i int) error {
					_, err := s.List(ctx, fs[i], access.System)
					return err
				})
			})
			for i, f := range fs {
				b.Run(fmt.Sprintf("list-%d", i), func(b *testing.B) {
					measure(b, 10, 1, func(int) error {
						_, err := s.List(ctx, f, access.System)
						return err
					})
				})
			}
		})
	}
}

// BenchmarkRenameSkill measures renaming the most held skill of the pool
// (about 10,500 experts of 100,000): the label, then the search documents
// of every expert holding it, in one transaction, as the skill page does.
func BenchmarkRenameSkill(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			s, db := newPool(b, engine)
			skills := skill.New(skill.Options{DB: db, Reindex: []skill.Reindexer{s.ReindexSkill}})
			ctx := context.Background()
			var code string
			var held int
			if err := db.QueryRowContext(ctx, `SELECT skill_code, count(*) FROM expert_skills GROUP BY skill_code ORDER BY 2 DESC, 1 LIMIT 1`).Scan(&code, &held); err != nil {
				b.Fatal(err)
			}
			n := 0
			for b.Loop() {
				n++
				if err := skills.Rename(ctx, code, fmt.Sprintf("Libellé %d", n), access.System); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(held), "experts")
		})
	}
}
