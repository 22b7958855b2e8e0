// Package organisation owns the organisations that request needs, employ
// experts or belong to the network: communes and EPCI, always created from
// the geography reference (internal/geo) and never typed by hand, and
// agencies, the State, partners and others, entered by coordinators with a
// SIREN checked by its Luhn digit.
package organisation

import (
	"fmt"
	"strings"
)

// Kind is what an organisation is.
type Kind string

// The kinds of organisation.
const (
	Commune     Kind = "commune"
	EPCI        Kind = "epci"
	Departement Kind = "departement"
	Region      Kind = "region"
	Agence      Kind = "agence"
	Etat        Kind = "etat"
	Partenaire  Kind = "partenaire"
	Autre       Kind = "autre"
)

// Kinds lists every kind, communes and EPCI first.
func Kinds() []Kind {
	return []Kind{Commune, EPCI, Departement, Region, Agence, Etat, Partenaire, Autre}
}

// Label returns the kind in French.
func (k Kind) Label() string {
	switch k {
	case Commune:
		return "Commune"
	case EPCI:
		return "Intercommunalité (EPCI)"
	case Departement:
		return "Département"
	case Region:
		return "Région"
	case Agence:
		return "Agence de développement"
	case Etat:
		return "Service de l'État"
	case Partenaire:
		return "Partenaire"
	case Autre:
		return "Autre"
	}
	return string(k)
}

// FromReference reports whether organisations of this kind come from the
// geography reference rather than from a form.
func (k Kind) FromReference() bool { return k == Commune || k == EPCI }

func (k Kind) valid() bool { return k.Label() != string(k) }

// Organisation is a commune, an EPCI, an agency…
type Organisation struct {
	ID        int64
	Kind      Kind
	Name      string
	SIREN     string // "" when unknown
	INSEECode string // the commune's INSEE code for a commune, else ""
}

// CheckSIREN returns what is wrong with a SIREN, or "" when it is nine
// digits whose Luhn check holds. Spaces are allowed between digit groups
// ("213 901 231") and must be removed by the caller with NormalizeSIREN.
func CheckSIREN(siren string) string {
	if len(siren) != 9 || strings.Trim(siren, "0123456789") != "" {
		return fmt.Sprintf("le SIREN %q doit compter 9 chiffres", siren)
	}
	if !luhn(siren) {
		return fmt.Sprintf("le SIREN %s n’existe pas : sa clé de contrôle est fausse (faute de frappe ?)", siren)
	}
	return ""
}

// NormalizeSIREN removes the spaces and dots people type between groups.
func NormalizeSIREN(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// luhn checks the Luhn digit of a string of digits: from the right, every
// second digit is doubled (minus 9 past 9) and the sum must end in 0.
func luhn(digits string) bool {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
