package newsletter

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"vivier/internal/fr"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Card is what the block of an event or a publication shows: its title, a
// line of detail (date and place, or summary) and its page.
type Card struct {
	Title, Detail, URL string
}

// CardSource finds, for a block « ::: evenement 12 » or « ::: publication
// 7 », the event or publication with that number that anyone may see
// (store.NotFound otherwise). It is given by the wiring, so that this
// package needs neither the events nor the publications.
type CardSource func(ctx context.Context, kind string, id int64) (Card, error)

var cardRef = regexp.MustCompile(`^:::\s*(evenement|événement|publication)\s+(\d{1,12})\s*$`)

// expandCards writes, in place of each block naming an event or a
// publication by its number, the card of that record as it is now: the
// body that staff then see, preview and send holds the card itself, so a
// campaign does not change when the record does after it was written.
func (s *Service) expandCards(ctx context.Context, body string) (string, error) {
	if !strings.Contains(body, ":::") {
		return body, nil
	}
	var e valid.Errors
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		m := cardRef.FindStringSubmatch(strings.TrimSpace(strings.TrimSuffix(line, "\r")))
		if m == nil {
			continue
		}
		kind := m[1]
		if kind == "événement" {
			kind = "evenement"
		}
		id, _ := strconv.ParseInt(m[2], 10, 64)
		what := map[string]string{"evenement": "aucun événement public", "publication": "aucune publication publique"}[kind]
		if s.cards == nil {
			e.Add("body_markdown", "ligne %s : les cartes par numéro ne sont pas disponibles ici ; écrivez « ::: %s Titre | détail | https://… »", fr.Int(int64(i+1)), kind)
			continue
		}
		c, err := s.cards(ctx, kind, id)
		if errors.Is(err, store.ErrNotFound) {
			e.Add("body_markdown", "ligne %s : %s ne porte le numéro %d", fr.Int(int64(i+1)), what, id)
			continue
		}
		if err != nil {
			return "", err
		}
		clean := func(s string) string {
			// Line breaks and runs of spaces become one space; the
			// no-break spaces of French typography stay.
			s = strings.Join(strings.FieldsFunc(strings.ReplaceAll(s, "|", "/"), asciiSpace), " ")
			return truncate(s, 300)
		}
		lines[i] = "::: " + kind + " " + clean(c.Title) + " | " + clean(c.Detail) + " | " + c.URL
	}
	if err := e.Err(); err != nil {
		return "", err
	}
	return strings.Join(lines, "\n"), nil
}

// prepare writes the cards of in's body and validates it: every error at
// once, in the fields' order, those of the cards with the body's.
func (s *Service) prepare(ctx context.Context, in CampaignInput) (CampaignInput, error) {
	body, err := s.expandCards(ctx, in.Body)
	cards, ok := valid.As(err)
	if err != nil && !ok {
		return in, err
	}
	check := in
	if err == nil {
		in.Body, check.Body = body, body
	} else {
		// The other lines are checked, at their numbers, without the
		// cards in error.
		lines := strings.Split(in.Body, "\n")
		for i, l := range lines {
			if cardRef.MatchString(strings.TrimSpace(strings.TrimSuffix(l, "\r"))) {
				lines[i] = ""
			}
		}
		check.Body = strings.Join(lines, "\n")
	}
	err = s.validateCampaign(ctx, check)
	if len(cards) == 0 {
		return in, err
	}
	all, ok := valid.As(err)
	if err != nil && !ok {
		return in, err
	}
	var out valid.Errors
	for _, f := range all {
		if f.Field == "subject" || f.Field == "preheader" {
			out = append(out, f)
		}
	}
	out = append(out, cards...)
	for _, f := range all {
		if f.Field != "subject" && f.Field != "preheader" && (f.Field != "body_markdown" || strings.TrimSpace(check.Body) != "") {
			out = append(out, f)
		}
	}
	return in, out.Err()
}

func asciiSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }
