package dirlist

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPrefersJSON(t *testing.T) {
	tests := []struct {
		accept []string
		want   bool
	}{
		{nil, false},
		{[]string{"application/json"}, true},
		{[]string{"Application/JSON"}, true},
		{[]string{"application/json; charset=utf-8"}, true},
		{[]string{"*/*"}, false},
		{[]string{"application/*"}, false},
		{[]string{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, false}, // a browser
		{[]string{"application/json, */*;q=0.1"}, true},
		{[]string{"text/html", "application/json"}, false}, // a tie goes to HTML
		{[]string{"text/html;q=0.5, application/json"}, true},
		{[]string{"text/html, application/json;q=0.9"}, false},
		{[]string{"application/json;q=0"}, false},
		{[]string{"application/json;q=0.001"}, true},
		{[]string{"application/json;q=1.000"}, true},
		{[]string{"application/json;q=1.5"}, false}, // malformed: ignored
		{[]string{"application/json;q=0x1"}, false},
		{[]string{"application/json;q=0.1234"}, false},
		{[]string{"application/json;q=", "text/plain"}, false},
		{[]string{"text/plain, application/json;level=1;q=0.5"}, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.accept, "|"), func(t *testing.T) {
			assert.Equal(t, tt.want, prefersJSON(tt.accept))
		})
	}
}

func TestParseQ(t *testing.T) {
	tests := []struct {
		in string
		q  float64
		ok bool
	}{
		{"1", 1, true}, {"0", 0, true}, {"0.5", 0.5, true}, {"0.125", 0.125, true}, {"1.0", 1, true},
		{"1.", 1, true}, {"0.", 0, true}, {"1.001", 0, false}, {"2", 0, false}, {".5", 0, false},
		{"0.1234", 0, false}, {"0,5", 0, false}, {"", 0, false}, {"0.-1", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, ok := parseQ(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.InDelta(t, tt.q, q, 1e-9)
		})
	}
}

// FuzzAccept: without "application/json" in it (ignoring case) no header
// asks for JSON; and any q value parsed is within [0, 1].
func FuzzAccept(f *testing.F) {
	for _, s := range []string{"application/json", "*/*", "text/html;q=0.9, application/json;q=0.95", "application/json;q=1.000;x=y", ";;,,q="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		got := prefersJSON([]string{accept})
		if got && !strings.Contains(strings.ToLower(accept), "application/json") {
			t.Fatalf("prefersJSON(%q) = true", accept)
		}
		for r := range strings.SplitSeq(accept, ",") {
			_, params, _ := strings.Cut(r, ";")
			if q, ok := quality(params); ok && (q < 0 || q > 1) {
				t.Fatalf("quality(%q) = %v", params, q)
			}
		}
	})
}
