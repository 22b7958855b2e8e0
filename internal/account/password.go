package account

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the cost parameters of argon2id. They are written into
// every hash, so raising them later still verifies old hashes (and a login
// rehashes a password whose parameters are below the current ones).
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultArgon2 is measured on the development machine (2 cores, shared) at
// about 70 ms a hash: see docs/security.md and BenchmarkHashPassword. 64 MiB
// and 2 passes sit above OWASP's minimum for argon2id (19 MiB, 2 passes).
var DefaultArgon2 = Argon2Params{Memory: 64 * 1024, Time: 2, Threads: 2, KeyLen: 32, SaltLen: 16}

// MinPasswordLength is the only composition rule: length, counted in
// characters (runes), as NIST SP 800-63B and the ANSSI recommend.
const MinPasswordLength = 12

// MaxPasswordLength bounds the work of one hash.
const MaxPasswordLength = 256

// HashPassword returns the PHC string of password under p:
// $argon2id$v=19$m=65536,t=2,p=2$SALT$HASH.
func HashPassword(password string, p Argon2Params) string {
	salt := make([]byte, p.SaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether password matches the PHC string hash, and
// whether the hash should be recomputed with p (its parameters are weaker).
func VerifyPassword(password, hash string, p Argon2Params) (ok, rehash bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, false
	}
	var version int
	var hp Argon2Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &hp.Memory, &hp.Time, &hp.Threads); err != nil {
		return false, false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, false
	}
	got := argon2.IDKey([]byte(password), salt, hp.Time, hp.Memory, hp.Threads, uint32(len(want)))
	if !sameSecret(string(got), string(want)) {
		return false, false
	}
	return true, hp.Memory < p.Memory || hp.Time < p.Time
}

// dummyHash is verified against when an email has no account, so that a
// login takes as long whether or not the account exists. It costs what a
// real hash of the service costs, and is computed on the first login that
// needs it (not at start: `vivier version` has no business hashing 64 MiB).
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy = HashPassword("vivier-no-such-account", s.argon2) })
	return s.dummy
}
