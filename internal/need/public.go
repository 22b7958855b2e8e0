package need

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// The rules a need from the public form meets on top of every need's
// (docs/needs.md, « Règles du formulaire public »): the form is written by
// people who do not know the federation's words, and a coordinator must be
// able to act on what it receives without calling back for the basics.
const (
	// MinTitleLength and MinTitleWords: « x » or « aide » tell nothing.
	MinTitleLength = 10
	MinTitleWords  = 2
	// MinContactName: a name of one letter is a typing accident.
	MinContactName = 2
)

// overseasPrefixes are the international dialling codes of the French
// overseas départements and collectivités, whose numbers also have nine
// digits after the code.
var overseasPrefixes = []string{"262", "269", "508", "590", "594", "596", "681", "687", "689"}

// FrenchPhone reports whether s is a French telephone number: ten digits
// starting with 0 (« 04 72 00 00 00 »), or +33 (or 0033) and nine digits,
// or an overseas code and nine digits; spaces, dots, dashes and
// parentheses between digits are allowed.
func FrenchPhone(s string) bool {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '\u00a0' || r == '\u202f':
		default:
			return false
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "00") {
		d = "+" + d[2:]
	}
	rest := func(prefix string) bool {
		r, ok := strings.CutPrefix(d, prefix)
		return ok && len(r) == 9 && r[0] != '0'
	}
	switch {
	case len(d) == 10 && d[0] == '0' && d[1] != '0':
		return true
	case rest("+33"):
		return true
	}
	for _, p := range overseasPrefixes {
		if rest("+" + p) {
			return true
		}
	}
	return false
}

// words counts the words of s: runs of letters or digits.
func words(s string) int {
	return len(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
}

// checkPublic adds to errs the rules of the public form, on a normalised
// in, with today the calendar day in Paris. A rule is checked only where
// the common rules found no error on the field, so that each field gets
// one message.
func checkPublic(errs *valid.Errors, in Input, today date.Date) {
	if !errs.Has("title") {
		if n := utf8.RuneCountInString(in.Title); n < MinTitleLength || words(in.Title) < MinTitleWords {
			errs.Add("title", "décrivez le besoin en %d caractères et %d mots au moins, par exemple « Relancer la zone d’activités » (ici %s)",
				MinTitleLength, MinTitleWords, fr.Quote(in.Title))
		}
	}
	if !errs.Has("start") && !in.Start.IsZero() && in.Start.Before(today) {
		errs.Add("start", "le début (%s) est passé : choisissez aujourd’hui ou une date à venir", fr.Date(in.Start))
	}
	if in.Contact == nil {
		return
	}
	if !errs.Has("contact.name") && in.Contact.Name != "" && utf8.RuneCountInString(in.Contact.Name) < MinContactName {
		errs.Add("contact.name", "indiquez votre nom complet")
	}
	if !errs.Has("contact.phone") && in.Contact.Phone != "" && !FrenchPhone(in.Contact.Phone) {
		errs.Add("contact.phone", "%s n’est pas un numéro de téléphone français : dix chiffres, comme 04 72 00 00 00, ou +33 et neuf chiffres", fr.Quote(in.Contact.Phone))
	}
}

// CheckSubmission checks a need from the public form without writing
// anything and returns every error at once (valid.Errors): the rules of
// every need, the contact, and the public form's own (checkPublic). Submit
// applies the same checks.
func (s *Service) CheckSubmission(ctx context.Context, in Input) error {
	_, errs, err := s.checkSubmission(ctx, in)
	if err != nil {
		return err
	}
	return errs.Err()
}

func (s *Service) checkSubmission(ctx context.Context, in Input) (Input, valid.Errors, error) {
	c, err := s.checker(ctx, s.db)
	if err != nil {
		return in, nil, err
	}
	in, errs := c.normalise(in, true)
	if in.Requester == "epci" && !errs.Has("commune") {
		if place, _ := s.geo.Commune(in.Commune); place.EPCISIREN == "" {
			errs.Add("requester", "cette commune n’appartient à aucune intercommunalité")
		}
	}
	checkPublic(&errs, in, date.Of(s.now().In(date.Paris())))
	return in, errs, nil
}

// FormDefaults returns what the public form can fill in for a signed-in
// requester: the INSEE code of their commune ("" for an intercommunality,
// or for anyone else).
func (s *Service) FormDefaults(ctx context.Context, actor access.Actor) (string, error) {
	if !actor.Is(access.Requester) || actor.OrganisationID == 0 {
		return "", nil
	}
	org, err := organisation.Get(ctx, s.db, actor.OrganisationID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return org.INSEECode, err
}
