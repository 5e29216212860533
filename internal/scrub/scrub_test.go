package scrub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/oracle"
)

func TestAppend(t *testing.T) {
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
			assert.Equal(t, tt.want, string(Append(nil, tt.in, false)))
			assert.Equal(t, tt.want, string(Append(nil, []byte(tt.in), false)))
		})
	}
	assert.Equal(t, `\"x\" \\`, string(Append(nil, `"x" \`, true)))
}

// TestMatchesPython translates the same valid UTF-8 strings with
// Python 3.12's BaseHTTPRequestHandler._control_char_table (what
// log_message applies to every message) and with Append: the
// results must be equal. (Bytes that are not valid UTF-8 have no Python str
// to compare with; Python decodes the request line as Latin-1 instead.)
func TestMatchesPython(t *testing.T) {
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
		assert.Equal(t, want[i], string(Append(nil, s, false)), "input %+q", s)
	}
}

// TestEveryByteAndRune checks Append on every single byte
// 0x00–0xFF (a byte alone is ASCII or invalid UTF-8), on every Unicode
// scalar value as UTF-8 (the C1 controls U+0080–U+009F escaped like the
// bytes of the same value, everything above kept), and on every pair of
// bytes (never a control character out, always valid UTF-8).
func TestEveryByteAndRune(t *testing.T) {
	hex := func(v rune) string { return fmt.Sprintf(`\x%02x`, v) }
	for b := range 256 {
		want := string(rune(b))
		switch {
		case b < 0x20 || b >= 0x7f:
			want = hex(rune(b))
		case b == '\\':
			want = `\\`
		}
		assert.Equal(t, want, string(Append(nil, []byte{byte(b)}, false)), "byte %#02x", b)
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
		if got := string(Append(nil, string(r), false)); got != want {
			t.Fatalf("%U: got %q, want %q", r, got, want)
		}
	}
	for i := range 1 << 16 {
		in := []byte{byte(i >> 8), byte(i)}
		out := Append(nil, in, false)
		if !utf8.Valid(out) || bytes.ContainsFunc(out, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }) {
			t.Fatalf("% x: %q", in, out)
		}
	}
}
