package geo

// CommuneID is the dense identifier of a commune or arrondissement municipal
// within one Reference; see the package doc.
type CommuneID int32

// DepartementID is the dense identifier of a département within one Reference.
type DepartementID uint8

// RegionID is the dense identifier of a region within one Reference.
type RegionID uint8

// EPCIID is the dense identifier of an EPCI within one Reference.
type EPCIID uint16

// Location is where a commune sits, as dense IDs: four bytes that can be
// compared without touching strings. A zero field means none (a commune
// outside any EPCI has EPCI 0).
type Location struct {
	EPCI        EPCIID
	Departement DepartementID
	Region      RegionID
}

// Commune is a commune, or an arrondissement municipal when Parent is set.
type Commune struct {
	ID   CommuneID
	Code string // INSEE code, such as "69123" or "2A004"
	Name string // official INSEE name, such as "Saint-Étienne"
	// Population is the municipal population; 0 when the source has none.
	Population int
	// SIREN is the commune's SIREN; empty for arrondissements municipaux and
	// the communes of the collectivités d'outre-mer.
	SIREN string
	// PostalCodes are sorted and shared with the Reference: do not modify.
	PostalCodes []string
	// Parent is, for an arrondissement municipal, the INSEE code of its
	// commune (69381 → "69123"); empty for a commune.
	Parent          string
	DepartementCode string
	RegionCode      string
	// EPCISIREN is the SIREN of the commune's EPCI (its parent's for an
	// arrondissement); empty for the few communes outside any.
	EPCISIREN string
	Location  Location
}

// IsArrondissement reports whether c is an arrondissement municipal of
// Paris, Lyon or Marseille rather than a commune.
func (c Commune) IsArrondissement() bool { return c.Parent != "" }

// SizeClass returns the size class of the commune by population.
func (c Commune) SizeClass() SizeClass { return SizeClassOf(c.Population) }

// Departement is a département, or a collectivité d'outre-mer listed as one.
type Departement struct {
	ID         DepartementID
	Code       string // "01", "2A", "69", "971"…
	Name       string
	RegionCode string
	Region     RegionID
}

// Region is a region, or a collectivité d'outre-mer listed as one.
type Region struct {
	ID   RegionID
	Code string // "11", "84", "01" (Guadeloupe)…
	Name string
}

// EPCI is an établissement public de coopération intercommunale with its own
// taxation: a communauté de communes, d'agglomération, urbaine or a
// métropole.
type EPCI struct {
	ID    EPCIID
	SIREN string
	Name  string
	Kind  EPCIKind
	// Members are the INSEE codes of the member communes, sorted and shared
	// with the Reference: do not modify.
	Members []string
}

// EPCIKind is the legal form of an EPCI, with the codes the DGCL uses.
type EPCIKind string

// The EPCI kinds.
const (
	CommunauteDeCommunes     EPCIKind = "CC"
	CommunauteDAgglomeration EPCIKind = "CA"
	CommunauteUrbaine        EPCIKind = "CU"
	Metropole                EPCIKind = "METRO"
	MetropoleDeLyon          EPCIKind = "MET69" // a territorial collectivity, not a plain EPCI
)

// Label returns the French name of the kind, for display.
func (k EPCIKind) Label() string {
	switch k {
	case CommunauteDeCommunes:
		return "Communauté de communes"
	case CommunauteDAgglomeration:
		return "Communauté d’agglomération"
	case CommunauteUrbaine:
		return "Communauté urbaine"
	case Metropole:
		return "Métropole"
	case MetropoleDeLyon:
		return "Métropole de Lyon"
	}
	return string(k)
}

func (k EPCIKind) valid() bool { return k.Label() != string(k) }
