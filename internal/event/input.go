package event

import (
	"context"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"vivier/internal/fr"
	"vivier/internal/markdown"
	"vivier/internal/valid"
)

// Limits of an event's fields.
const (
	MaxTitle    = 200
	MaxText     = 300
	MaxCapacity = 100000
)

// Input is an event as staff write it.
type Input struct {
	Title       string
	Kind        Kind
	Description string // Markdown
	StartsAt    time.Time
	EndsAt      time.Time
	Commune     string // INSEE code, "" online
	Address     string
	OnlineURL   string
	Capacity    int
	// Deadline closes registrations and promotions; zero: the start.
	Deadline        time.Time
	Audience        Audience // "" is Public
	Followup        string
	AttendanceShare int     // percent; 0 is 50
	Partners        []int64 // organisations of kind partenaire
	region          string
}

// text checks a short text field: valid UTF-8, no control character, at
// most max characters.
func text(errs *valid.Errors, field, s string, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		errs.Add(field, "le texte contient des caractères illisibles (octets invalides ou nuls)")
	case utf8.RuneCountInString(s) > max:
		errs.Add(field, "%s caractères au plus (ici %s)", fr.Int(int64(max)), fr.Int(int64(utf8.RuneCountInString(s))))
	}
	return s
}

// webURL checks an http(s) link.
func webURL(errs *valid.Errors, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 1000 {
		errs.Add(field, "le lien doit être une adresse web complète, commençant par https://")
	}
	return s
}

// normalise cleans in and returns every invalid value, in field order.
func (s *Service) normalise(ctx context.Context, in Input) (Input, error) {
	var errs valid.Errors
	in.Title = text(&errs, "title", in.Title, MaxTitle)
	if in.Title == "" && !errs.Has("title") {
		errs.Add("title", "donnez un titre à l’événement")
	}
	if in.Kind == "" {
		in.Kind = Webinar
	}
	if !in.Kind.Valid() {
		errs.Add("kind", "type inconnu : webinar, forum, meeting ou visit")
	}
	in.Description = strings.ReplaceAll(in.Description, "\r\n", "\n")
	if !utf8.ValidString(in.Description) || strings.ContainsRune(in.Description, 0) {
		errs.Add("description", "le texte contient des caractères illisibles (octets invalides ou nuls)")
	} else if len(in.Description) > markdown.MaxSource {
		errs.Add("description", "la description est trop longue (200 Ko au plus)")
	}
	switch {
	case in.StartsAt.IsZero():
		errs.Add("starts_at", "indiquez le début de l’événement")
	case in.StartsAt.Year() < 2000 || in.StartsAt.Year() > 2100:
		errs.Add("starts_at", "date de début invraisemblable")
	}
	switch {
	case in.EndsAt.IsZero():
		errs.Add("ends_at", "indiquez la fin de l’événement")
	case !in.StartsAt.IsZero() && !in.EndsAt.After(in.StartsAt):
		errs.Add("ends_at", "la fin doit suivre le début")
	case in.EndsAt.Sub(in.StartsAt) > 31*24*time.Hour:
		errs.Add("ends_at", "un événement dure un mois au plus")
	}
	in.StartsAt, in.EndsAt = in.StartsAt.UTC(), in.EndsAt.UTC()
	in.Commune = strings.ToUpper(strings.TrimSpace(in.Commune))
	if in.Commune != "" {
		if c, ok := s.geo.Commune(in.Commune); ok {
			in.region = c.RegionCode
		} else {
			errs.Add("commune", "aucune commune n’a le code INSEE « %s »", in.Commune)
		}
	}
	in.Address = text(&errs, "address", in.Address, MaxText)
	in.OnlineURL = webURL(&errs, "online_url", in.OnlineURL)
	if in.Commune == "" && in.OnlineURL == "" && !errs.Has("commune") && !errs.Has("online_url") {
		errs.Add("commune", "indiquez le lieu (une commune) ou le lien de l’événement en ligne")
	}
	if in.Capacity < 1 || in.Capacity > MaxCapacity {
		errs.Add("capacity", "la capacité est un nombre de places entre 1 et %s", fr.Int(MaxCapacity))
	}
	if in.Deadline.IsZero() {
		in.Deadline = in.StartsAt
	} else if in.Deadline.After(in.EndsAt) && !in.EndsAt.IsZero() {
		errs.Add("deadline", "la clôture des inscriptions doit précéder la fin de l’événement")
	}
	in.Deadline = in.Deadline.UTC()
	if in.Audience == "" {
		in.Audience = Public
	}
	if in.Audience != Public && in.Audience != MembersOnly {
		errs.Add("audience", "public inconnu : public ou members")
	}
	in.Followup = text(&errs, "followup", in.Followup, 2000)
	if in.AttendanceShare == 0 {
		in.AttendanceShare = 50
	}
	if in.AttendanceShare < 1 || in.AttendanceShare > 100 {
		errs.Add("attendance_share", "la part de présence est un pourcentage entre 1 et 100")
	}
	for _, p := range in.Partners {
		var kind string
		if err := s.db.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = $1`, p).Scan(&kind); err != nil || kind != "partenaire" {
			errs.Add("partners", "l’organisation n° %d n’est pas un membre associé", p)
			break
		}
	}
	return in, errs.Err()
}

// RegistrationInput is what a person gives to register.
type RegistrationInput struct {
	Email        string
	Name         string
	Organisation string
	// Consent is the wording the person accepted on the form, recorded
	// with the registration ("" through the API, whose client collects it).
	Consent string
}

func normaliseRegistration(in RegistrationInput) (RegistrationInput, error) {
	var errs valid.Errors
	in.Email = strings.ToLower(text(&errs, "email", in.Email, 254))
	if in.Email == "" {
		if !errs.Has("email") {
			errs.Add("email", "indiquez votre adresse électronique")
		}
	} else if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
		errs.Add("email", "adresse électronique invalide : elle s’écrit nom@domaine.fr")
	}
	in.Name = text(&errs, "name", in.Name, MaxTitle)
	if in.Name == "" && !errs.Has("name") {
		errs.Add("name", "indiquez votre nom")
	}
	in.Organisation = text(&errs, "organisation", in.Organisation, MaxTitle)
	return in, errs.Err()
}

// CheckRegistration returns the errors of a registration's fields, for a
// form to show them all at once with its own.
func CheckRegistration(in RegistrationInput) error {
	_, err := normaliseRegistration(in)
	return err
}
