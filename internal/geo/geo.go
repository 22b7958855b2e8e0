// Package geo is the French administrative geography reference shipped inside
// the binary: regions, départements, communes and EPCI (intercommunalities
// with their own taxation), with lookups, commune search and zones.
//
// The data come from the npm package @etalab/decoupage-administratif (see
// data/SOURCE.md for the version, integrity and licence). They are generated
// into data/geo.tsv by "go generate ./internal/geo" and embedded, so the
// reference never changes while the program runs.
//
// # What a commune is here
//
// The package lists four kinds of entries in its communes file:
//
//   - communes actuelles (about 35,000) are the communes;
//   - the 45 arrondissements municipaux of Paris, Lyon and Marseille (75101,
//     69381, 13201…) are kept because addresses and other data sets use
//     their codes: they resolve by code, with Parent set to their commune
//     (69381 → 69123) and the same département, region and EPCI. Search
//     ranks them after every commune, since a need or an expert belongs to
//     the commune;
//   - communes déléguées and associées are dropped: they are not
//     municipalities any more, have no population, SIREN or EPCI of their
//     own, and some share their code with their commune nouvelle (01015), so
//     a code lookup could not tell them apart.
//
// The collectivités d'outre-mer (Saint-Pierre-et-Miquelon, Polynésie
// française…) are kept as the package has them: each is both a département
// and a region with a three-digit code (975, 987…), and their communes have
// no SIREN and no EPCI. Populations are the package's municipal populations;
// they are 0 where it has none (a few uninhabited territories).
//
// # Dense identifiers
//
// Each commune, département, region and EPCI has a small integer ID
// (CommuneID, DepartementID, RegionID, EPCIID) so that code that handles
// communes by the million, such as the matching engine, can keep 4-byte
// references and compare Locations instead of strings (Reference.Location
// and Zone.CoversLocation read a few bytes and never allocate). IDs are
// dense: commune IDs run from 1 to NumCommunes(), so a slice of that length
// plus one can be indexed by them, and likewise for the others. 0 means
// "none", so a zero Location or Zone matches nothing. IDs are assigned at
// load from the data's order and change with the data vintage: store codes,
// never IDs.
//
// # Immutability
//
// A Reference is read-only after Load and safe for concurrent use. Slices
// inside returned values (PostalCodes, Members) are shared with the
// Reference and must not be modified.
package geo

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
)

//go:generate go run ./internal/gen -dir data

//go:embed data/geo.tsv
var embedded string

// Reference is an immutable, indexed copy of the geography data.
type Reference struct {
	source string

	regions      []Region      // by RegionID; index 0 unused
	departements []Departement // by DepartementID; index 0 unused
	epcis        []EPCI        // by EPCIID; index 0 unused
	communes     []Commune     // by CommuneID; index 0 unused
	locations    []Location    // by CommuneID, kept apart for cache-friendly hot loops

	regionByCode      map[string]RegionID
	departementByCode map[string]DepartementID
	epciBySIREN       map[string]EPCIID
	communeByCode     map[string]CommuneID

	regionsByName      []Region      // for pickers
	departementsByCode []Departement // for pickers, 2A and 2B after 19
	search             searchIndex
}

// Default returns the reference built from the embedded data. The data are
// parsed once, on first use, and the same *Reference is returned afterwards.
// It panics if the embedded data are broken, which the package's tests rule
// out.
func Default() *Reference { return loadEmbedded() }

var loadEmbedded = sync.OnceValue(func() *Reference {
	r, err := parse(embedded)
	if err != nil {
		panic("geo: embedded data: " + err.Error())
	}
	return r
})

// Load reads a reference in the layout of data/geo.tsv. Tests use it to build
// small references; the application uses Default.
func Load(rd io.Reader) (*Reference, error) {
	b, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("geo: %w", err)
	}
	return parse(string(b))
}

// Source names the upstream package and version the data come from, such as
// "@etalab/decoupage-administratif@6.0.0", for "about" pages and logs.
func (r *Reference) Source() string { return r.source }

// NumCommunes returns how many communes and arrondissements municipaux the
// reference holds: their IDs run from 1 to NumCommunes().
func (r *Reference) NumCommunes() int { return len(r.communes) - 1 }

// normalizeCode accepts a code typed in lower case ("2a004", "2b") without
// allocating for the common, already upper-case, case.
func normalizeCode(code string) string {
	if strings.ContainsAny(code, "ab") {
		return strings.ToUpper(code)
	}
	return code
}
