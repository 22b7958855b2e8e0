package network

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/pdf"
)

// Federation is the name the federation's documents carry.
const Federation = "Fédération des agences de développement économique"

// CallPDF returns the « appel de cotisation » of membership id as a PDF,
// with its file name; staff and the staff of its organisation may read it,
// whatever the membership's status (it is what they pay from).
func (s *Service) CallPDF(ctx context.Context, id int64, actor access.Actor) ([]byte, string, error) {
	m, err := s.Membership(ctx, id, actor)
	if err != nil {
		return nil, "", err
	}
	v, err := s.getMember(ctx, s.db, m.OrgID)
	if err != nil {
		return nil, "", err
	}
	st, err := loadSettings(ctx, s.db)
	if err != nil {
		return nil, "", err
	}
	doc, err := callDocument(m, v, st, s.today())
	if err != nil {
		return nil, "", err
	}
	name := fmt.Sprintf("appel-cotisation-%d-%s.pdf", m.Year, Slug(m.OrgName))
	return doc, name, nil
}

// callDocument writes the call for fees of m, a membership of member v.
func callDocument(m Membership, v Member, st Settings, today date.Date) ([]byte, error) {
	d := pdf.New(pdf.Options{Title: fmt.Sprintf("Appel de cotisation %d", m.Year), Header: Federation, Author: Federation,
		Subject: "Appel de cotisation " + m.OrgName})
	issued := today
	if m.CalledAt != nil {
		issued = date.Of(m.CalledAt.In(date.Paris()))
	}
	invoice := m.InvoiceNumber
	if invoice == "" {
		invoice = "attribué à l’envoi de l’appel"
	}
	d.Paragraph(Federation + "\nRéseau des agences de développement économique et des collectivités adhérentes")
	d.Heading("Destinataire")
	to := m.OrgName
	if v.Address != "" {
		to += "\n" + v.Address
	}
	if m.SIREN != "" {
		to += "\nSIREN " + FormatSIREN(m.SIREN)
	}
	d.Paragraph(to)
	facts := [][2]string{
		{"Référence", invoice},
		{"Date", fr.Date(issued)},
		{"Année d’adhésion", fmt.Sprint(m.Year)},
		{"Assiette déclarée", m.BasisKind.Label() + " : " + m.BasisKind.Amount(m.Basis)},
	}
	if !m.DueOn.IsZero() {
		facts = append(facts, [2]string{"À régler avant le", fr.Date(m.DueOn)})
	}
	d.Facts(facts...)
	d.Heading("Calcul de la cotisation")
	d.Paragraph("Barème " + fmt.Sprint(m.Year) + " : " + m.Formula + ".")
	if m.Overridden() {
		d.Paragraph(fmt.Sprintf("Montant fixé par la fédération : %s (barème : %s). Motif : %s.", fr.Euros(m.Fee), fr.Euros(m.ComputedFee), m.OverrideReason))
	}
	d.Table([]string{"Désignation", "Montant"}, [][]string{
		{fmt.Sprintf("Cotisation %d au réseau — %s", m.Year, m.OrgName), fr.Euros(m.Fee)},
		{"Total à régler (association non assujettie à la TVA)", fr.Euros(m.Fee)},
	}, []float64{0.72, 0.28})
	d.Heading("Règlement")
	d.Paragraph(fmt.Sprintf("Par virement ou mandat administratif à l’ordre de la %s, en rappelant la référence %s. "+
		"Le paiement ouvre à votre équipe l’espace des adhérents pour l’année %d.", Federation, invoice, m.Year))
	switch m.Status {
	case Paid:
		d.Paragraph(fmt.Sprintf("Réglée le %s par %s. Merci !", fr.Date(m.PaidOn), m.PaymentMode.Label()))
	case Lapsed:
		d.Paragraph("Cette cotisation n’a pas été réglée à temps : l’adhésion a expiré. Elle reprend dès le paiement enregistré.")
	default:
		d.Paragraph(fmt.Sprintf("Après le %s, les adhérents de l’an dernier qui n’ont pas réglé perdent l’accès à l’espace des adhérents, qu’ils retrouvent dès le paiement.",
			fr.Date(st.GraceEnd(m.Year))))
	}
	return d.Bytes()
}

// FormatSIREN writes a SIREN in groups of three digits: « 732 829 320 ».
func FormatSIREN(siren string) string {
	if len(siren) != 9 {
		return siren
	}
	return siren[:3] + "\u00a0" + siren[3:6] + "\u00a0" + siren[6:]
}

// Slug makes a file or host name part of a name: lower case letters and
// digits, accents dropped, hyphens between words, 60 bytes at most
// (« Agence d’attractivité de la Loire » → agence-d-attractivite-de-la-loire).
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case r >= 0x300 && r <= 0x36f: // a combining accent
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	if s == "" {
		return "adherent"
	}
	return s
}
