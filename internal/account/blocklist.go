package account

import (
	"bufio"
	"embed"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// passwordLists are the embedded blocklists; passwords/SOURCE.md says where
// they come from and under which licence.
//
//go:embed passwords/common.txt passwords/fr.txt
var passwordLists embed.FS

var blocklist = sync.OnceValue(loadBlocklist)

// loadBlocklist reads both lists into a set of their cores (see core).
func loadBlocklist() map[string]bool {
	set := map[string]bool{}
	for _, name := range []string{"passwords/common.txt", "passwords/fr.txt"} {
		f, err := passwordLists.Open(name)
		if err != nil {
			panic(err) // embedded: cannot happen
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			set[core(line)] = true
		}
		f.Close()
	}
	delete(set, "")
	return set
}

// core is what a password is compared by: lower case, accents removed,
// leading and trailing digits and symbols stripped ("Marseille2024!" →
// "marseille"). A password of digits and symbols only is its own core.
func core(password string) string {
	s := strings.ToLower(password)
	if folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s); err == nil {
		s = folded
	}
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	if trimmed := strings.TrimFunc(s, notLetter); trimmed != "" {
		return trimmed
	}
	return s
}

// CheckPassword tells whether password may be chosen, with a French message
// naming the rule it breaks: at least MinPasswordLength characters, not a
// common password or a common word padded with digits, not built on the
// user's own email or name, at least 5 different characters. There is no
// composition rule (no forced digit or symbol).
func CheckPassword(password, email, name string) error {
	n := len([]rune(password))
	switch {
	case n < MinPasswordLength:
		return fieldErr("password", "Le mot de passe doit compter au moins 12 caractères.")
	case len(password) > MaxPasswordLength:
		return fieldErr("password", "Le mot de passe est trop long (256 caractères au plus).")
	case distinct(password) < 5:
		return fieldErr("password", "Ce mot de passe répète trop les mêmes caractères.")
	}
	c := core(password)
	if blocklist()[c] {
		return fieldErr("password", "Ce mot de passe est trop courant : choisissez-en un autre, par exemple une phrase de quelques mots.")
	}
	local, _, _ := strings.Cut(NormaliseEmail(email), "@")
	for _, own := range []string{core(local), core(name), core(strings.ReplaceAll(name, " ", ""))} {
		if len(own) >= 4 && strings.Contains(c, own) && len(c)-len(own) < 6 {
			return fieldErr("password", "Le mot de passe ne doit pas reprendre votre nom ou votre adresse électronique.")
		}
	}
	return nil
}

func distinct(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}
