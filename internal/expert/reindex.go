package expert

import (
	"context"
	"database/sql"

	"vivier/internal/search"
)

// ReindexSkill rewrites, within tx, the search documents of the experts
// holding the skill code (a skill.Reindexer: documents hold skill labels).
func (s *Service) ReindexSkill(ctx context.Context, tx *sql.Tx, code string) error {
	list, err := load(ctx, tx, `e.id IN (SELECT k.expert_id FROM expert_skills k WHERE k.skill_code = $1)`, code)
	if err != nil {
		return err
	}
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
