package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"vivier/internal/expert"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// The coordinators' imports and exports. An uploaded file is checked and
// previewed without writing anything; when it is clean it is kept in the
// pending_uploads table under a random id until the coordinator confirms
// (or it expires), so that the confirmation may reach any instance sharing
// the database.

// MaxUploadSize bounds the body of an import upload: the file itself (at
// most expert.MaxWebImportSize, 20 MB) plus the multipart envelope.
const MaxUploadSize = expert.MaxWebImportSize + 64<<10

type importPage struct {
	Kind     string // experts or needs, after an upload
	Filename string
	Token    string // set when the file may be imported
	Experts  *expert.Report
	Needs    []need.Input
	Errors   []expert.RowError // the file's errors, by line and column (the first expert.MaxReportedErrors)
	More     int               // the errors beyond those listed
	Fields   valid.Errors      // the needs file's errors, by need and field
	Done     string            // the confirmation after an import
	Form     *Form
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "pool_import", s.page(r, "Importer et exporter", importPage{Form: &Form{}}))
}

// uploaded reads the file field of a multipart upload; ok is false when the
// answer was already written (too large, no file).
func (s *Server) uploaded(w http.ResponseWriter, r *http.Request, limit int64) (data []byte, name string, ok bool) {
	file, header, err := r.FormFile("file")
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.tooLarge(w, r, limit)
		return nil, "", false
	}
	if err != nil {
		f := &Form{}
		f.Add("file", "choisissez un fichier à importer")
		s.render(w, r, http.StatusUnprocessableEntity, "pool_import", s.page(r, "Importer et exporter", importPage{Form: f}))
		return nil, "", false
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		s.serverError(w, r, err)
		return nil, "", false
	}
	if int64(len(data)) > limit {
		s.tooLarge(w, r, limit)
		return nil, "", false
	}
	return data, header.Filename, true
}

// tooLarge answers an upload over limit with the import page and a message
// that says the limit and what to do (413).
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	f := &Form{}
	f.Add("file", fmt.Sprintf("le fichier dépasse %d Mo, la taille permise ici : découpez-le, ou importez-le en ligne de commande (vivier import experts FICHIER)", limit>>20))
	s.render(w, r, http.StatusRequestEntityTooLarge, "pool_import", s.page(r, "Fichier trop volumineux", importPage{Form: f}))
}

func (s *Server) previewExperts(w http.ResponseWriter, r *http.Request) {
	data, name, ok := s.uploaded(w, r, expert.MaxWebImportSize)
	if !ok {
		return
	}
	rep, err := s.deps.Experts.Preview(r.Context(), bytes.NewReader(data), expert.ImportOptions{Limit: expert.MaxWebImportSize}, httpkit.ActorOf(r))
	p := importPage{Kind: "experts", Filename: name, Experts: &rep, Form: &Form{}}
	var bad *expert.ImportError
	switch {
	case errors.As(err, &bad):
		p.Errors, p.More = bad.Errors, bad.More
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		p.Errors = rep.Errors
	}
	status := http.StatusUnprocessableEntity
	if len(p.Errors) == 0 {
		if p.Token, err = s.deps.Uploads.Keep(r.Context(), "experts", name, data, httpkit.ActorOf(r)); err != nil {
			s.serverError(w, r, err)
			return
		}
		status = http.StatusOK
	}
	s.render(w, r, status, "pool_import", s.page(r, "Aperçu de l’import", p))
}

func (s *Server) confirmExperts(w http.ResponseWriter, r *http.Request) {
	data, name, ok := s.takeUpload(w, r, "experts")
	if !ok {
		return
	}
	rep, err := s.deps.Experts.Import(r.Context(), bytes.NewReader(data), expert.ImportOptions{Limit: expert.MaxWebImportSize}, httpkit.ActorOf(r))
	p := importPage{Kind: "experts", Filename: name, Experts: &rep, Form: &Form{}}
	var bad *expert.ImportError
	if errors.As(err, &bad) {
		p.Errors, p.More = bad.Errors, bad.More
		s.render(w, r, http.StatusUnprocessableEntity, "pool_import", s.page(r, "Import refusé", p))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Done = "Import terminé : " + fr.Int(int64(rep.Created)) + " créés, " + fr.Int(int64(rep.Updated)) + " mis à jour, " + fr.Int(int64(rep.Unchanged)) + " inchangés."
	s.render(w, r, http.StatusOK, "pool_import", s.page(r, "Import terminé", p))
}

func (s *Server) previewNeeds(w http.ResponseWriter, r *http.Request) {
	data, name, ok := s.uploaded(w, r, need.MaxImportSize)
	if !ok {
		return
	}
	p := importPage{Kind: "needs", Filename: name, Form: &Form{}}
	ins, errs, err := s.deps.Needs.Preview(r.Context(), bytes.NewReader(data), need.MaxImportSize, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Needs, p.Fields = ins, errs
	status := http.StatusUnprocessableEntity
	if len(p.Fields) == 0 {
		if p.Token, err = s.deps.Uploads.Keep(r.Context(), "needs", name, data, httpkit.ActorOf(r)); err != nil {
			s.serverError(w, r, err)
			return
		}
		status = http.StatusOK
	}
	s.render(w, r, status, "pool_import", s.page(r, "Aperçu de l’import", p))
}

func (s *Server) confirmNeeds(w http.ResponseWriter, r *http.Request) {
	data, name, ok := s.takeUpload(w, r, "needs")
	if !ok {
		return
	}
	ids, err := s.deps.Needs.Import(r.Context(), bytes.NewReader(data), need.MaxImportSize, httpkit.ActorOf(r))
	p := importPage{Kind: "needs", Filename: name, Form: &Form{}}
	var bad *need.ImportError
	if errors.As(err, &bad) {
		p.Fields = bad.Errors
		s.render(w, r, http.StatusUnprocessableEntity, "pool_import", s.page(r, "Import refusé", p))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Done = "Import terminé : " + fr.Int(int64(len(ids))) + " besoins créés."
	s.render(w, r, http.StatusOK, "pool_import", s.page(r, "Import terminé", p))
}

// takeUpload removes and returns the pending file of the path's token, if it
// is the visitor's, of that kind and not expired; otherwise it answers with
// the import page and a message.
func (s *Server) takeUpload(w http.ResponseWriter, r *http.Request, kind string) ([]byte, string, bool) {
	name, data, err := s.deps.Uploads.Take(r.Context(), r.PathValue("token"), kind, httpkit.ActorOf(r))
	if errors.Is(err, store.ErrNotFound) {
		f := &Form{}
		f.Add("file", "ce fichier n’est plus en attente (déjà importé, ou l’aperçu date de plus d’une heure) : déposez-le de nouveau")
		s.render(w, r, http.StatusNotFound, "pool_import", s.page(r, "Importer et exporter", importPage{Form: f}))
		return nil, "", false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, "", false
	}
	return data, name, true
}

func (s *Server) exportExperts(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("format")
	if format != "xlsx" {
		format = "csv"
	}
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	var buf bytes.Buffer
	if _, err := s.deps.Experts.Export(r.Context(), &buf, format, httpkit.ActorOf(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="experts-`+time.Now().Format("2006-01-02")+`.`+format+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}
