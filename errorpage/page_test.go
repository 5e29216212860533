package errorpage

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/httperr/httperrtest"
)

// recorder is a ResponseRecorder with ReadFrom, as net/http's writer has.
type recorder struct{ *httptest.ResponseRecorder }

func (r recorder) ReadFrom(src io.Reader) (int64, error) { return io.Copy(r.ResponseRecorder, src) }

// TestMessageRule applies the message rule shared with logging (the table
// in internal/httperr/testdata) to pages: the page carries the handler's
// message when the body is one, else Python's short message; an error with
// a Content-Type other than text/plain is the handler's own document and
// passes through.
func TestMessageRule(t *testing.T) {
	h := New(WithPageTemplate("application/json", `{"m":"{{.Message}}"}`))
	for _, c := range httperrtest.Cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			rec := recorder{httptest.NewRecorder()}
			h(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.Serve(w) })).
				ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
			assert.Equal(t, http.StatusNotFound, rec.Code)
			if c.ContentType != "" && !httperr.IsPlainText(c.ContentType) {
				assert.Equal(t, c.Body(), rec.Body.String(), "the handler's own document")
				return
			}
			var page struct{ M string }
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &page), rec.Body.String())
			want := "Not Found"
			if c.IsMessage {
				want = c.Message
			}
			assert.Equal(t, want, page.M)
		})
	}
}

// hostile are messages a client can put into a page: Python's 501 quotes
// the method, its 400s the request line.
var hostile = []string{
	`Unsupported method ('P"T')`,
	`Unsupported method ('</script><script>alert(1)</script>')`,
	"Bad request syntax ('a\u2028b\u2029c')",
	"control \x00\x01\x1b[31m\x7f\u0085 characters",
	`back\slash and "quotes" and 'single' & <tags>`,
	"invalid UTF-8 \xff\xfe",
	"tab\tstays",
}

// TestEscaping puts hostile messages into pages of each kind of content.
func TestEscaping(t *testing.T) {
	t.Run("JSON is valid JSON and says the message", func(t *testing.T) {
		for _, ct := range []string{"application/json", "application/problem+json", "text/json; charset=utf-8"} {
			rd, err := newRenderer(`{"code":{{.Code}},"message":"{{.Message}}","explain":"{{.Explain}}"}`, ct)
			require.NoError(t, err)
			for _, msg := range hostile {
				page, err := rd.render(501, msg, true)
				require.NoError(t, err)
				require.True(t, json.Valid(page), "%s: %s", ct, page)
				var got struct {
					Code             int
					Message, Explain string
				}
				require.NoError(t, json.Unmarshal(page, &got))
				assert.Equal(t, strings.ToValidUTF8(msg, "\uFFFD"), got.Message)
				assert.NotContains(t, string(page), "</script>")
				assert.NotContains(t, string(page), "\u2028")
			}
		}
	})
	t.Run("HTML as Python's html.escape(s, quote=False)", func(t *testing.T) {
		assert.Equal(t, `&amp;lt; &lt;b&gt; "q" 'q' &amp;amp;`, escapeHTML.escape(`&lt; <b> "q" 'q' &amp;`))
		rd, err := newRenderer(DefaultTemplate, DefaultContentType)
		require.NoError(t, err)
		page, err := rd.render(501, `Unsupported method ('</script>"')`, true)
		require.NoError(t, err)
		assert.Contains(t, string(page), `<p>Message: Unsupported method ('&lt;/script&gt;"').</p>`)
	})
	t.Run("plain text keeps each message on its line", func(t *testing.T) {
		rd, err := newRenderer("{{.Code}} {{.Message}}\n", "text/plain; charset=utf-8")
		require.NoError(t, err)
		for _, msg := range hostile {
			page, err := rd.render(400, msg, true)
			require.NoError(t, err)
			require.True(t, utf8.Valid(page))
			body := strings.TrimSuffix(string(page), "\n")
			assert.False(t, strings.ContainsFunc(body, breaksText), "%q", page)
		}
		assert.Equal(t, `a\u2028b \x1b[31m \x00 \x85 tab	ok`, escapeText.escape("a\u2028b \x1b[31m \x00 \u0085 tab\tok"))
		assert.Equal(t, `Unsupported method ('P"T')`, escapeText.escape(`Unsupported method ('P"T')`))
	})
}

// FuzzMessage checks the page built from any error body: the page is valid
// UTF-8 and the message never breaks out of its paragraph.
func FuzzMessage(f *testing.F) {
	for _, s := range []string{"File not found\n", "Unsupported method ('<&>')\n", "\n", "", "a\nb\n", "caf\xe9\n", "<script>\n"} {
		f.Add([]byte(s))
	}
	rd, err := newRenderer(DefaultTemplate, DefaultContentType)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, ok := httperr.Message("text/plain", body)
		page, err := rd.render(404, msg, ok)
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

// FuzzJSONPage checks that a JSON template gives valid JSON, and a text
// one a single line, whatever the message.
func FuzzJSONPage(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	js, err := newRenderer(`{"message":"{{.Message}}"}`, "application/json")
	if err != nil {
		f.Fatal(err)
	}
	txt, err := newRenderer(`{{.Message}}`, "text/plain")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		page, err := js.render(400, msg, true)
		if err != nil || !json.Valid(page) {
			t.Fatalf("%q: %s %v", msg, page, err)
		}
		page, err = txt.render(400, msg, true)
		if err != nil || strings.ContainsFunc(string(page), breaksText) || !utf8.Valid(page) {
			t.Fatalf("%q: %q %v", msg, page, err)
		}
	})
}
