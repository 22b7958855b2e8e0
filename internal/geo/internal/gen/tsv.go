package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"vivier/internal/geo/internal/source"
)

// formatHeader opens geo.tsv; internal/geo refuses a file without it. Bump
// the number whenever the line layout below changes.
const formatHeader = "vivier-geo/1"

// epciKinds are the EPCI types the reference knows how to label.
var epciKinds = map[string]bool{"CC": true, "CA": true, "CU": true, "METRO": true, "MET69": true}

// writeTSV validates the package and writes it in the layout internal/geo
// reads (see its load.go). Every line is sorted, so the output depends only
// on the package's content, not on the order of its JSON arrays.
func writeTSV(out io.Writer, pkg *source.Package, sourceLabel string) error {
	regions := slices.Clone(pkg.Regions)
	slices.SortFunc(regions, func(a, b source.Region) int { return strings.Compare(a.Code, b.Code) })
	deps := slices.Clone(pkg.Departements)
	slices.SortFunc(deps, func(a, b source.Departement) int {
		return strings.Compare(departementSortKey(a.Code), departementSortKey(b.Code))
	})
	epcis := slices.Clone(pkg.EPCI)
	slices.SortFunc(epcis, func(a, b source.EPCI) int { return strings.Compare(a.SIREN, b.SIREN) })

	regionOf := make(map[string]string) // département code → region code
	knownRegion := make(map[string]bool)
	for _, r := range regions {
		if err := checkFields(r.Code, r.Name); err != nil || knownRegion[r.Code] {
			return fmt.Errorf("region %q: bad or duplicate entry", r.Code)
		}
		knownRegion[r.Code] = true
	}
	for _, d := range deps {
		if err := checkFields(d.Code, d.Name); err != nil || regionOf[d.Code] != "" {
			return fmt.Errorf("département %q: bad or duplicate entry", d.Code)
		}
		if !knownRegion[d.Region] {
			return fmt.Errorf("département %s: unknown region %q", d.Code, d.Region)
		}
		regionOf[d.Code] = d.Region
	}

	communes := make(map[string]source.Commune)
	var codes, arrondissements []string
	for _, c := range pkg.Communes {
		if c.Type != source.TypeCommune && c.Type != source.TypeArrondissement {
			continue
		}
		if _, dup := communes[c.Code]; dup {
			return fmt.Errorf("commune %s: listed twice", c.Code)
		}
		if err := checkCommune(c, regionOf); err != nil {
			return err
		}
		communes[c.Code] = c
		if c.Type == source.TypeCommune {
			codes = append(codes, c.Code)
		} else {
			arrondissements = append(arrondissements, c.Code)
		}
	}
	slices.Sort(codes)
	slices.Sort(arrondissements)

	epciOf := make(map[string]string) // commune code → EPCI SIREN
	for _, e := range epcis {
		if err := checkFields(e.SIREN, e.Name); err != nil || !epciKinds[e.Type] {
			return fmt.Errorf("EPCI %q: bad entry (kind %q)", e.SIREN, e.Type)
		}
		for _, m := range e.Members {
			c, ok := communes[m.Code]
			if !ok || c.Type != source.TypeCommune {
				return fmt.Errorf("EPCI %s: member %s is not a current commune", e.SIREN, m.Code)
			}
			if prev := epciOf[m.Code]; prev != "" {
				return fmt.Errorf("commune %s: member of EPCI %s and %s", m.Code, prev, e.SIREN)
			}
			epciOf[m.Code] = e.SIREN
		}
	}
	for _, code := range arrondissements {
		a := communes[code]
		p, ok := communes[a.Parent]
		if !ok || p.Type != source.TypeCommune || p.Departement != a.Departement {
			return fmt.Errorf("arrondissement %s: bad parent commune %q", code, a.Parent)
		}
	}

	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "%s\t%s\n", formatHeader, sourceLabel)
	for _, r := range regions {
		fmt.Fprintf(w, "R\t%s\t%s\n", r.Code, r.Name)
	}
	for _, d := range deps {
		fmt.Fprintf(w, "D\t%s\t%s\t%s\n", d.Code, d.Region, d.Name)
	}
	for _, e := range epcis {
		fmt.Fprintf(w, "E\t%s\t%s\t%s\n", e.SIREN, e.Type, e.Name)
	}
	for _, code := range codes {
		c := communes[code]
		fmt.Fprintf(w, "C\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			c.Code, c.Departement, population(c), c.SIREN, epciOf[code], postalCodes(c), c.Name)
	}
	for _, code := range arrondissements {
		a := communes[code]
		fmt.Fprintf(w, "A\t%s\t%s\t%s\t%s\t%s\n", a.Code, a.Parent, population(a), postalCodes(a), a.Name)
	}
	return w.Flush()
}

func checkCommune(c source.Commune, regionOf map[string]string) error {
	if err := checkFields(c.Code, c.Name, c.SIREN, c.Parent); err != nil {
		return fmt.Errorf("commune %q: %w", c.Code, err)
	}
	if len(c.Code) != 5 {
		return fmt.Errorf("commune %q: code is not 5 characters", c.Code)
	}
	region, ok := regionOf[c.Departement]
	if !ok || region != c.Region {
		return fmt.Errorf("commune %s: département %q and region %q do not match the départements file", c.Code, c.Departement, c.Region)
	}
	if c.SIREN != "" && !isDigits(c.SIREN, 9) {
		return fmt.Errorf("commune %s: bad SIREN %q", c.Code, c.SIREN)
	}
	if c.Population != nil && *c.Population < 0 {
		return fmt.Errorf("commune %s: negative population", c.Code)
	}
	for _, pc := range c.PostalCodes {
		if !isDigits(pc, 5) {
			return fmt.Errorf("commune %s: bad postal code %q", c.Code, pc)
		}
	}
	return nil
}

// checkFields rejects empty codes or names and values that would break the
// tab-separated layout.
func checkFields(code, name string, more ...string) error {
	if code == "" || name == "" {
		return errors.New("empty code or name")
	}
	for _, s := range append([]string{code, name}, more...) {
		if strings.ContainsAny(s, "\t\n\r") {
			return fmt.Errorf("value %q has a tab or a newline", s)
		}
	}
	return nil
}

func population(c source.Commune) string {
	if c.Population == nil {
		return "0"
	}
	return strconv.Itoa(*c.Population)
}

func postalCodes(c source.Commune) string {
	pcs := slices.Clone(c.PostalCodes)
	slices.Sort(pcs)
	return strings.Join(slices.Compact(pcs), ",")
}

// departementSortKey orders Corsica's 2A and 2B where the former 20 stood,
// between 19 and 21, as every French list does.
func departementSortKey(code string) string {
	switch code {
	case "2A", "2B":
		return "20" + code[1:]
	}
	return code
}

func isDigits(s string, n int) bool {
	return len(s) == n && strings.Trim(s, "0123456789") == ""
}
