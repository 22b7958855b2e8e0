package account

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"vivier/internal/store"
)

// The anonymous visitor's CSRF token is made and signed by the server: a
// random value and its HMAC under a key kept in the settings table (so
// that every instance on one database accepts the tokens of the others).
// A value a client made up, or planted in a cookie, does not verify and is
// replaced.

const csrfKeySetting = "security.csrf_key"

// signer holds the signing key once read.
type signer struct {
	mu  sync.Mutex
	key []byte
}

func (s *Service) csrfKey(ctx context.Context) ([]byte, error) {
	s.signing.mu.Lock()
	defer s.signing.mu.Unlock()
	if s.signing.key != nil {
		return s.signing.key, nil
	}
	fresh := make([]byte, 32)
	rand.Read(fresh)
	v, err := store.SettingOnce(ctx, s.db, csrfKeySetting, `"`+hex.EncodeToString(fresh)+`"`, s.now())
	if err != nil {
		return nil, fmt.Errorf("CSRF signing key: %w", err)
	}
	key, err := hex.DecodeString(strings.Trim(v, `"`))
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("CSRF signing key: malformed setting %s", csrfKeySetting)
	}
	s.signing.key = key
	return key, nil
}

// NewAnonymousCSRF returns a new signed token for a visitor without a
// session.
func (s *Service) NewAnonymousCSRF(ctx context.Context) (string, error) {
	key, err := s.csrfKey(ctx)
	if err != nil {
		return "", err
	}
	b := make([]byte, 24)
	rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	return nonce + "." + csrfMAC(key, nonce), nil
}

// ValidAnonymousCSRF reports whether token is one NewAnonymousCSRF made.
func (s *Service) ValidAnonymousCSRF(ctx context.Context, token string) (bool, error) {
	nonce, mac, ok := strings.Cut(token, ".")
	if !ok || len(token) > 100 {
		return false, nil
	}
	key, err := s.csrfKey(ctx)
	if err != nil {
		return false, err
	}
	return hmac.Equal([]byte(mac), []byte(csrfMAC(key, nonce))), nil
}

func csrfMAC(key []byte, nonce string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csrf:" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}
