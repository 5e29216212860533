package errorpage

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestMessage(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want string
		ok   bool
	}{
		{"http.Error", "File not found\n", "File not found", true},
		{"empty message", "\n", "", true},
		{"empty body", "", "", false},
		{"no final newline", "File not found", "", false},
		{"two lines", "a\nb\n", "", false},
		{"two final newlines", "a\n\n", "", false},
		{"carriage return", "a\r\n", "", false},
		{"invalid UTF-8", "caf\xe9\n", "caf\uFFFD", true},
		{"at the bound", strings.Repeat("x", maxMessage-1) + "\n", strings.Repeat("x", maxMessage-1), true},
		{"over the bound", strings.Repeat("x", maxMessage) + "\n", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := message([]byte(tc.body))
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestEscapeHTML(t *testing.T) {
	// html.escape(s, quote=False) in Python 3.12.
	assert.Equal(t, `&amp;lt; &lt;b&gt; "q" 'q' &amp;amp;`, escapeHTML(`&lt; <b> "q" 'q' &amp;`))
}

// FuzzMessage checks the message rule and the page built from it on any
// error body: the page is valid UTF-8, the message never breaks out of its
// paragraph, and an accepted message is the body's one line.
func FuzzMessage(f *testing.F) {
	for _, s := range []string{"File not found\n", "Unsupported method ('<&>')\n", "\n", "", "a\nb\n", "caf\xe9\n", "<script>\n"} {
		f.Add([]byte(s))
	}
	rd, err := newRenderer(DefaultTemplate, DefaultContentType)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, ok := message(body)
		if ok {
			if strings.ContainsAny(msg, "\r\n") || !utf8.ValidString(msg) {
				t.Fatalf("message(%q) = %q", body, msg)
			}
			if utf8.Valid(body) && msg+"\n" != string(body) {
				t.Fatalf("message(%q) = %q, not the body's line", body, msg)
			}
		} else if msg != "" {
			t.Fatalf("message(%q) = %q, false", body, msg)
		}
		page, err := rd.render(newPage(404, msg, ok, rd.html))
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(page) {
			t.Fatalf("page for %q is not UTF-8", body)
		}
		line := page[bytes.Index(page, []byte("<p>Message: ")):]
		line = line[:bytes.IndexByte(line, '\n')]
		if bytes.Count(line, []byte("<")) != 2 || bytes.Count(line, []byte(">")) != 2 {
			t.Fatalf("message %q escapes its paragraph: %q", msg, line)
		}
	})
}
