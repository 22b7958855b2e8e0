// Command gen builds Vivier's embedded geography data from the npm package
// @etalab/decoupage-administratif.
//
// It is run by "go generate ./internal/geo". It downloads the package tarball
// of a pinned version from the npm registry, checks it against the pinned
// sha512 integrity (both in internal/geo/internal/source), and writes
// data/geo.tsv and data/SOURCE.md. The same tarball always yields
// byte-identical files, so re-running it leaves no diff.
//
// Usage:
//
//	go run ./internal/gen [-tarball FILE] [-dir data]
//
// With -tarball, a local copy of the tarball is used instead of the network;
// it is checked against the same integrity.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"vivier/internal/geo/internal/source"
)

func main() {
	tarball := flag.String("tarball", "", "read the package tarball from this file instead of downloading it")
	dir := flag.String("dir", "data", "directory to write geo.tsv and SOURCE.md into")
	flag.Parse()
	if err := run(*tarball, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(tarball, dir string) error {
	raw, err := readTarball(tarball)
	if err != nil {
		return err
	}
	pkg, err := source.ReadTarGz(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var tsv bytes.Buffer
	if err := writeTSV(&tsv, pkg, source.Name+"@"+source.Version); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "geo.tsv"), tsv.Bytes(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "SOURCE.md"), []byte(sourceNote()), 0o644)
}

func readTarball(path string) ([]byte, error) {
	if path == "" {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		return source.Download(ctx)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return raw, source.Verify(raw)
}

func sourceNote() string {
	return `# Source of geo.tsv

geo.tsv is generated: do not edit it by hand. Regenerate it with

    go generate ./internal/geo

which runs internal/geo/internal/gen. The generator downloads the tarball
below from the npm registry, refuses it unless its sha512 matches the pinned
integrity, and rewrites geo.tsv and this file. The same tarball always gives
byte-identical files.

| | |
|---|---|
| package | ` + "`" + source.Name + "`" + ` |
| version | ` + source.Version + ` (data vintage 2026, per the package README) |
| tarball | ` + source.TarballURL + ` |
| integrity | ` + "`" + source.Integrity + "`" + ` |
| files read | data/regions.json, data/departements.json, data/epci.json, data/communes.json |

## Licence

As stated in the package's README: the data are under the Licence Ouverte
(Etalab open licence, https://www.etalab.gouv.fr/licence-ouverte-open-licence);
the package's code is under the MIT licence ("Copyright (c) 2018-2019
Etalab"). Attribution: Etalab, @etalab/decoupage-administratif.

The package README lists its upstream sources: INSEE's Code officiel
géographique and légal populations (with INSEE's 2017 count for Mayotte and
the COM populations), the DGCL's list and composition of EPCI à fiscalité
propre (epcicom2026.xlsx), and La Poste's base officielle des codes postaux.

## What is kept

- Regions and départements: all entries, including the collectivités
  d'outre-mer that the package lists as both (975, 977, 978, 984, 986, 987,
  988, 989).
- Communes: type commune-actuelle, with population (0 where the package has
  none), SIREN, postal codes and the EPCI whose members list them.
- Arrondissements municipaux of Paris, Lyon and Marseille: kept, with their
  parent commune.
- Communes déléguées and associées: dropped (see the package doc of
  internal/geo).
- EPCI: all entries, with their kind; membership is recorded on the member
  communes.
`
}
