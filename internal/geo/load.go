package geo

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// formatHeader opens data/geo.tsv. The generator writes the same string; the
// number changes whenever the layout below does.
const formatHeader = "vivier-geo/1"

// parse builds a Reference from the layout of data/geo.tsv: one record a
// line, fields separated by tabs, the name always last:
//
//	vivier-geo/1  source
//	R  code  name                                          (region)
//	D  code  region-code  name                             (département)
//	E  siren  kind  name                                   (EPCI)
//	C  code  dép-code  population  siren  epci-siren  postal,codes  name
//	A  code  parent-code  population  postal,codes  name   (arrondissement)
//
// A record may only refer to records above it. Strings are sliced out of
// data rather than copied, which keeps loading fast: data must stay
// unchanged, as the embedded string and the result of io.ReadAll do.
func parse(data string) (*Reference, error) {
	header, rest, _ := strings.Cut(data, "\n")
	magic, source, _ := strings.Cut(header, "\t")
	if magic != formatHeader {
		return nil, fmt.Errorf("geo: not a %s file (first line %.40q)", formatHeader, header)
	}
	n := strings.Count(rest, "\n") + 2
	p := parser{Reference: &Reference{
		source:            source,
		regions:           make([]Region, 1, 32),
		departements:      make([]Departement, 1, 128),
		epcis:             make([]EPCI, 1, 1500),
		communes:          make([]Commune, 1, n),
		locations:         make([]Location, 1, n),
		regionByCode:      make(map[string]RegionID),
		departementByCode: make(map[string]DepartementID),
		epciBySIREN:       make(map[string]EPCIID),
		communeByCode:     make(map[string]CommuneID, n),
	}}
	p.postal = make([]string, 0, strings.Count(rest, ",")+n)
	for lineNo := 2; rest != ""; lineNo++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if line == "" {
			continue
		}
		if err := p.record(line); err != nil {
			return nil, fmt.Errorf("geo: line %d: %w", lineNo, err)
		}
	}
	r := p.Reference
	if len(r.communes) == 1 {
		return nil, errors.New("geo: no commune in the data")
	}
	r.regionsByName = slices.Clone(r.regions[1:])
	slices.SortStableFunc(r.regionsByName, func(a, b Region) int {
		return strings.Compare(foldString(a.Name), foldString(b.Name))
	})
	r.departementsByCode = slices.Clone(r.departements[1:])
	slices.SortStableFunc(r.departementsByCode, func(a, b Departement) int {
		return strings.Compare(departementSortKey(a.Code), departementSortKey(b.Code))
	})
	r.search = buildSearchIndex(r.communes)
	return r, nil
}

// parser holds the state of one parse.
type parser struct {
	*Reference
	postal []string // backing array of every commune's PostalCodes
	fields [8]string
}

// split cuts line into exactly want tab-separated fields.
func (p *parser) split(line string, want int) ([]string, error) {
	f := p.fields[:0]
	for len(f) < want-1 {
		field, rest, ok := strings.Cut(line, "\t")
		if !ok {
			break
		}
		f = append(f, field)
		line = rest
	}
	f = append(f, line)
	if len(f) != want || strings.Contains(line, "\t") {
		return nil, fmt.Errorf("want %d fields", want)
	}
	return f, nil
}

func (p *parser) record(line string) error {
	kind, _, _ := strings.Cut(line, "\t")
	switch kind {
	case "R":
		return p.region(line)
	case "D":
		return p.departement(line)
	case "E":
		return p.epci(line)
	case "C":
		return p.commune(line)
	case "A":
		return p.arrondissement(line)
	}
	return fmt.Errorf("unknown record kind %q", kind)
}

func (p *parser) region(line string) error {
	f, err := p.split(line, 3)
	if err != nil {
		return err
	}
	code, name := f[1], f[2]
	if err := p.checkNew(code, name, p.regionByCode[code] != 0); err != nil {
		return err
	}
	if len(p.regions) > math.MaxUint8 {
		return errors.New("too many regions")
	}
	id := RegionID(len(p.regions))
	p.regions = append(p.regions, Region{ID: id, Code: code, Name: name})
	p.regionByCode[code] = id
	return nil
}

