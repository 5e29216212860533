package dirlist

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"html"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/simplehttp/simplehttp/internal/urlpath"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain-Name_1.2~", "plain-Name_1.2~"},
		{"dir/", "dir/"},
		{"a b", "a%20b"},
		{"100%", "100%25"},
		{"#?&=+;,:@$!*'()[]", "%23%3F%26%3D%2B%3B%2C%3A%40%24%21%2A%27%28%29%5B%5D"},
		{`<"\>`, "%3C%22%5C%3E"},
		{"é", "%C3%A9"},
		{"\x00\x7f", "%00%7F"},
		{"\xff", "%FF"}, // raw bytes, so it round-trips
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, quote(tt.in))
			assert.Equal(t, tt.want, string(appendQuoted(nil, tt.in)))
		})
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d\"e'f"}, // html.escape(quote=False)
		{"&amp;", "&amp;amp;"},
		{"é\t\n", "é\t\n"},
		{"a\xffb", "a\uFFFDb"},
		{"\xe2\x82", "\uFFFD"},                           // one maximal subpart
		{"\xe2\x82\xe2\x82\xac", "\uFFFD€"},              //
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},           // an encoded surrogate: three
		{"\xf0\x9f\x98", "\uFFFD"},                       //
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"}, // above U+10FFFF
		{"\xc0\xaf", "\uFFFD\uFFFD"},                     // overlong
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, string(appendEscaped(nil, tt.in)))
		})
	}
}

// pythonScript answers, for each hex-encoded input: urllib.parse.quote of
// the UTF-8 text, html.escape(quote=False) of it, the bytes decoded with
// errors="replace", and urllib.parse.unquote_to_bytes; and the inputs in
// the order sorted(key=(lower(), bytes)).
const pythonScript = `
import sys, json, html, urllib.parse
ins = [bytes.fromhex(h) for h in json.load(sys.stdin)]
out = {"quote": [], "escape": [], "replace": [], "unquote": [], "sorted": []}
for b in ins:
    s = b.decode("utf-8", "surrogateescape")
    valid = True
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        valid = False
    out["quote"].append(urllib.parse.quote(s) if valid else None)
    out["escape"].append(html.escape(s, quote=False).encode().hex() if valid else None)
    out["replace"].append(b.decode("utf-8", "replace").encode().hex())
    out["unquote"].append(urllib.parse.unquote_to_bytes(b).hex())
names = [b.decode("utf-8", "surrogateescape") for b in ins]
names.sort(key=lambda s: (s.lower(), s.encode("utf-8", "surrogateescape")))
out["sorted"] = [s.encode("utf-8", "surrogateescape").hex() for s in names]
json.dump(out, sys.stdout)
`

// randomNames returns n deterministic strings mixing the characters that
// matter here: ASCII punctuation, percent signs with and without hex,
// letters whose lower case is special (İ, Σ, ẞ, Ǆ), marks and apostrophes
// (case-ignorable), and bytes that are not UTF-8.
func randomNames(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "A", "z", "Z", " ", "%", "%41", "%e2%82", "%zz", "+", "#", "?", "&", "<", ">", "\"", "'",
		"/", ".", ":", "~", "_", "-", "é", "É", "İ", "ı", "Σ", "σ", "ς", "ẞ", "ß", "Ǆ", "ǅ", "\u0301", "\u00ad",
		"’", "Ω", "Ω", "K", "日", "😀", "\xff", "\x80", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\x00", "\t"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for k := rng.IntN(6) + 1; k > 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		out[i] = b.String()
	}
	return out
}

