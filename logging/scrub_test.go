package logging

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/scrub"
)

// FuzzScrub checks that whatever a client or a handler sends, no control
// character reaches the log: no byte below 0x20, no DEL, no UTF-8-encoded
// C1 control (U+0080–U+009F, which includes the 8-bit CSI), and no ESC; the
// output is valid UTF-8; a full Logf line ends in its only newline; and
// text without anything to escape passes through unchanged.
func FuzzScrub(f *testing.F) {
	for _, seed := range []string{
		"", "GET /a.txt HTTP/1.1", "\x1b[31mred", "\u009b31m", "\x9b31m", `a\b`,
		"caf\xc3\xa9", "caf\xe9", "\xed\xa0\x80", "\xf4\x90\x80\x80", "line\nnext\r\n", "\x7f\x00",
	} {
		f.Add(seed)
	}
	l := NewLogger(&bytes.Buffer{}, WithClock(fixedClock), WithLocation(testZone))
	f.Fuzz(func(t *testing.T, s string) {
		out := scrub.Append(nil, s, false)
		assertNoControls(t, out)
		if !strings.ContainsFunc(s, needsEscape) && utf8.ValidString(s) {
			assert.Equal(t, s, string(out))
		}

		var buf bytes.Buffer
		l.w = &buf
		l.Logf(request("GET", "/", s), "%s", s)
		line := buf.Bytes()
		require.True(t, bytes.HasSuffix(line, []byte("\n")), "%q", line)
		assertNoControls(t, line[:len(line)-1])

		// The same text as a request URI and as an http.Error message:
		// exactly two lines, each clean.
		buf.Reset()
		l.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, s, http.StatusInternalServerError)
		})).ServeHTTP(httptest.NewRecorder(), request(s, s, s))
		lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
		require.Len(t, lines, 3, "%q", buf.Bytes()) // two lines and the empty rest
		for _, line := range lines[:2] {
			assertNoControls(t, bytes.TrimSuffix(line, []byte("\n")))
		}
	})
}

func needsEscape(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\\'
}

func assertNoControls(t *testing.T, b []byte) {
	t.Helper()
	require.True(t, utf8.Valid(b), "invalid UTF-8 in %q", b)
	for _, r := range string(b) {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			t.Fatalf("control character %U in %q", r, b)
		}
	}
}
