package expert

import (
	"context"
	"database/sql"

	"vivier/internal/search"
)

// Reindex rewrites the search document of every expert, in one
// transaction, and returns how many it wrote. Call it after a skill's label
// is renamed (documents hold the labels) or after the analysis of package
// search changes.
func (s *Service) Reindex(ctx context.Context) (int, error) {
	list, err := load(ctx, s.db, `TRUE`)
	if err != nil {
		return 0, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := s.checker(ctx, tx)
		if err != nil {
			return err
		}
		for _, e := range list {
			if err := s.index.Put(ctx, tx, e.ID, search.Document(documentParts(c, e.Profile)...)); err != nil {
				return err
			}
		}
		return nil
	})
	return len(list), err
}

// documentParts are the texts an expert is found by: skill labels, names,
// home commune and département, bio.
func documentParts(c checker, p Profile) []string {
	parts := make([]string, 0, len(p.Skills)+5)
	for _, s := range p.Skills {
		sk, _ := c.skills.Lookup(s.Code)
		parts = append(parts, sk.Label)
	}
	communeName, depName := "", ""
	if com, ok := c.geo.Commune(p.Commune); ok {
		communeName = com.Name
		if d, ok := c.geo.Departement(com.DepartementCode); ok {
			depName = d.Name
		}
	}
	return append(parts, p.FirstName, p.LastName, communeName, depName, p.Bio)
}
