package expert

import "vivier/internal/geo"

// zoneFilter lists the zones that let an expert through the list's zone
// filter z (see Filter.Zone): an expert accepts to work
//   - in a département ("dep:69") when their zones name it, its region
//     or national;
//   - somewhere in a region ("reg:84") when their zones name the region,
//     one of its départements, or national;
//   - anywhere ("national") only when their zones say national.
//
// The filter is then zone IN (…) over expert_zones' (zone, expert_id)
// index: at most fourteen lookups (Auvergne-Rhône-Alpes' twelve
// départements, the region, national).
func (s *Service) zoneFilter(z string) ([]string, error) {
	zone, err := s.geo.ParseZone(z)
	if err != nil {
		return nil, err
	}
	switch zone.Kind() {
	case geo.ZoneDepartement:
		out := []string{zone.String(), "national"}
		if d, ok := s.geo.Departement(zone.Code()); ok {
			out = append(out, "reg:"+d.RegionCode)
		}
		return out, nil
	case geo.ZoneRegion:
		out := []string{zone.String(), "national"}
		for _, d := range s.geo.Departements() {
			if d.RegionCode == zone.Code() {
				out = append(out, "dep:"+d.Code)
			}
		}
		return out, nil
	}
	return []string{"national"}, nil
}
