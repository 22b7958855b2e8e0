package geo

import (
	"iter"
	"slices"
)

// Commune returns the commune or arrondissement municipal with the given
// INSEE code ("69123", "2A004"; Corsican codes may be in lower case).
func (r *Reference) Commune(code string) (Commune, bool) {
	id, ok := r.communeByCode[normalizeCode(code)]
	if !ok {
		return Commune{}, false
	}
	return r.communes[id], true
}

// CommuneByID returns the commune with the given ID; false for 0 or an ID
// outside this Reference.
func (r *Reference) CommuneByID(id CommuneID) (Commune, bool) {
	if id <= 0 || int(id) >= len(r.communes) {
		return Commune{}, false
	}
	return r.communes[id], true
}

// Location returns where the commune with the given ID sits, or the zero
// Location, which matches nothing, for an unknown ID. It is the call meant
// for hot loops: it reads four bytes from a dense array.
func (r *Reference) Location(id CommuneID) Location {
	if id <= 0 || int(id) >= len(r.locations) {
		return Location{}
	}
	return r.locations[id]
}

// Communes iterates over every commune then every arrondissement municipal,
// in ID order.
func (r *Reference) Communes() iter.Seq[Commune] {
	return func(yield func(Commune) bool) {
		for _, c := range r.communes[1:] {
			if !yield(c) {
				return
			}
		}
	}
}

// EPCIOfCommune returns the EPCI the commune with the given INSEE code
// belongs to (its parent's for an arrondissement municipal). It returns false
// for an unknown code and for the few communes outside any EPCI (islands
// such as Île-de-Sein, and the collectivités d'outre-mer).
func (r *Reference) EPCIOfCommune(code string) (EPCI, bool) {
	c, ok := r.Commune(code)
	if !ok || c.Location.EPCI == 0 {
		return EPCI{}, false
	}
	return r.epcis[c.Location.EPCI], true
}

// DepartementOfCommune returns the département of the commune with the given
// INSEE code.
func (r *Reference) DepartementOfCommune(code string) (Departement, bool) {
	c, ok := r.Commune(code)
	if !ok {
		return Departement{}, false
	}
	return r.departements[c.Location.Departement], true
}

// RegionOfCommune returns the region of the commune with the given INSEE
// code.
func (r *Reference) RegionOfCommune(code string) (Region, bool) {
	c, ok := r.Commune(code)
	if !ok {
		return Region{}, false
	}
	return r.regions[c.Location.Region], true
}

// EPCI returns the EPCI with the given SIREN.
func (r *Reference) EPCI(siren string) (EPCI, bool) {
	id, ok := r.epciBySIREN[siren]
	if !ok {
		return EPCI{}, false
	}
	return r.epcis[id], true
}

// EPCIs iterates over every EPCI in ID (SIREN) order.
func (r *Reference) EPCIs() iter.Seq[EPCI] {
	return func(yield func(EPCI) bool) {
		for _, e := range r.epcis[1:] {
			if !yield(e) {
				return
			}
		}
	}
}

// Departement returns the département with the given code ("69", "2A",
// "971"; "2a" is accepted).
func (r *Reference) Departement(code string) (Departement, bool) {
	id, ok := r.departementByCode[normalizeCode(code)]
	if !ok {
		return Departement{}, false
	}
	return r.departements[id], true
}

// Region returns the region with the given code ("84", "01").
func (r *Reference) Region(code string) (Region, bool) {
	id, ok := r.regionByCode[code]
	if !ok {
		return Region{}, false
	}
	return r.regions[id], true
}

// Departements returns every département in the usual French order, by code
// with 2A and 2B between 19 and 21, then overseas. The slice is the caller's.
func (r *Reference) Departements() []Departement { return slices.Clone(r.departementsByCode) }

// Regions returns every region sorted by name, ignoring case and accents, as
// a form picker lists them ("Île-de-France" under I). The slice is the
// caller's.
func (r *Reference) Regions() []Region { return slices.Clone(r.regionsByName) }
