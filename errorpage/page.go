package errorpage

import (
	"bytes"
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

// Page is the data a template is executed with.
type Page struct {
	// Code is the response's status code, such as 404.
	Code int
	// Message is the handler's one-line message (the text it gave
	// http.Error), else Python's short message for Code, else "???".
	Message string
	// Explain is Python's explanation of Code, else "???".
	Explain string
}

// maxMessage bounds the error body kept to find the handler's message:
// 64 KiB, the length of the longest request line Python accepts, which
// bounds the paths its messages quote. A longer body is not a message.
const maxMessage = 64 << 10

// message returns the handler's one-line message from an error body, the
// way http.Error writes it: one line of text followed by exactly one "\n".
// It reports false for an empty or longer body, a body with another line
// break (\n or \r), or one that does not end in "\n". Bytes that are not
// UTF-8 become U+FFFD.
func message(body []byte) (string, bool) {
	if len(body) == 0 || len(body) > maxMessage || body[len(body)-1] != '\n' {
		return "", false
	}
	line := body[:len(body)-1]
	if bytes.ContainsAny(line, "\r\n") {
		return "", false
	}
	return strings.ToValidUTF8(string(line), "\uFFFD"), true
}

// newPage fills in Page for code, with the handler's message if it gave
// one, and HTML-escapes the texts when html is set.
func newPage(code int, msg string, hasMsg bool, html bool) Page {
	p := Page{Code: code, Message: "???", Explain: "???"}
	if st, ok := pystatus.Lookup(code); ok {
		p.Message, p.Explain = st.Phrase, st.Explain
	}
	if hasMsg {
		p.Message = msg
	}
	if html {
		p.Message, p.Explain = escapeHTML(p.Message), escapeHTML(p.Explain)
	}
	return p
}

// htmlEscaper replaces what Python's html.escape(s, quote=False) replaces.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// isHTML reports whether the media type of content type ct is HTML, which
// decides whether the templated texts are escaped.
func isHTML(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}

// isPlainText reports whether ct is text/plain, the type http.Error gives
// its message.
func isPlainText(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "text/plain"
}

// renderer executes the page template.
type renderer struct {
	tmpl        *template.Template
	contentType string
	html        bool
}

func newRenderer(text, contentType string) (*renderer, error) {
	tmpl, err := template.New("errorpage").Parse(text)
	if err != nil {
		return nil, err
	}
	rd := &renderer{tmpl: tmpl, contentType: contentType, html: isHTML(contentType)}
	// Execute once so a template naming a field Page lacks fails here.
	if _, err := rd.render(newPage(404, "File not found", true, rd.html)); err != nil {
		return nil, err
	}
	return rd, nil
}

func (rd *renderer) render(p Page) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(512)
	if err := rd.tmpl.Execute(&buf, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