func (p *parser) departement(line string) error {
	f, err := p.split(line, 4)
	if err != nil {
		return err
	}
	code, regionCode, name := f[1], f[2], f[3]
	if err := p.checkNew(code, name, p.departementByCode[code] != 0); err != nil {
		return err
	}
	region, ok := p.regionByCode[regionCode]
	if !ok {
		return fmt.Errorf("département %s: unknown region %q", code, regionCode)
	}
	if len(p.departements) > math.MaxUint8 {
		return errors.New("too many départements")
	}
	id := DepartementID(len(p.departements))
	p.departements = append(p.departements, Departement{ID: id, Code: code, Name: name, RegionCode: regionCode, Region: region})
	p.departementByCode[code] = id
	return nil
}

func (p *parser) epci(line string) error {
	f, err := p.split(line, 4)
	if err != nil {
		return err
	}
	siren, kind, name := f[1], EPCIKind(f[2]), f[3]
	if err := p.checkNew(siren, name, p.epciBySIREN[siren] != 0); err != nil {
		return err
	}
	if !kind.valid() {
		return fmt.Errorf("EPCI %s: unknown kind %q", siren, kind)
	}
	if len(p.epcis) > math.MaxUint16 {
		return errors.New("too many EPCI")
	}
	id := EPCIID(len(p.epcis))
	p.epcis = append(p.epcis, EPCI{ID: id, SIREN: siren, Name: name, Kind: kind})
	p.epciBySIREN[siren] = id
	return nil
}

func (p *parser) commune(line string) error {
	f, err := p.split(line, 8)
	if err != nil {
		return err
	}
	c := Commune{Code: f[1], DepartementCode: f[2], SIREN: f[4], EPCISIREN: f[5], Name: f[7]}
	if err := p.checkNew(c.Code, c.Name, p.communeByCode[c.Code] != 0); err != nil {
		return err
	}
	dep, ok := p.departementByCode[c.DepartementCode]
	if !ok {
		return fmt.Errorf("commune %s: unknown département %q", c.Code, c.DepartementCode)
	}
	c.Location = Location{Departement: dep, Region: p.departements[dep].Region}
	c.RegionCode = p.departements[dep].RegionCode
	if c.EPCISIREN != "" {
		if c.Location.EPCI, ok = p.epciBySIREN[c.EPCISIREN]; !ok {
			return fmt.Errorf("commune %s: unknown EPCI %q", c.Code, c.EPCISIREN)
		}
	}
	if c.Population, err = parsePopulation(f[3]); err != nil {
		return fmt.Errorf("commune %s: %w", c.Code, err)
	}
	c.PostalCodes = p.postalCodes(f[6])
	p.add(c)
	if c.Location.EPCI != 0 {
		e := &p.epcis[c.Location.EPCI]
		e.Members = append(e.Members, c.Code)
	}
	return nil
}

func (p *parser) arrondissement(line string) error {
	f, err := p.split(line, 6)
	if err != nil {
		return err
	}
	code, parentCode, name := f[1], f[2], f[5]
	if err := p.checkNew(code, name, p.communeByCode[code] != 0); err != nil {
		return err
	}
	parentID, ok := p.communeByCode[parentCode]
	if !ok || p.communes[parentID].IsArrondissement() {
		return fmt.Errorf("arrondissement %s: unknown parent commune %q", code, parentCode)
	}
	c := p.communes[parentID] // same département, region and EPCI
	c.Code, c.Name, c.Parent, c.SIREN = code, name, parentCode, ""
	if c.Population, err = parsePopulation(f[3]); err != nil {
		return fmt.Errorf("arrondissement %s: %w", code, err)
	}
	c.PostalCodes = p.postalCodes(f[4])
	p.add(c)
	return nil
}

func (p *parser) add(c Commune) {
	c.ID = CommuneID(len(p.communes))
	p.communes = append(p.communes, c)
	p.locations = append(p.locations, c.Location)
	p.communeByCode[c.Code] = c.ID
}

func (p *parser) checkNew(code, name string, exists bool) error {
	switch {
	case code == "":
		return errors.New("empty code")
	case name == "":
		return fmt.Errorf("%s: empty name", code)
	case exists:
		return fmt.Errorf("%s: listed twice", code)
	}
	return nil
}

func (p *parser) postalCodes(list string) []string {
	if list == "" {
		return nil
	}
	start := len(p.postal)
	for list != "" {
		var pc string
		pc, list, _ = strings.Cut(list, ",")
		p.postal = append(p.postal, pc)
	}
	return p.postal[start:len(p.postal):len(p.postal)]
}

func parsePopulation(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad population %q", s)
	}
	return n, nil
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
