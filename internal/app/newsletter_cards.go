package app

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/newsletter"
)

// newsletterCards lets a campaign name an event or a publication by its
// number: the card shows what anyone may see of it (its public page is
// where the link leads), so an event or a publication kept to members is
// « not found » there.
func (a *App) newsletterCards(base string) newsletter.CardSource {
	base = strings.TrimRight(base, "/")
	anyone := access.Actor{}
	return func(ctx context.Context, kind string, id int64) (newsletter.Card, error) {
		if kind == "publication" {
			p, err := a.Publications.Get(ctx, id, anyone)
			if err != nil {
				return newsletter.Card{}, err
			}
			detail := upperFirst(p.Kind.Label()) + " · " + fr.Date(p.PublishedOn)
			if s := strings.TrimSpace(p.Summary); s != "" {
				detail = shorten(s, 200)
			}
			return newsletter.Card{Title: p.Title, Detail: detail, URL: fmt.Sprintf("%s/publications/%d", base, id)}, nil
		}
		e, err := a.Events.Get(ctx, id, anyone)
		if err != nil {
			return newsletter.Card{}, err
		}
		place := "en ligne"
		if !e.Online() && e.Address != "" {
			place = e.Address
		}
		return newsletter.Card{Title: e.Title, Detail: upperFirst(e.Kind.Label()) + " · " + e.When() + " · " + place,
			URL: fmt.Sprintf("%s/evenements/%d", base, id)}, nil
	}
}

// shorten cuts s to n characters at a word, with an ellipsis.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// upperFirst writes the first letter of s in capital.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