// TestAgainstPythonQuoting compares quoting, escaping, UTF-8 replacement,
// unquoting and the listing order with Python 3.12 on 3000 tricky names.
func TestAgainstPythonQuoting(t *testing.T) {
	oracle.Require(t)
	names := randomNames(3000)
	in := make([]string, len(names))
	for i, n := range names {
		in[i] = hex.EncodeToString([]byte(n))
	}
	input, err := json.Marshal(in)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := oracle.Command(ctx, "-c", pythonScript)
	cmd.Stdin = strings.NewReader(string(input))
	raw, err := cmd.Output()
	require.NoError(t, err)
	var rest map[string][]*string
	require.NoError(t, json.Unmarshal(raw, &rest))
	unhexs := func(h *string) string {
		b, err := hex.DecodeString(*h)
		require.NoError(t, err)
		return string(b)
	}
	for i, n := range names {
		if q := rest["quote"][i]; q != nil {
			assert.Equal(t, *q, quote(n), "quote(%q)", n)
			assert.Equal(t, unhexs(rest["escape"][i]), string(appendEscaped(nil, n)), "escape(%q)", n)
		}
		assert.Equal(t, unhexs(rest["replace"][i]), toValidUTF8(n), "replace(%q)", n)
		assert.Equal(t, unhexs(rest["unquote"][i]), urlpath.Unquote(n), "unquote(%q)", n)
	}
	entries := make([]Entry, len(names))
	for i, n := range names {
		entries[i] = Entry{raw: n, key: sortKey(n)}
	}
	slices.SortFunc(entries, byName)
	for i, h := range rest["sorted"] {
		require.Equal(t, unhexs(h), entries[i].raw, "position %d", i)
	}
}

// FuzzQuote: url-unescaping an href gives back the name's bytes, the href
// holds only unreserved characters, "/" and %XX, and quotedLen is its length.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "a b", "100%", "#?&", "é", "\xff", "<img src=x onerror=alert(1)>", "a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		q := quote(name)
		if quotedLen(name) != len(q) {
			t.Fatalf("quotedLen(%q) = %d, quote gives %d bytes", name, quotedLen(name), len(q))
		}
		back, err := url.PathUnescape(q)
		if err != nil || back != name {
			t.Fatalf("quote(%q) = %q unescapes to %q, %v", name, q, back, err)
		}
		for i := 0; i < len(q); i++ {
			c := q[i]
			if c == '%' {
				i += 2
				continue
			}
			if shouldQuote(c) {
				t.Fatalf("quote(%q) = %q holds %q", name, q, c)
			}
		}
	})
}

// FuzzEscape: escaped text is valid UTF-8 with no raw "<" or ">", every "&"
// starts an entity, unescaping it gives the name as valid UTF-8, and
// escapedLen bounds its length (exactly for valid UTF-8).
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a&b", "<script>", "&amp;", "\xe2\x82", "\xed\xa0\x80", "\"'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		e := string(appendEscaped(nil, name))
		if n := escapedLen(name); n < len(e) || utf8.ValidString(name) && n != len(e) {
			t.Fatalf("escapedLen(%q) = %d, escape gives %d bytes", name, n, len(e))
		}
		if !utf8.ValidString(e) || strings.ContainsAny(e, "<>") {
			t.Fatalf("escape(%q) = %q", name, e)
		}
		for i := strings.IndexByte(e, '&'); i >= 0; i = strings.IndexByte(e, '&') {
			e2 := e[i:]
			if !strings.HasPrefix(e2, "&amp;") && !strings.HasPrefix(e2, "&lt;") && !strings.HasPrefix(e2, "&gt;") {
				t.Fatalf("escape(%q) has a bare &: %q", name, e2)
			}
			e = e2[1:]
		}
		if got, want := html.UnescapeString(string(appendEscaped(nil, name))), toValidUTF8(name); got != want {
			t.Fatalf("escape(%q) unescapes to %q, want %q", name, got, want)
		}
	})
}

// FuzzDisplayPath: the title of any request target is valid UTF-8, and
// once escaped holds no "<" or ">".
func FuzzDisplayPath(f *testing.F) {
	for _, s := range []string{"/", "//a/", "/a%20b/?q#f", "/%ff/", "/%3Cscript%3E/", "/a+b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		r := &http.Request{RequestURI: target, URL: &url.URL{Path: "/"}}
		p := displayPath(r)
		if !utf8.ValidString(p) {
			t.Fatalf("displayPath(%q) = %q", target, p)
		}
		if e := string(appendEscaped(nil, p)); strings.ContainsAny(e, "<>") {
			t.Fatalf("escaped title of %q = %q", target, e)
		}
	})
}
