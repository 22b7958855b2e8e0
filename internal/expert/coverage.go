package expert

import (
	"slices"
	"strings"

	"vivier/internal/geo"
)

// coverage lists the areas of expert_coverage for an expert's zones: the
// rows that make the zone filter of the list one indexed lookup. An expert
// covers
//   - a département ("dep:69") when a zone is that département or its
//     region;
//   - a region ("reg:84") when a zone is the region or one of its
//     départements (they can work somewhere in it);
//   - "national" when a zone is national (the filter adds "national" to
//     every area, so it is not spread over every département).
//
// So the filter "dep:69" is area IN ('dep:69', 'national'), "reg:84" is
// area IN ('reg:84', 'national'), as Filter.Zone says.
func coverage(g *geo.Reference, zones []string) []string {
	var out []string
	for _, z := range zones {
		out = append(out, z)
		switch {
		case strings.HasPrefix(z, "dep:"):
			if d, ok := g.Departement(z[4:]); ok {
				out = append(out, "reg:"+d.RegionCode)
			}
		case strings.HasPrefix(z, "reg:"):
			for _, d := range g.Departements() {
				if d.RegionCode == z[4:] {
					out = append(out, "dep:"+d.Code)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// coverageFilter lists the areas that let an expert through the zone
// filter z (see Filter.Zone and coverage).
func (s *Service) coverageFilter(z string) ([]string, error) {
	zone, err := s.geo.ParseZone(z)
	if err != nil {
		return nil, err
	}
	if zone.String() == "national" {
		return []string{"national"}, nil
	}
	return []string{zone.String(), "national"}, nil
}
