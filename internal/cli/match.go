package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"vivier/internal/access"
	"vivier/internal/config"
	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/match"
	"vivier/internal/need"
	"vivier/internal/store"
)

// defaultMatchLimit is how many experts `vivier match` lists when --limit
// is not given: the shortlist a coordinator reads on the need page.
const defaultMatchLimit = 20

// matchOptions are the flags of `vivier match`.
type matchOptions struct {
	needFile string
	limit    int
	explain  string
	format   string
}

// matchCommand is `vivier match --need FILE.json [--limit N] [--explain REF] --format json|table`.
func matchCommand() *command {
	var o matchOptions
	return &command{
		name:    "match",
		summary: "rank the stored experts for a need (JSON file), or explain one expert's place",
		usage:   "--need FILE.json [--limit N] [--explain REF] [--format json|table]",
		detail: `Reads one need in the JSON of vivier import needs and ranks every stored expert
for it: the best eligible experts first (--limit, 20 by default; 0 lists every
eligible expert) with their score and its components, and how many experts each
hard constraint excludes. --explain REF prints instead the place and components of
the expert with that reference, or the constraint that excludes them and why.
--format json (the default) prints {"matches":[…],"excluded":{…}} for scripts;
--format table prints an aligned French table. Every ranking printed is recorded in
the ranking log (match_log). Malformed JSON is reported with its line and column, an
invalid field by its name; the exit status is then 1. See docs/matching.md.`,
		flags: func(fs *flag.FlagSet, cfg *config.Config) {
			cfg.DatabaseFlag(fs)
			fs.StringVar(&o.needFile, "need", "", "the need, a JSON file (required)")
			fs.IntVar(&o.limit, "limit", defaultMatchLimit, "how many experts to list (0: every eligible one)")
			fs.StringVar(&o.explain, "explain", "", "explain the place of the expert with this reference")
			fs.StringVar(&o.format, "format", "json", "json or table")
		},
		run: func(ctx context.Context, env IO, cfg config.Config, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("unexpected argument %q (usage: vivier match --need FILE.json [--limit N] [--explain REF] [--format json|table])", args[0])}
			}
			o.format = strings.ToLower(o.format)
			switch {
			case o.needFile == "":
				return usageError{"give the need with --need FILE.json"}
			case o.format != "json" && o.format != "table":
				return usageError{fmt.Sprintf("format %q: want json or table", o.format)}
			case o.limit < 0:
				return usageError{"--limit must be 0 (every eligible expert) or more"}
			}
			req, err := readNeedFile(o.needFile)
			if err != nil {
				return err
			}
			db, err := openQuiet(ctx, env, cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			return runMatch(ctx, env, db, req, o)
		},
	}
}

// readNeedFile reads and checks the need of --need: malformed JSON is
// reported with its line and column, a bad field by its name.
func readNeedFile(path string) (match.Request, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return match.Request{}, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	if msg := syntaxError(data); msg != "" {
		return match.Request{}, fmt.Errorf("%s : %s", path, msg)
	}
	in, err := need.DecodeOne(data)
	if err != nil {
		return match.Request{}, fmt.Errorf("%s : %w", path, err)
	}
	req := match.FromInput(in)
	if err := req.Validate(geo.Default()); err != nil {
		return match.Request{}, fmt.Errorf("%s : %w", path, err)
	}
	return req, nil
}

// syntaxError says where data is not well-formed JSON, or "" when it is.
func syntaxError(data []byte) string {
	var v any
	err := json.Unmarshal(data, &v)
	if err == nil {
		if _, ok := v.(map[string]any); !ok {
			return "le besoin doit être un objet JSON { \"title\": …, \"commune\": …, … }"
		}
		return ""
	}
	var se *json.SyntaxError
	offset := int64(len(data))
	if errors.As(err, &se) {
		offset = se.Offset
	}
	line, col := textPosition(data, offset)
	return fmt.Sprintf("JSON mal formé ligne %s, colonne %s : %s", fr.Int(int64(line)), fr.Int(int64(col)), err.Error())
}

