package training

import (
	"context"
	"fmt"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/pdf"
	"vivier/internal/store"
)

// hoursText writes hours in French: « 7 h », « 10,5 h ».
func hoursText(h float64) string {
	if h == float64(int(h)) {
		return fr.Int(int64(h)) + " h"
	}
	return fr.Decimal(h, 1) + " h"
}

// SheetPDF is the sign-in sheet of a session: for each trainee and
// half-day, the instant of the signature; the trainer's countersignature
// under each half-day.
func (s *Service) SheetPDF(ctx context.Context, sessionID int64, actor access.Actor) ([]byte, error) {
	sh, err := s.Sheet(ctx, sessionID, actor)
	if err != nil {
		return nil, err
	}
	return sh.PDF(s.body)
}

// PDF writes the sheet.
func (sh Sheet) PDF(body Body) ([]byte, error) {
	d := pdf.New(pdf.Options{Title: "Feuille d’émargement — " + sh.Training.Title, Header: body.Name, Author: body.Name,
		Subject: "Feuille d’émargement"})
	place := "en ligne"
	if sh.Session.Address != "" || sh.Session.Commune != "" {
		place = strings.Trim(sh.Session.Address+" "+sh.Session.Commune, " ")
	}
	d.Facts([2]string{"Formation", sh.Training.Title}, [2]string{"Formateur", sh.Session.Trainer},
		[2]string{"Dates", fr.Date(date.Of(sh.Session.Start().In(date.Paris()))) + " – " + fr.Date(date.Of(sh.Session.End().In(date.Paris())))},
		[2]string{"Lieu", place}, [2]string{"Durée prévue", hoursText(sh.Session.Hours())})
	const perTable = 4
	for from := 0; from < len(sh.Session.HalfDays); from += perTable {
		days := sh.Session.HalfDays[from:min(from+perTable, len(sh.Session.HalfDays))]
		header := []string{"Stagiaire"}
		widths := []float64{0.32}
		for _, h := range days {
			header = append(header, h.Label())
			widths = append(widths, 0.68/float64(len(days)))
		}
		var rows [][]string
		for _, en := range sh.Trainees {
			row := []string{en.Name + "\n" + en.Organisation}
			for _, h := range days {
				if g, ok := sh.Signed(en.ID, h.ID); ok {
					row = append(row, "signé le "+fr.DateTime(g.SignedAt)+"\n("+g.IP+")")
				} else {
					row = append(row, "absent")
				}
			}
			rows = append(rows, row)
		}
		trainer := []string{"Formateur : " + sh.Session.Trainer}
		for _, h := range days {
			if h.CountersignedAt != nil {
				trainer = append(trainer, "contresigné le "+fr.DateTime(*h.CountersignedAt))
			} else {
				trainer = append(trainer, "à contresigner")
			}
		}
		rows = append(rows, trainer)
		d.Table(header, rows, widths)
	}
	d.Paragraph("Chaque signature est faite par le stagiaire sur son propre appareil (lien personnel ou code QR affiché en salle) ; l’instant et l’adresse de l’appareil sont enregistrés.")
	return d.Bytes()
}

// Certificate is the certificate of completion of enrolment id, for staff.
func (s *Service) Certificate(ctx context.Context, enrolmentID int64, actor access.Actor) ([]byte, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	list, err := queryEnrolments(ctx, s.db, "e.id = $1", enrolmentID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, store.NotFound("enrolment %d", enrolmentID)
	}
	return s.certificate(ctx, list[0])
}

// TraineeCertificate is the certificate of the trainee of a personal link,
// once their session has ended.
func (s *Service) TraineeCertificate(ctx context.Context, token string, actor access.Actor) ([]byte, error) {
	en, sess, _, err := s.Trainee(ctx, token)
	if err != nil {
		return nil, err
	}
	if s.now().Before(sess.End()) {
		return nil, access.Errorf(access.Conflict, "l’attestation est délivrée à la fin de la session, le %s", fr.DateTime(sess.End()))
	}
	return s.certificate(ctx, en)
}

func (s *Service) certificate(ctx context.Context, en Enrolment) ([]byte, error) {
	sh, err := s.sheet(ctx, en.SessionID)
	if err != nil {
		return nil, err
	}
	if en.Status != Confirmed {
		return nil, access.Errorf(access.Conflict, "l’inscription est %s : pas d’attestation", en.Status.Label())
	}
	t, sess := sh.Training, sh.Session
	d := pdf.New(pdf.Options{Title: "Attestation de fin de formation", Header: s.body.Name, Author: s.body.Name, Subject: t.Title})
	d.Paragraph(s.body.Name + "\n" + s.body.Address + "\n" + s.body.Declaration)
	who := en.Name
	if en.Organisation != "" {
		who += " (" + en.Organisation + ")"
	}
	from, to := date.Of(sess.Start().In(date.Paris())), date.Of(sess.End().In(date.Paris()))
	when := "le " + fr.Date(from)
	if from != to {
		when = "du " + fr.Date(from) + " au " + fr.Date(to)
	}
	d.Paragraph(fmt.Sprintf("Nous attestons que %s a suivi la formation %s, %s.", who, fr.Quote(t.Title), when))
	attended := sh.AttendedHours(en.ID)
	d.Facts([2]string{"Heures suivies", hoursText(attended) + " sur " + hoursText(sess.Hours()) + " (relevées sur la feuille d’émargement)"},
		[2]string{"Formateur", sess.Trainer}, [2]string{"Modalité", map[bool]string{true: "à distance", false: "en présentiel"}[sess.Commune == ""]})
	if objs := t.ObjectiveList(); len(objs) > 0 {
		d.Heading("Objectifs de la formation")
		d.Paragraph("• " + strings.Join(objs, "\n• "))
	}
	d.Paragraph(fmt.Sprintf("Fait pour servir et valoir ce que de droit, le %s.\nPour %s", fr.Date(date.Of(s.now().In(date.Paris()))), s.body.Name))
	return d.Bytes()
}
