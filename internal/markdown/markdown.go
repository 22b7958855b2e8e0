// Package markdown turns the Markdown that staff write (descriptions of
// events and trainings, summaries of publications, newsletter campaigns)
// into safe HTML: goldmark renders it, then bluemonday keeps only the
// elements and attributes of ordinary prose (no script, no style, no event
// handler, links only to http, https and mailto), so that text from a form
// can never run in a visitor's browser. Raw HTML typed in the Markdown is
// dropped, not escaped into view.
package markdown

import (
	"bytes"
	stdhtml "html"
	"html/template"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// MaxSource bounds the Markdown accepted for one text (a newsletter is the
// longest): beyond it, forms refuse the text before it is rendered.
const MaxSource = 200 << 10

// Renderer renders Markdown to sanitised HTML. The zero value is not
// usable; build one with New. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a renderer of GitHub-flavoured Markdown (tables,
// strikethrough, autolinks) whose output keeps only prose elements.
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return &Renderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM),
			// Raw HTML in the source is left out: the policy would strip
			// most of it anyway, and what it kept would surprise writers.
			goldmark.WithRendererOptions(html.WithHardWraps()),
		),
		policy: p,
	}
}

var shared = sync.OnceValue(New)

// Render returns src as sanitised HTML, with the shared renderer.
func Render(src string) (template.HTML, error) { return shared().Render(src) }

// Render returns src as sanitised HTML, safe to put in a page as it is.
func (r *Renderer) Render(src string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes())), nil
}

// Text returns src without its Markdown marks, for the text part of an
// email and for search documents: the rendered HTML's text, tags removed,
// blank lines kept between blocks.
func (r *Renderer) Text(src string) (string, error) {
	h, err := r.Render(src)
	if err != nil {
		return "", err
	}
	// goldmark puts a line break between blocks; the block ends below put
	// the ones a reader of plain text expects, once.
	spaced := blockEnds.Replace(strings.ReplaceAll(string(h), ">\n<", "><"))
	text := stdhtml.UnescapeString(bluemonday.StrictPolicy().Sanitize(spaced))
	return strings.TrimSpace(blankLines.ReplaceAllString(text, "\n\n")), nil
}

// blockEnds puts line breaks where blocks end, so that the text keeps its
// paragraphs once the tags are gone.
var blockEnds = strings.NewReplacer("</p>", "</p>\n\n", "<br>", "\n", "<br/>", "\n", "</li>", "</li>\n",
	"</h1>", "</h1>\n\n", "</h2>", "</h2>\n\n", "</h3>", "</h3>\n\n", "</tr>", "</tr>\n", "</blockquote>", "</blockquote>\n\n")

var blankLines = regexp.MustCompile(`\n{3,}`)

// Text returns src without its Markdown marks, with the shared renderer.
func Text(src string) (string, error) { return shared().Text(src) }
