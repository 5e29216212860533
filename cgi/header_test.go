package cgi

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadHeader pins the RFC 3875 header-block parser on its own; the
// end-to-end cases are in TestResponses.
func TestReadHeader(t *testing.T) {
	tests := []struct {
		name, in string
		status   int
		location string
		header   http.Header
		rest     string // what is left for the body
		err      string
	}{
		{name: "LF", in: "Content-Type: text/plain\n\nbody", header: http.Header{"Content-Type": {"text/plain"}}, rest: "body"},
		{name: "CRLF", in: "content-type:text/plain\r\n\r\nbody\r\n", header: http.Header{"Content-Type": {"text/plain"}}, rest: "body\r\n"},
		{name: "status and phrase", in: "Status: 418 I'm a teapot\n\n", status: 418, header: http.Header{}},
		{name: "status lowercase name", in: "status: 500\n\n", status: 500, header: http.Header{}},
		{name: "location", in: "Location: /x?y\n\n", location: "/x?y", header: http.Header{}},
		{name: "repeated field", in: "Set-Cookie: a\nSet-Cookie: b\n\n", header: http.Header{"Set-Cookie": {"a", "b"}}},
		{name: "value spaces trimmed, obs-text kept", in: "X-A:  \tv\xe9 \n\n", header: http.Header{"X-A": {"v\xe9"}}},
		{name: "hop-by-hop dropped", in: "Connection: close\nKeep-Alive: 1\nX: 1\n\n", header: http.Header{"X": {"1"}}},
		{name: "empty value", in: "X-Empty:\n\n", header: http.Header{"X-Empty": {""}}},
		{name: "nothing", in: "", err: "no output"},
		{name: "only body", in: "hello", err: "output ended inside the header block"},
		{name: "no blank line", in: "X: 1\n", err: "output ended inside the header block"},
		{name: "blank first", in: "\nbody", err: "empty header block"},
		{name: "space before colon", in: "X : 1\n\n", err: "malformed header line"},
		{name: "no colon", in: "hello\n\n", err: "malformed header line"},
		{name: "continuation", in: "X: 1\n\tmore\n\n", err: "malformed header line"},
		{name: "NUL", in: "X: a\x00b\n\n", err: "control character"},
		{name: "ESC", in: "X: \x1b[31m\n\n", err: "control character"},
		{name: "DEL", in: "X: a\x7f\n\n", err: "control character"},
		{name: "bare CR", in: "X: a\rY: b\n\n", err: "control character"},
		{name: "status letters", in: "Status: abc\n\n", err: "bad Status"},
		{name: "status 1xx", in: "Status: 101\n\n", err: "bad Status"},
		{name: "status 600", in: "Status: 600\n\n", err: "bad Status"},
		{name: "status glued phrase", in: "Status: 200OK\n\n", err: "bad Status"},
		{name: "two statuses", in: "Status: 200\nStatus: 200\n\n", err: "more than one Status"},
		{name: "two locations", in: "Location: /a\nLocation: /b\n\n", err: "more than one Location"},
		{name: "empty location", in: "Location:\n\n", err: "empty Location"},
		{name: "bad length", in: "Content-Length: 1x\n\n", err: "bad Content-Length"},
		{name: "same length twice", in: "Content-Length: 5\nContent-Length: 5\n\n", header: http.Header{"Content-Length": {"5"}}},
		{name: "two lengths", in: "Content-Length: 5\nContent-Length: 100\n\n", err: "conflicting Content-Length"},
		{name: "too long", in: "X: " + strings.Repeat("a", maxHeaderBytes) + "\n\n", err: "header block longer than"},
		{name: "too many lines", in: strings.Repeat("X: 1\n", maxHeaderBytes/5+1) + "\n", err: "header block longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(tt.in), 4096)
			h, err := readHeader(br, maxHeaderBytes)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.status, h.status)
			assert.Equal(t, tt.location, h.location)
			assert.Equal(t, tt.header, h.header)
			rest, _ := br.Peek(br.Buffered())
			assert.Equal(t, tt.rest, string(rest))
		})
	}
}

// TestLocalRedirect pins which Location the server follows itself (RFC
// 3875 §6.2.2): an absolute path with no status of its own.
func TestLocalRedirect(t *testing.T) {
	tests := []struct {
		location string
		status   int
		want     bool
	}{
		{"/a.txt", 0, true},
		{"/a.txt", 200, true},
		{"/a.txt", 302, false},
		{"//evil.example/x", 0, false},
		{"http://example.com/", 0, false},
		{"relative", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		h := &scriptHeader{status: tt.status, location: tt.location}
		assert.Equal(t, tt.want, h.localRedirect(), "%q %d", tt.location, tt.status)
	}
}

// FuzzReadHeader checks that whatever a script writes, the parser never
// panics, never reads past its limit, and never lets through a field the
// response could not carry safely.
func FuzzReadHeader(f *testing.F) {
	for _, s := range []string{
		"Content-Type: text/plain\n\nbody",
		"Status: 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>",
		"Location: http://x/\n\n",
		"X: a\x00\n\n",
		"hello",
		"",
		"\n",
		"Status: 200\nStatus: 201\n\n",
		"Content-Length: 12\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		const limit = 1 << 10
		r := &countingReader{r: strings.NewReader(string(in))}
		br := bufio.NewReaderSize(r, 64)
		h, err := readHeader(br, limit)
		if err != nil {
			return
		}
		if consumed := r.n - br.Buffered(); consumed > limit {
			t.Fatalf("consumed %d bytes, limit %d", consumed, limit)
		}
		if h.status != 0 && (h.status < 200 || h.status > 599) {
			t.Fatalf("status %d", h.status)
		}
		check := func(s string) {
			for i := 0; i < len(s); i++ {
				if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
					t.Fatalf("control character in %q", s)
				}
			}
		}
		check(h.location)
		for k, vv := range h.header {
			if !isToken(k) || hopByHop[k] || k == "Status" || k == "Location" {
				t.Fatalf("field name %q let through", k)
			}
			for _, v := range vv {
				check(v)
			}
		}
	})
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
