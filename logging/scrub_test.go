package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/oracle"
)

func TestScrub(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "GET /a.txt HTTP/1.1", "GET /a.txt HTTP/1.1"},
		{"C0", "\x00\x01\t\n\r\x1b\x1f", `\x00\x01\x09\x0a\x0d\x1b\x1f`},
		{"DEL", "a\x7fb", `a\x7fb`},
		{"backslash", `a\b\\`, `a\\b\\\\`},
		{"C1 as UTF-8", "\u0080\u0085\u009b\u009f", `\x80\x85\x9b\x9f`},
		{"C1 as raw bytes", "\x80\x85\x9b\x9f", `\x80\x85\x9b\x9f`},
		{"Latin-1 bytes, invalid UTF-8", "caf\xe9 \xff", `caf\xe9 \xff`},
		{"truncated sequence", "\xe2\x82", `\xe2\x82`},
		{"surrogate", "\xed\xa0\x80", `\xed\xa0\x80`},
		{"overlong", "\xc0\xaf", `\xc0\xaf`},
		{"valid UTF-8 kept", "caf\u00e9 \u00a0 \u20ac \U0001F600", "caf\u00e9 \u00a0 \u20ac \U0001F600"},
		{"quote kept outside CLF", `"x"`, `"x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(appendScrubbed(nil, tt.in, false)))
			assert.Equal(t, tt.want, string(appendScrubbed(nil, []byte(tt.in), false)))
		})
	}
	assert.Equal(t, `\"x\" \\`, string(appendScrubbed(nil, `"x" \`, true)))
}

// TestScrubMatchesPython translates the same valid UTF-8 strings with
// Python 3.12's BaseHTTPRequestHandler._control_char_table (what
// log_message applies to every message) and with appendScrubbed: the
// results must be equal. (Bytes that are not valid UTF-8 have no Python str
// to compare with; Python decodes the request line as Latin-1 instead.)
func TestScrubMatchesPython(t *testing.T) {
	oracle.Require(t)
	var inputs []string
	for r := rune(0); r < 0x300; r++ {
		inputs = append(inputs, "<"+string(r)+">")
	}
	inputs = append(inputs,
		`Unsupported method ('P\x01T')`,
		"GET /\x1b[31mred\x1b[0m\\ HTTP/1.1",
		"\u2028\u202e\ufeff\U0001F600\uffff",
		strings.Repeat("\\\x00", 10),
	)
	in, err := json.Marshal(inputs)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := oracle.Command(ctx, "-c", `
import http.server, json, sys
table = http.server.BaseHTTPRequestHandler._control_char_table
json.dump([s.translate(table) for s in json.load(sys.stdin)], sys.stdout)
`)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	require.NoError(t, err)
	var want []string
	require.NoError(t, json.Unmarshal(out, &want))
	require.Len(t, want, len(inputs))
	for i, s := range inputs {
		assert.Equal(t, want[i], string(appendScrubbed(nil, s, false)), "input %+q", s)
	}
}

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
		out := appendScrubbed(nil, s, false)
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

// TestScrubEveryByteAndRune checks appendScrubbed on every single byte
// 0x00–0xFF (a byte alone is ASCII or invalid UTF-8), on every Unicode
// scalar value as UTF-8 (the C1 controls U+0080–U+009F escaped like the
// bytes of the same value, everything above kept), and on every pair of
// bytes (never a control character out, always valid UTF-8).
func TestScrubEveryByteAndRune(t *testing.T) {
	hex := func(v rune) string { return fmt.Sprintf(`\x%02x`, v) }
	for b := range 256 {
		want := string(rune(b))
		switch {
		case b < 0x20 || b >= 0x7f:
			want = hex(rune(b))
		case b == '\\':
			want = `\\`
		}
		assert.Equal(t, want, string(appendScrubbed(nil, []byte{byte(b)}, false)), "byte %#02x", b)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		want := string(r)
		switch {
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			want = hex(r)
		case r == '\\':
			want = `\\`
		}
		if got := string(appendScrubbed(nil, string(r), false)); got != want {
			t.Fatalf("%U: got %q, want %q", r, got, want)
		}
	}
	for i := range 1 << 16 {
		in := []byte{byte(i >> 8), byte(i)}
		out := appendScrubbed(nil, in, false)
		if !utf8.Valid(out) || bytes.ContainsFunc(out, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }) {
			t.Fatalf("% x: %q", in, out)
		}
	}
}
