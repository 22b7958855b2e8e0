package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"vivier/internal/fr"
)

// The templates of every message, in French: NAME.txt defines "subject" and
// the plain-text "body"; NAME.html, when present, defines the HTML "body".
// Both are wrapped in the shared layout (layout.txt, layout.html).
//
//go:embed templates
var templateFiles embed.FS

// InvitationData is what the "invitation" template reads.
type InvitationData struct {
	Name      string    // the invited person's name, may be empty
	InvitedBy string    // who invites, e.g. "Claire Dupont (fédération)"; may be empty
	Role      string    // the role in French, e.g. "coordinatrice"; may be empty
	URL       string    // the link that accepts the invitation
	Expires   time.Time // when the link stops working
}

// LinkData is what the "magic_link" and "password_reset" templates read.
type LinkData struct {
	Name    string    // the recipient's name, may be empty
	URL     string    // the one-time link
	Expires time.Time // when the link stops working
}

// Render fills the template name ("invitation", "magic_link",
// "password_reset") with data and returns the subject, the plain text and
// the HTML of the message. A missing template or field is an error.
func Render(name string, data any) (subject, text, html string, err error) {
	set, err := loadTemplates()
	if err != nil {
		return "", "", "", err
	}
	t, ok := set[name]
	if !ok {
		return "", "", "", fmt.Errorf("mail: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.text.ExecuteTemplate(&buf, "subject", data); err != nil {
		return "", "", "", fmt.Errorf("mail: template %s: %w", name, err)
	}
	subject = strings.Join(strings.Fields(buf.String()), " ")
	buf.Reset()
	if err := t.text.ExecuteTemplate(&buf, "layout.txt", data); err != nil {
		return "", "", "", fmt.Errorf("mail: template %s: %w", name, err)
	}
	text = strings.TrimSpace(buf.String()) + "\n"
	if t.html != nil {
		buf.Reset()
		if err := t.html.ExecuteTemplate(&buf, "layout.html", data); err != nil {
			return "", "", "", fmt.Errorf("mail: template %s: %w", name, err)
		}
		html = buf.String()
	}
	return subject, text, html, nil
}

// Compose renders the template name with data into a Message for to, with
// the de-duplication key given.
func Compose(to, key, name string, data any) (Message, error) {
	subject, text, html, err := Render(name, data)
	if err != nil {
		return Message{}, err
	}
	return Message{To: to, Subject: subject, Text: text, HTML: html, Key: key}, nil
}

// Templates lists the names of the embedded message templates.
func Templates() []string {
	set, _ := loadTemplates()
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	return names
}

type messageTemplate struct {
	text *texttemplate.Template
	html *htmltemplate.Template // nil when the message has no HTML part
}

// loadTemplates parses every template once, on first use.
var loadTemplates = sync.OnceValues(func() (map[string]messageTemplate, error) {
	funcs := map[string]any{
		"dateTime": fr.DateTime,
		"quote":    fr.Quote,
		"link":     func(url, label string) map[string]string { return map[string]string{"URL": url, "Label": label} },
	}
	textBase := texttemplate.Must(texttemplate.New("layout.txt").Funcs(funcs).Option("missingkey=error").
		ParseFS(templateFiles, "templates/layout.txt"))
	htmlBase := htmltemplate.Must(htmltemplate.New("layout.html").Funcs(funcs).Option("missingkey=error").
		ParseFS(templateFiles, "templates/layout.html", "templates/partials.html"))
	files, err := fs.Glob(templateFiles, "templates/*.txt")
	if err != nil {
		return nil, err
	}
	set := map[string]messageTemplate{}
	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/"), ".txt")
		if name == "layout" {
			continue
		}
		var t messageTemplate
		t.text, err = texttemplate.Must(textBase.Clone()).ParseFS(templateFiles, file)
		if err != nil {
			return nil, fmt.Errorf("mail: parse %s: %w", file, err)
		}
		htmlFile := "templates/" + name + ".html"
		if _, err := fs.Stat(templateFiles, htmlFile); err == nil {
			t.html, err = htmltemplate.Must(htmlBase.Clone()).ParseFS(templateFiles, htmlFile)
			if err != nil {
				return nil, fmt.Errorf("mail: parse %s: %w", htmlFile, err)
			}
		}
		set[name] = t
	}
	return set, nil
})
