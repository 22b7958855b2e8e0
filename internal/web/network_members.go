package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/network"
	"vivier/internal/organisation"
	"vivier/internal/skill"
	"vivier/internal/store"
)

// The forms of members: joining, the entry, the logo, the staff and
// referents, and the import of a members file.

// LogoUploadLimit bounds the body of a logo upload: the image (500 KB at
// most) and the multipart envelope.
const LogoUploadLimit = network.MaxLogoSize + 64<<10

// MembersUploadLimit bounds the body of a members file's upload.
const MembersUploadLimit = network.MaxImportSize + 64<<10

// memberFields are the fields of a member's entry form.
var memberFields = []string{"kind", "name", "siren", "basis", "address", "website", "email", "phone", "territory", "listed",
	"referent_name", "referent_email"}

// memberForm is the data of the join and edit forms.
type memberForm struct {
	Form    *Form
	Kinds   []option
	Themes  []themeChoice
	ID      int64 // 0 when joining
	Staff   bool  // the visitor is staff: name and SIREN may change
	Joining bool
}

// themeChoice is one theme's checkbox.
type themeChoice struct {
	Code, Label string
	Checked     bool
}

func (s *Server) memberFormOf(f *Form, themes []string, id int64, staff bool) memberForm {
	d := memberForm{Form: f, ID: id, Staff: staff, Joining: id == 0}
	for _, k := range network.JoiningKinds() {
		d.Kinds = append(d.Kinds, option{Value: string(k), Label: k.Label(), Selected: f.Value("kind") == string(k)})
	}
	for _, dom := range skill.Domains {
		checked := false
		for _, t := range themes {
			checked = checked || t == dom.Code
		}
		d.Themes = append(d.Themes, themeChoice{Code: dom.Code, Label: dom.Label, Checked: checked})
	}
	return d
}

// memberInputOf reads an entry form; a basis that is no whole number is
// an error on the form.
func memberInputOf(r *http.Request, f *Form) network.MemberInput {
	in := network.MemberInput{Name: f.Value("name"), SIREN: f.Value("siren"), Address: f.Value("address"), Website: f.Value("website"),
		Email: f.Value("email"), Phone: f.Value("phone"), Territory: network.SplitTerritory(f.Value("territory")),
		Themes: r.PostForm["themes"], Listed: f.Value("listed") == "oui"}
	if v := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, f.Value("basis")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.Add("basis", "écrivez un nombre entier, sans décimales ni unité")
		}
		in.Basis = n
	}
	return in
}

func (s *Server) joinForm(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string]string{"kind": string(organisation.Agence), "listed": "oui"}}
	s.render(w, r, http.StatusOK, "network_member_form", s.page(r, "Nouvel adhérent", s.memberFormOf(f, nil, 0, true)))
}

func (s *Server) join(w http.ResponseWriter, r *http.Request) {
	f := formOf(r, memberFields...)
	in := network.JoinInput{Kind: organisation.Kind(f.Value("kind")), MemberInput: memberInputOf(r, f),
		Referent: network.Invitation{Name: f.Value("referent_name"), Email: f.Value("referent_email")}}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.render(w, r, status, "network_member_form", s.page(r, "Nouvel adhérent", s.memberFormOf(f, in.Themes, 0, true)))
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	m, err := s.deps.Network.Join(r.Context(), in, httpkit.ActorOf(r))
	if err == nil {
		s.wakeMail()
	}
	s.answerForm(w, r, f, err, again, fmt.Sprintf("/reseau/adherents/%d?ok=member-joined", m.ID))
}

func (s *Server) editMemberForm(w http.ResponseWriter, r *http.Request) {
	v, ok := recordOf(s, w, r, s.deps.Network.Member)
	if !ok {
		return
	}
	if !v.Editable {
		s.render(w, r, http.StatusForbidden, "error", s.page(r, "Accès refusé",
			errorPage{Message: "Seuls la coordination et les référents de l’adhérent modifient sa fiche."}))
		return
	}
	listed := "non"
	if v.Listed {
		listed = "oui"
	}
	f := &Form{Values: map[string]string{"name": v.Name, "siren": v.SIREN, "basis": strconv.FormatInt(v.Basis, 10), "address": v.Address,
		"website": v.Website, "email": v.Email, "phone": v.Phone, "territory": strings.Join(v.Territory, " "), "listed": listed}}
	s.render(w, r, http.StatusOK, "network_member_form", s.page(r, "Modifier · "+v.Name, s.memberFormOf(f, v.Themes, v.ID, httpkit.ActorOf(r).Staff())))
}

