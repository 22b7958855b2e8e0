package report

import (
	"strings"
	"time"
)

// Document is the report's JSON, the same from `vivier report` and from
// GET /api/v1/reports/{year}. Each section is an object whose keys are its
// figures' values (counts, days, euros, rates as ratios: 0.174 for
// 17,4 %), plus:
//   - "tracked": false when no part of the section is followed by Vivier;
//   - "not_tracked": the keys of figures Vivier does not follow (their
//     value reads 0): never null, never an error;
//   - "unknown": the keys of figures that cannot be computed for the year
//     (a mean without any review; their value reads 0);
//   - "previous": the same keys for the year before.
//
// communication also has "followers_growth" and "visitors_growth", objects
// from an account's identifier to its growth over the year (a ratio: 0.75
// for +75 %), accounts whose growth cannot be computed left out. "figures"
// lists every figure with its label, formula, change and the address of
// its records; "drift" (staff, published report) the figures whose live
// value moved since the publication.
type Document struct {
	Year            int            `json:"year"`
	PublishedAt     *time.Time     `json:"published_at"` // null for a live draft
	Version         int            `json:"version"`      // 0 for a live draft
	FormulasVersion string         `json:"formulas_version"`
	GeneratedAt     time.Time      `json:"generated_at"`
	Representation  map[string]any `json:"representation"`
	Partners        map[string]any `json:"partners"`
	Communication   map[string]any `json:"communication"`
	Network         map[string]any `json:"network"`
	Expertise       map[string]any `json:"expertise"`
	Figures         []FigureJSON   `json:"figures"`
	Drift           []DriftJSON    `json:"drift"`
}

// FigureJSON is one figure in the JSON.
type FigureJSON struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Unit        Unit     `json:"unit"`
	Value       float64  `json:"value"`
	Previous    float64  `json:"previous"`
	Change      *float64 `json:"change,omitempty"` // relative, or in points for rates and scores; absent when none
	Tracked     bool     `json:"tracked"`
	HasValue    bool     `json:"has_value"`
	HasPrevious bool     `json:"has_previous"`
	Formula     string   `json:"formula"`
	Detail      string   `json:"detail,omitempty"`
	Records     string   `json:"records"` // the page of its records
	RecordCount int      `json:"record_count"`
	Source      string   `json:"source,omitempty"`
}

// DriftJSON is one moved figure in the JSON.
type DriftJSON struct {
	Key       string `json:"key"`
	Label     string `json:"label"`
	Published string `json:"published"`
	Live      string `json:"live"`
}

// JSON returns the document of v.
func JSON(v View) Document {
	d := Document{Year: v.Report.Year, FormulasVersion: v.Report.FormulasVersion, GeneratedAt: v.Report.GeneratedAt,
		Figures: []FigureJSON{}, Drift: []DriftJSON{}}
	if v.Snapshot != nil {
		at := v.Snapshot.PublishedAt
		d.PublishedAt, d.Version = &at, v.Snapshot.Version
	}
	for _, sec := range v.Report.Sections {
		obj := map[string]any{"tracked": sec.Tracked(), "not_tracked": sec.NotTracked()}
		prev := map[string]any{}
		unknown := []string{}
		for _, f := range sec.Figures {
			short := f.Short()
			if name, slug, ok := strings.Cut(short, "."); ok {
				// An account's growth: grouped by its identifier.
				for _, m := range []map[string]any{obj, prev} {
					if _, ok := m[name]; !ok {
						m[name] = map[string]float64{}
					}
				}
				if f.HasValue {
					obj[name].(map[string]float64)[slug] = f.Value
				}
				if f.HasPrevious {
					prev[name].(map[string]float64)[slug] = f.Previous
				}
			} else {
				obj[short], prev[short] = f.Value, f.Previous
				if f.Tracked && !f.HasValue {
					unknown = append(unknown, short)
				}
			}
			fj := FigureJSON{Key: f.Key, Label: f.Label, Unit: f.Unit, Value: f.Value, Previous: f.Previous, Tracked: f.Tracked,
				HasValue: f.HasValue, HasPrevious: f.HasPrevious, Formula: f.Formula, Detail: f.Detail,
				Records: RecordsPath(v.Report.Year, f.Key), RecordCount: f.Total, Source: f.Source}
			if c, ok := f.Change(); ok {
				fj.Change = &c
			}
			d.Figures = append(d.Figures, fj)
		}
		if sec.Key == "communication" {
			for _, name := range []string{"followers_growth", "visitors_growth"} {
				for _, m := range []map[string]any{obj, prev} {
					if _, ok := m[name]; !ok {
						m[name] = map[string]float64{}
					}
				}
			}
		}
		obj["unknown"], obj["previous"] = unknown, prev
		switch sec.Key {
		case "representation":
			d.Representation = obj
		case "partners":
			d.Partners = obj
		case "communication":
			d.Communication = obj
		case "network":
			d.Network = obj
		case "expertise":
			d.Expertise = obj
		}
	}
	for _, x := range v.Drift {
		d.Drift = append(d.Drift, DriftJSON{Key: x.Key, Label: x.Label, Published: x.Published, Live: x.Live})
	}
	return d
}
