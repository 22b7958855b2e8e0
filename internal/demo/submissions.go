package demo

import (
	"context"
	"fmt"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/geo"
	"vivier/internal/need"
	"vivier/internal/store"
)

// fillSubmissions sends one need through the public form without
// confirming it: the coordinators' dashboard counts it as waiting for its
// address, and the outbox shows the confirmation email, which quotes
// nothing its sender typed.
func fillSubmissions(ctx context.Context, db *store.DB, opts Options) error {
	needs := need.New(need.Options{DB: db, Geo: geo.Default(), BaseURL: opts.BaseURL})
	start := date.Today().AddDays(45)
	_, err := needs.Submit(ctx, need.Input{
		Title: "Accompagner la reprise de la boulangerie du bourg", Description: "Le boulanger part à la retraite en juin ; nous cherchons un repreneur.",
		Commune: "01002", Kind: need.Mission, Skills: []need.WantedSkill{{Code: "entreprises.foncier", MinLevel: 2, Required: true}},
		Start: start, End: start.AddDays(60), DaysPerWeek: 1, Format: need.Hybrid,
		Contact: &need.Contact{Name: "Jeanne Rivière", Email: "mairie.abergement@exemple.fr", Role: "Maire"}, ConsentWording: "démo",
	}, access.Visitor("démo"))
	if err != nil {
		return fmt.Errorf("demo public need: %w", err)
	}
	return nil
}
