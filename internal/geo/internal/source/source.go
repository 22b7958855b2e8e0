// Package source reads the JSON files of the npm package
// @etalab/decoupage-administratif, the upstream of Vivier's geography
// reference.
//
// It is shared by the generator, which turns the package into the embedded
// data file, and by the test that checks the embedded data against an
// extracted copy of the package, so both read the upstream files the same way.
package source

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Commune types used by the package in communes.json.
const (
	TypeCommune         = "commune-actuelle"
	TypeArrondissement  = "arrondissement-municipal"
	TypeCommuneDeleguee = "commune-deleguee"
	TypeCommuneAssociee = "commune-associee"
)

// Commune is one entry of data/communes.json. Only the fields Vivier uses are
// decoded.
type Commune struct {
	Code        string   `json:"code"`
	Name        string   `json:"nom"`
	Type        string   `json:"type"`
	Departement string   `json:"departement"`
	Region      string   `json:"region"`
	SIREN       string   `json:"siren"`
	PostalCodes []string `json:"codesPostaux"`
	// Population is absent for a few uninhabited territories (TAAF,
	// Clipperton) and for delegated and associated communes.
	Population *int `json:"population"`
	// Parent is the commune an arrondissement municipal belongs to.
	Parent string `json:"commune"`
	// ChefLieu is the commune a delegated or associated commune belongs to.
	ChefLieu string `json:"chefLieu"`
}

// EPCI is one entry of data/epci.json: an intercommunality with its own
// taxation ("EPCI à fiscalité propre").
type EPCI struct {
	SIREN   string   `json:"code"`
	Name    string   `json:"nom"`
	Type    string   `json:"type"`
	Members []Member `json:"membres"`
}

// Member is a commune listed as a member of an EPCI. Its name follows the
// DGCL's spelling, which sometimes differs from INSEE's: use the code.
type Member struct {
	Code  string `json:"code"`
	SIREN string `json:"siren"`
	Name  string `json:"nom"`
}

// Departement is one entry of data/departements.json.
type Departement struct {
	Code   string `json:"code"`
	Name   string `json:"nom"`
	Region string `json:"region"`
}

// Region is one entry of data/regions.json.
type Region struct {
	Code string `json:"code"`
	Name string `json:"nom"`
}

// Package holds the decoded data files of the package.
type Package struct {
	Communes     []Commune
	EPCI         []EPCI
	Departements []Departement
	Regions      []Region
}

// dataFiles are the paths, inside the package, of the data files Vivier
// reads.
var dataFiles = [...]string{
	"data/communes.json",
	"data/epci.json",
	"data/departements.json",
	"data/regions.json",
}

// ReadDir reads the data files from an extracted package directory, the one
// holding package.json.
func ReadDir(dir string) (*Package, error) {
	var p Package
	for _, name := range dataFiles {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return nil, err
		}
		err = p.decode(name, f)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// ReadTarGz reads the data files from the package tarball as published on
// the npm registry, where every path starts with "package/".
func ReadTarGz(r io.Reader) (*Package, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("source: tarball: %w", err)
	}
	defer zr.Close()
	var p Package
	found := make(map[string]bool)
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("source: tarball: %w", err)
		}
		name, ok := strings.CutPrefix(h.Name, "package/")
		if !ok || !slices.Contains(dataFiles[:], name) || h.Typeflag != tar.TypeReg {
			continue
		}
		if err := p.decode(name, tr); err != nil {
			return nil, err
		}
		found[name] = true
	}
	for _, name := range dataFiles {
		if !found[name] {
			return nil, fmt.Errorf("source: tarball has no package/%s", name)
		}
	}
	return &p, nil
}

func (p *Package) decode(name string, r io.Reader) error {
	var v any
	switch name {
	case "data/communes.json":
		v = &p.Communes
	case "data/epci.json":
		v = &p.EPCI
	case "data/departements.json":
		v = &p.Departements
	case "data/regions.json":
		v = &p.Regions
	default:
		return fmt.Errorf("source: unexpected file %s", name)
	}
	if err := json.NewDecoder(r).Decode(v); err != nil {
		return fmt.Errorf("source: %s: %w", name, err)
	}
	return nil
}
