package geo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrInvalidZone is wrapped by every error of ParseZone and ParseZones.
var ErrInvalidZone = errors.New("invalid zone")

// ZoneKind tells what a Zone spans. The zero ZoneKind is no kind at all.
type ZoneKind uint8

// The zone kinds.
const (
	ZoneDepartement ZoneKind = iota + 1
	ZoneRegion
	ZoneNational
)

// Zone is an area where an expert accepts to work: a département ("dep:69"),
// a region ("reg:84") or all of France ("national"). Region and département
// codes overlap ("reg:93" is Provence-Alpes-Côte d'Azur, "dep:93"
// Seine-Saint-Denis), hence the prefix.
//
// Zones are comparable and made by Reference.ParseZone. A Zone holds the
// dense IDs of the Reference that parsed it and must only be used with
// communes of that Reference. The zero Zone covers nothing.
type Zone struct {
	kind ZoneKind
	code string
	dep  DepartementID
	reg  RegionID
}

// Kind tells whether the zone is a département, a region or national.
func (z Zone) Kind() ZoneKind { return z.kind }

// Code returns the département or region code of the zone, "" for a
// national zone.
func (z Zone) Code() string { return z.code }

// String returns the zone in its canonical written form, such as "dep:2A",
// "reg:84" or "national"; "" for the zero Zone.
func (z Zone) String() string {
	switch z.kind {
	case ZoneDepartement:
		return "dep:" + z.code
	case ZoneRegion:
		return "reg:" + z.code
	case ZoneNational:
		return "national"
	}
	return ""
}

// Covers reports whether the commune lies in the zone. An arrondissement
// municipal lies where its commune does.
func (z Zone) Covers(c Commune) bool { return z.CoversLocation(c.Location) }

// CoversLocation reports whether a commune at l lies in the zone, without
// touching strings; see Reference.Location.
func (z Zone) CoversLocation(l Location) bool {
	switch z.kind {
	case ZoneDepartement:
		return l.Departement != 0 && l.Departement == z.dep
	case ZoneRegion:
		return l.Region != 0 && l.Region == z.reg
	case ZoneNational:
		return l.Departement != 0
	}
	return false
}

// ParseZone parses a zone written "dep:CODE", "reg:CODE" or "national"
// (case and surrounding spaces do not matter) and checks that the
// département or region exists. The error says which zone string is wrong
// and why.
func (r *Reference) ParseZone(s string) (Zone, error) {
	z, err := r.parseZone(strings.TrimSpace(s))
	if err != nil {
		return Zone{}, fmt.Errorf("%w %q: %s", ErrInvalidZone, s, err)
	}
	return z, nil
}

func (r *Reference) parseZone(s string) (Zone, error) {
	if s == "" {
		return Zone{}, errors.New("empty zone, want dep:CODE, reg:CODE or national")
	}
	if strings.EqualFold(s, "national") {
		return Zone{kind: ZoneNational}, nil
	}
	prefix, code, ok := strings.Cut(s, ":")
	code = strings.TrimSpace(code)
	switch {
	case !ok:
		return Zone{}, errors.New("want dep:CODE, reg:CODE or national")
	case strings.EqualFold(prefix, "dep"):
		if code == "" {
			return Zone{}, errors.New("missing département code after dep:")
		}
		d, ok := r.Departement(code)
		if !ok {
			return Zone{}, fmt.Errorf("no département has code %q", code)
		}
		return Zone{kind: ZoneDepartement, code: d.Code, dep: d.ID}, nil
	case strings.EqualFold(prefix, "reg"):
		if code == "" {
			return Zone{}, errors.New("missing region code after reg:")
		}
		g, ok := r.Region(code)
		if !ok {
			return Zone{}, fmt.Errorf("no region has code %q", code)
		}
		return Zone{kind: ZoneRegion, code: g.Code, reg: g.ID}, nil
	}
	return Zone{}, fmt.Errorf("unknown prefix %q, want dep:, reg: or national", prefix)
}

// ParseZones parses a list of zones separated by "|", as in the zones column
// of the experts CSV ("dep:69|reg:84"). Repeated zones are kept once, in
// their first place. An empty list, or an empty item, is an error: a caller
// for which zones are optional checks for "" first.
func (r *Reference) ParseZones(s string) ([]Zone, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%w list %q: empty, want zones such as dep:69|reg:84 or national", ErrInvalidZone, s)
	}
	var zones []Zone
	for item := range strings.SplitSeq(s, "|") {
		z, err := r.ParseZone(item)
		if err != nil {
			return nil, fmt.Errorf("zone list %q: %w", s, err)
		}
		if !slices.Contains(zones, z) {
			zones = append(zones, z)
		}
	}
	return zones, nil
}