// textPosition turns a byte offset into a line and a column (in characters).
func textPosition(data []byte, offset int64) (line, col int) {
	offset = min(offset, int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, max(col, 1)
}

func runMatch(ctx context.Context, env IO, db *store.DB, req match.Request, o matchOptions) error {
	ref := geo.Default()
	engine, err := match.Load(ctx, db, ref, match.Options{})
	if err != nil {
		return err
	}
	svc := match.NewService(match.ServiceOptions{Engine: engine, DB: db, Geo: ref, Needs: need.New(need.Options{DB: db, Geo: ref})})
	if o.explain != "" {
		return explainMatch(ctx, env, svc, req, o)
	}
	res, err := svc.Rank(ctx, req, o.limit, "cli", access.System)
	if err != nil {
		return err
	}
	if o.format == "json" {
		return writeJSON(env.Stdout, res)
	}
	ids := make([]int64, len(res.Matches))
	for i, m := range res.Matches {
		ids[i] = m.ExpertID
	}
	names, err := expert.New(expert.Options{DB: db, Geo: ref}).Names(ctx, ids, access.System)
	if err != nil {
		return err
	}
	writeMatchTable(env.Stdout, req, res, names)
	return nil
}

// explainMatch says why one expert ranks where they do, or which
// constraint excludes them; the explanation is logged like a ranking.
func explainMatch(ctx context.Context, env IO, svc *match.Service, req match.Request, o matchOptions) error {
	ex, err := svc.Explain(ctx, req, o.explain, "cli-explain", access.System)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("aucun expert n’a la référence %s", fr.Quote(o.explain))
	}
	if err != nil {
		return err
	}
	if o.format == "json" {
		return writeJSON(env.Stdout, ex)
	}
	writeExplanation(env.Stdout, ex)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeMatchTable prints the ranking as an aligned French table, then the
// excluded counts by reason.
func writeMatchTable(w io.Writer, req match.Request, res match.Result, names map[int64]string) {
	fmt.Fprintf(w, "Besoin : %s\n", orDash(req.Title))
	fmt.Fprintf(w, "%s sur %s, %s.\n\n", fr.Plural(res.Eligible, "expert éligible", "experts éligibles"),
		fr.Plural(res.Considered, "expert", "experts"), fr.Plural(res.Excluded.Total(), "exclu", "exclus"))
	header := []string{"rang", "référence", "nom", "score"}
	for _, c := range match.ComponentList() {
		header = append(header, strings.ToLower(c.Label()))
	}
	rows := [][]string{header}
	for _, m := range res.Matches {
		row := []string{fmt.Sprint(m.Rank), m.Reference, orDash(names[m.ExpertID]), fr.Decimal(m.Score, 2)}
		for _, c := range match.ComponentList() {
			row = append(row, fr.Decimal(m.Components.Get(c), 2))
		}
		rows = append(rows, row)
	}
	if len(res.Matches) == 0 {
		fmt.Fprintln(w, "Aucun expert éligible.")
	} else {
		writeAligned(w, rows, map[int]bool{1: true, 2: true})
	}
	fmt.Fprintln(w, "\nExclus par motif (le premier critère non rempli) :")
	var counts [][]string
	for _, r := range match.Reasons() {
		counts = append(counts, []string{"  " + r.Label(), fmt.Sprint(res.Excluded.Get(r))})
	}
	counts = append(counts, []string{"  total", fmt.Sprint(res.Excluded.Total())})
	writeAligned(w, counts, map[int]bool{0: true})
}

// writeAligned prints rows in columns two spaces apart: the columns in
// left are aligned left, the others (figures) right.
func writeAligned(w io.Writer, rows [][]string, left map[int]bool) {
	var width []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				b.WriteString("  ")
			}
			if left[i] {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(pad + cell)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// writeExplanation prints an explanation in French: the summary, then the
// place and components, or the constraint that excludes the expert.
func writeExplanation(w io.Writer, ex match.Explanation) {
	if !ex.Eligible && ex.Failure != nil {
		fmt.Fprintf(w, "Expert %s exclu (%s) : %s.\n", ex.Reference, ex.Failure.Reason.Label(), ex.Failure.Message)
		return
	}
	fmt.Fprintf(w, "Expert %s : %s\n", ex.Reference, ex.Summary)
	if !ex.Eligible {
		return
	}
	fmt.Fprintf(w, "Rang %s sur %s, score %s.\n\n", fr.Int(int64(ex.Rank)), fr.Int(int64(ex.EligibleCount)), fr.Decimal(ex.Score, 2))
	rows := [][]string{{"composante", "valeur", "poids", "raison"}}
	for _, r := range ex.Reasons {
		rows = append(rows, []string{r.Component.Label(), fr.Decimal(r.Value, 2), fmt.Sprint(r.Weight), r.Text})
	}
	writeAligned(w, rows, map[int]bool{0: true, 3: true})
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
