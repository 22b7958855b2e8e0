package network

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/tabular"
)

// ExportColumns are the columns of the memberships export.
var ExportColumns = []string{"annee", "organisation", "siren", "type", "statut", "assiette", "base_declaree", "cotisation_calculee",
	"formule", "cotisation", "motif_ajustement", "facture", "appel_le", "echeance", "relance_le", "paye_le", "mode_paiement"}

// ExportMemberships writes the memberships of year in format "csv"
// (UTF-8, comma) or "xlsx", one line each by organisation name, formula-
// like cells neutralised; it returns how many it wrote. Staff only.
func (s *Service) ExportMemberships(ctx context.Context, w io.Writer, year int, format string, actor access.Actor) (int, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	if format != "csv" && format != "xlsx" {
		return 0, fieldError("format", "format %s : csv ou xlsx", fr.Quote(format))
	}
	list, err := s.queryMemberships(ctx, s.db, `ms.year = $1`, year)
	if err != nil {
		return 0, err
	}
	rows := make([][]string, len(list))
	for i, m := range list {
		rows[i] = []string{strconv.Itoa(m.Year), m.OrgName, m.SIREN, string(m.OrgKind), string(m.Status), string(m.BasisKind),
			strconv.FormatInt(m.Basis, 10), strconv.FormatInt(m.ComputedFee, 10), m.Formula, strconv.FormatInt(m.Fee, 10), m.OverrideReason,
			m.InvoiceNumber, day(m.CalledAt), m.DueOn.String(), day(m.RemindedAt), m.PaidOn.String(), string(m.PaymentMode)}
	}
	if format == "xlsx" {
		return len(rows), tabular.WriteXLSX(w, fmt.Sprintf("cotisations %d", year), ExportColumns, rows)
	}
	return len(rows), tabular.WriteCSV(w, ExportColumns, rows)
}
