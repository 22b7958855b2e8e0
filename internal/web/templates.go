package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"reflect"
	"strings"
	"sync"
	"time"

	"vivier/internal/date"
	"vivier/internal/fr"
)

//go:embed templates
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Templates holds every page, each parsed once at start-up together with the
// shared layout and partials, so a missing or broken template stops the
// server from starting rather than failing a request later.
type Templates struct {
	pages map[string]*template.Template
	// bufs are the buffers pages are rendered into, reused: grown from
	// empty on every request, the buffer of the 25 KB list page took a
	// fifth of the CPU of writing its layout and filter form.
	bufs sync.Pool
	// typeset are the buffers the typeset page is written into (see
	// fr.Typeset), reused the same way.
	typeset sync.Pool
}

// maxPooledBuffer is the largest buffer kept for reuse: a rare huge page
// (a long audit log) should not pin its memory.
const maxPooledBuffer = 256 << 10

// ParseTemplates parses templates/layout.html, templates/partials/*.html and
// each templates/pages/*.html into one template set per page. bound are the
// template functions that read a server's dependencies (the names of
// places), added to the package's own; a template calling a function that
// neither provides fails the parse.
func ParseTemplates(bound template.FuncMap) (*Templates, error) {
	base := template.New("layout.html").Funcs(funcs()).Funcs(bound)
	base, err := base.ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &Templates{pages: map[string]*template.Template{}}
	for _, file := range names {
		page := template.Must(base.Clone())
		if _, err := page.ParseFS(templateFiles, file); err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}
		t.pages[strings.TrimSuffix(path.Base(file), ".html")] = page
	}
	return t, nil
}

// parseOptionTemplates parses the template that writes the filters'
// <option>s, apart from the pages (see pickers).
func parseOptionTemplates() (*template.Template, error) {
	t, err := template.ParseFS(templateFiles, "templates/options.html")
	if err != nil {
		return nil, fmt.Errorf("parse options: %w", err)
	}
	return t, nil
}

// Render executes page into a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (t *Templates) Render(w http.ResponseWriter, status int, page string, data any) error {
	tmpl, ok := t.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	buf, _ := t.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			t.bufs.Put(buf)
		}
	}()
	if err := tmpl.ExecuteTemplate(buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	// French typography is applied once, here, to the text of every page.
	out, _ := t.typeset.Get().(*[]byte)
	if out == nil {
		out = new([]byte)
	}
	*out = fr.Typeset((*out)[:0], buf.Bytes())
	defer func() {
		if cap(*out) <= maxPooledBuffer {
			t.typeset.Put(out)
		}
	}()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(*out)
	return err
}

// Has reports whether a page template exists.
func (t *Templates) Has(page string) bool { _, ok := t.pages[page]; return ok }

// assetVersion is a hash of the embedded assets, appended to their URLs so
// browsers may cache them for a year and still see a new release at once.
var assetVersion = hashAssets()

func hashAssets() string {
	h := sha256.New()
	fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFiles.ReadFile(p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func funcs() template.FuncMap {
	return template.FuncMap{
		"asset":        func(name string) string { return "/static/" + name + "?v=" + assetVersion },
		"date":         fr.Date,
		"longDate":     fr.LongDate,
		"dateTime":     fr.DateTime,
		"euros":        func(n int64) string { return fr.Euros(n) },
		"int":          groupedInt,
		"percent":      fr.Percent,
		"decimal":      fr.Decimal,
		"quote":        fr.Quote,
		"plural":       fr.Plural,
		"today":        date.Today,
		"year":         func() int { return time.Now().Year() },
		"add":          func(a, b int) int { return a + b },
		"dict":         dict,
		"languages":    languageList,
		"auditAction":  auditAction,
		"auditChange":  auditChange,
		"auditSubject": auditSubjectOf,
	}
}

// groupedInt writes any integer a page shows with French digit grouping
// (« 1 997 »): counts come as int, int64 or unsigned from the domain, and one
// template func must take them all. Anything else is a template error, found
// by the first test that renders the page.
func groupedInt(n any) (string, error) {
	v := reflect.ValueOf(n)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return fr.Int(v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return fr.Uint(v.Uint()), nil
	}
	return "", fmt.Errorf("int: %T is not an integer", n)
}

// staticHandler serves the embedded assets with long-lived caching (their
// URLs carry the version hash).
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	})
}

// dict builds a map from key/value pairs, so a template can pass several
// values to a partial: {{template "input" dict "Form" .Form "Name" "email"}}.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}
