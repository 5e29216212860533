package errorpage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strings"
	"text/template"

	"github.com/simplehttp/simplehttp/internal/pystatus"
)

// DefaultTemplate is Python 3.12's error_message_format written as a Go
// template: the page http.server sends with every error.
const DefaultTemplate = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: {{.Code}}</p>
        <p>Message: {{.Message}}.</p>
        <p>Error code explanation: {{.Code}} - {{.Explain}}.</p>
    </body>
</html>
`

// DefaultContentType is Python 3.12's error_content_type (without a space
// before charset, as Python sends it).
const DefaultContentType = "text/html;charset=utf-8"

// Page is the data a template is executed with. Message and Explain arrive
// escaped for the page's content type (see [WithPageTemplate]).
type Page struct {
	// Code is the response's status code, such as 404.
	Code int
	// Message is the handler's one-line message (the text it gave
	// http.Error), else Python's short message for Code, else "???".
	Message string
	// Explain is Python's explanation of Code, else "???".
	Explain string
}

// An escaping is how the texts put into a template are escaped.
type escaping int

const (
	escapeText escaping = iota // no control character
	escapeHTML                 // & < >, as Python's html.escape(s, quote=False)
	escapeJSON                 // the inside of a JSON string
)

// escapingFor returns the escaping for a page of content type ct.
func escapingFor(ct string) escaping {
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml" || mt == "text/xml" ||
		mt == "application/xml" || strings.HasSuffix(mt, "+xml"):
		return escapeHTML
	case mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json"):
		return escapeJSON
	}
	return escapeText
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func (e escaping) escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	switch e {
	case escapeHTML:
		return htmlEscaper.Replace(s)
	case escapeJSON:
		// encoding/json also escapes <, >, & and U+2028/U+2029, so the
		// string is safe inside a <script> too.
		b, _ := json.Marshal(s)
		return string(b[1 : len(b)-1])
	}
	return textEscape(s)
}

// textEscape writes the control characters of s (but tab), and the line
// and paragraph separators, as \xNN and \uNNNN, so that a message stays on
// its line.
func textEscape(s string) string {
	if !strings.ContainsFunc(s, breaksText) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !breaksText(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func breaksText(r rune) bool {
	return r < 0x20 && r != '\t' || r >= 0x7f && r <= 0x9f || r == '\u2028' || r == '\u2029'
}

// newPage fills in Page for code, with the handler's message if it gave
// one, escaped by e.
func newPage(code int, msg string, hasMsg bool, e escaping) Page {
	p := Page{Code: code, Message: "???", Explain: "???"}
	if st, ok := pystatus.Lookup(code); ok {
		p.Message, p.Explain = st.Phrase, st.Explain
	}
	if hasMsg {
		p.Message = msg
	}
	p.Message, p.Explain = e.escape(p.Message), e.escape(p.Explain)
	return p
}

// renderer executes the page template.
type renderer struct {
	tmpl        *template.Template
	contentType string
	escaping    escaping
}

func newRenderer(text, contentType string) (*renderer, error) {
	if _, _, err := mime.ParseMediaType(contentType); err != nil {
		return nil, fmt.Errorf("invalid media type %q", contentType)
	}
	tmpl, err := template.New("errorpage").Parse(text)
	if err != nil {
		return nil, err
	}
	rd := &renderer{tmpl: tmpl, contentType: contentType, escaping: escapingFor(contentType)}
	// Execute once so a template naming a field Page lacks fails here.
	if _, err := rd.render(404, "File not found", true); err != nil {
		return nil, err
	}
	return rd, nil
}

func (rd *renderer) render(code int, msg string, hasMsg bool) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(512)
	if err := rd.tmpl.Execute(&buf, newPage(code, msg, hasMsg, rd.escaping)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