func (s *Server) editMember(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	actor := httpkit.ActorOf(r)
	f := formOf(r, memberFields...)
	in := memberInputOf(r, f)
	if !actor.Staff() {
		// Referents do not see the organisation's name and SIREN fields.
		if v, err := s.deps.Network.Member(r.Context(), id, actor); err == nil {
			in.Name, in.SIREN = v.Name, v.SIREN
		}
	}
	again := func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.render(w, r, status, "network_member_form", s.page(r, "Modifier la fiche", s.memberFormOf(f, in.Themes, id, actor.Staff())))
	}
	if f.Failed() {
		again(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err := s.deps.Network.UpdateMember(r.Context(), id, in, actor)
	s.answerFormOrLapsed(w, r, f, err, again, fmt.Sprintf("/reseau/adherents/%d?ok=member-saved", id))
}

// answerFormOrLapsed is answerForm, with the network's refusal of a
// member no longer current shown as such.
func (s *Server) answerFormOrLapsed(w http.ResponseWriter, r *http.Request, f *Form, err error,
	again func(w http.ResponseWriter, r *http.Request, status int, f *Form), done string) {
	var nc *network.NotCurrentError
	if errors.As(err, &nc) {
		s.networkFail(w, r, err)
		return
	}
	s.answerForm(w, r, f, err, again, done)
}

func (s *Server) uploadLogo(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := &Form{Values: map[string]string{}}
	file, _, err := r.FormFile("logo")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		f.Add("logo", "le logo dépasse 500 Ko : réduisez l’image")
	case err != nil:
		f.Add("logo", "choisissez une image")
	}
	var data bytes.Buffer
	if err == nil {
		defer file.Close()
		if _, err := data.ReadFrom(file); err != nil {
			f.Add("logo", "le logo dépasse 500 Ko : réduisez l’image")
		}
	}
	if !f.Failed() {
		err = s.deps.Network.SetLogo(r.Context(), id, data.Bytes(), httpkit.ActorOf(r))
		if err == nil {
			redirect(w, r, fmt.Sprintf("/reseau/adherents/%d?ok=logo", id))
			return
		}
		if !f.Fail(err) {
			s.networkFail(w, r, err)
			return
		}
	}
	s.showMemberEdit(w, r, id, f)
}

// showMemberEdit shows the edit form again with the logo's errors.
func (s *Server) showMemberEdit(w http.ResponseWriter, r *http.Request, id int64, f *Form) {
	v, err := s.deps.Network.Member(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.networkFail(w, r, err)
		return
	}
	listed := "non"
	if v.Listed {
		listed = "oui"
	}
	for k, val := range map[string]string{"name": v.Name, "siren": v.SIREN, "basis": strconv.FormatInt(v.Basis, 10), "address": v.Address,
		"website": v.Website, "email": v.Email, "phone": v.Phone, "territory": strings.Join(v.Territory, " "), "listed": listed} {
		f.Values[k] = val
	}
	s.render(w, r, http.StatusUnprocessableEntity, "network_member_form", s.page(r, "Modifier · "+v.Name, s.memberFormOf(f, v.Themes, v.ID, httpkit.ActorOf(r).Staff())))
}

func (s *Server) inviteStaff(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "name", "email", "referent")
	_, err := s.deps.Network.InviteStaff(r.Context(), id, network.Invitation{Name: f.Value("name"), Email: f.Value("email"), Referent: f.Value("referent") == "oui"},
		httpkit.ActorOf(r))
	if err == nil {
		s.wakeMail()
	}
	s.answerFormOrLapsed(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showMember(w, r, status, f, "invite")
	}, fmt.Sprintf("/reseau/adherents/%d?ok=staff-invited", id))
}

func (s *Server) setReferent(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := formOf(r, "user", "on")
	user, _ := strconv.ParseInt(f.Value("user"), 10, 64)
	err := s.deps.Network.SetReferent(r.Context(), id, user, f.Value("on") == "oui", httpkit.ActorOf(r))
	s.answerFormOrLapsed(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showMember(w, r, status, f, "")
	}, fmt.Sprintf("/reseau/adherents/%d?ok=referent", id))
}

// membersImportPage is the data of a members file's preview.
type membersImportPage struct {
	Filename string
	Token    string
	Report   network.ImportReport
	Errors   []network.RowError
	Done     string
}

func (s *Server) previewMembers(w http.ResponseWriter, r *http.Request) {
	data, name, ok := s.uploadedFile(w, r, network.MaxImportSize, func(status int, f *Form) { s.showMembersDirectory(w, r, status, f) })
	if !ok {
		return
	}
	actor := httpkit.ActorOf(r)
	rep, err := s.deps.Network.PreviewMembers(r.Context(), bytes.NewReader(data), actor)
	p := membersImportPage{Filename: name, Report: rep}
	var bad *network.ImportError
	switch {
	case errors.As(err, &bad):
		p.Errors = bad.Errors
		s.render(w, r, http.StatusUnprocessableEntity, "network_import", s.page(r, "Import refusé", p))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if p.Token, err = s.deps.Uploads.Keep(r.Context(), "members", name, data, actor); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "network_import", s.page(r, "Aperçu de l’import", p))
}

func (s *Server) confirmMembers(w http.ResponseWriter, r *http.Request) {
	actor := httpkit.ActorOf(r)
	name, data, err := s.deps.Uploads.Take(r.Context(), r.PathValue("token"), "members", actor)
	if errors.Is(err, store.ErrNotFound) {
		f := &Form{}
		f.Add("file", "ce fichier n’est plus en attente (déjà importé, ou l’aperçu date de plus d’une heure) : déposez-le de nouveau")
		s.showMembersDirectory(w, r, http.StatusNotFound, f)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	rep, err := s.deps.Network.ImportMembers(r.Context(), bytes.NewReader(data), actor)
	p := membersImportPage{Filename: name, Report: rep}
	var bad *network.ImportError
	switch {
	case errors.As(err, &bad):
		p.Errors = bad.Errors
		s.render(w, r, http.StatusUnprocessableEntity, "network_import", s.page(r, "Import refusé", p))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.wakeMail()
	p.Done = "Import terminé : " + fr.Int(int64(rep.Created)) + " adhérents créés, " + fr.Int(int64(rep.Updated)) + " mis à jour, " + fr.Int(int64(rep.Invited)) + " référents invités."
	s.render(w, r, http.StatusOK, "network_import", s.page(r, "Import terminé", p))
}
