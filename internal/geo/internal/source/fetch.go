package source

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
)

// The pinned upstream. To move to a new vintage, change these together (the
// integrity is the "dist.integrity" field the npm registry publishes for the
// version, `npm view @etalab/decoupage-administratif@VERSION dist`) and run
// go generate ./internal/geo.
const (
	Name       = "@etalab/decoupage-administratif"
	Version    = "6.0.0"
	TarballURL = "https://registry.npmjs.org/@etalab/decoupage-administratif/-/decoupage-administratif-6.0.0.tgz"
	Integrity  = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
)

// maxTarball bounds the download: the 6.0.0 tarball is 1.6 MB.
const maxTarball = 64 << 20

// Download fetches the pinned tarball from the npm registry and verifies it.
func Download(ctx context.Context) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, TarballURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("source: download %s: %s", TarballURL, resp.Status)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxTarball+1))
	if err != nil {
		return nil, fmt.Errorf("source: download %s: %w", TarballURL, err)
	}
	if len(raw) > maxTarball {
		return nil, fmt.Errorf("source: download %s: larger than %d bytes", TarballURL, maxTarball)
	}
	return raw, Verify(raw)
}

// Verify checks a tarball against the pinned Subresource-Integrity string, so
// a changed or corrupted tarball can never silently change the data.
func Verify(raw []byte) error {
	sum := sha512.Sum512(raw)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != Integrity {
		return fmt.Errorf("source: tarball integrity mismatch: got %s, want %s", got, Integrity)
	}
	return nil
}
