package cgi

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strings"
)

// scriptHeader is the header block a script wrote before its body
// (RFC 3875 §6).
type scriptHeader struct {
	status   int         // from "Status:", 0 when absent
	location string      // from "Location:", "" when absent
	header   http.Header // every other field, Content-Type included
}

// localRedirect reports whether the script asked the server to serve
// another local path in its place (RFC 3875 §6.2.2): a Location that is an
// absolute path, with no status of its own.
func (h *scriptHeader) localRedirect() bool {
	return h.location != "" && (h.status == 0 || h.status == http.StatusOK) &&
		strings.HasPrefix(h.location, "/") && !strings.HasPrefix(h.location, "//")
}

// hopByHop are fields that describe a connection, not the response; a
// script has no say in them.
var hopByHop = map[string]bool{
	"Connection":        true,
	"Keep-Alive":        true,
	"Proxy-Connection":  true,
	"Te":                true,
	"Trailer":           true,
	"Transfer-Encoding": true,
	"Upgrade":           true,
}

var errNoOutput = errors.New("no output")

// readHeader reads a script's header block from br: lines "Name: value"
// ending in LF or CRLF, up to an empty line, at most limit bytes in all.
// It refuses a block with no field, a line that is not a field (including
// folded continuation lines), a name that is not a token, a value with a
// control character other than tab, a repeated Status or Location, a
// Status that is not a 3-digit code from 200 to 599, a Content-Length
// that is not a number and two Content-Lengths that differ. The error says why, for the log.
func readHeader(br *bufio.Reader, limit int) (*scriptHeader, error) {
	h := &scriptHeader{header: make(http.Header)}
	total := 0
	for fields := 0; ; fields++ {
		line, err := readLine(br, limit-total)
		total += len(line)
		switch {
		case err == io.EOF && total == 0:
			return nil, errNoOutput
		case err == io.EOF:
			return nil, errors.New("output ended inside the header block")
		case err != nil:
			return nil, err
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			if fields == 0 {
				return nil, errors.New("empty header block")
			}
			return h, nil
		}
		if err := h.add(line); err != nil {
			return nil, err
		}
	}
}

// readLine reads one line, newline included, of at most limit bytes.
func readLine(br *bufio.Reader, limit int) (string, error) {
	var b []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(b)+len(frag) > limit {
			return "", fmt.Errorf("header block longer than %d bytes", maxHeaderBytes)
		}
		b = append(b, frag...)
		switch err {
		case nil:
			return string(b), nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(b) > 0 {
				// A last line without its newline: the block is unfinished.
				return string(b), io.EOF
			}
			return "", io.EOF
		default:
			return "", err
		}
	}
}

func (h *scriptHeader) add(line string) error {
	name, value, ok := strings.Cut(line, ":")
	if !ok || !isToken(name) {
		return fmt.Errorf("malformed header line %q", truncate(line))
	}
	value = strings.Trim(value, " \t")
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return fmt.Errorf("control character in header line %q", truncate(line))
		}
	}
	name = textproto.CanonicalMIMEHeaderKey(name)
	switch {
	case name == "Status":
		if h.status != 0 {
			return errors.New("more than one Status header")
		}
		code, ok := parseStatus(value)
		if !ok {
			return fmt.Errorf("bad Status %q", truncate(value))
		}
		h.status = code
	case name == "Location":
		if h.location != "" {
			return errors.New("more than one Location header")
		}
		if value == "" {
			return errors.New("empty Location header")
		}
		h.location = value
	case name == "Content-Length":
		if value == "" || strings.Trim(value, "0123456789") != "" || len(value) > 18 {
			return fmt.Errorf("bad Content-Length %q", truncate(value))
		}
		if old := h.header.Get(name); old != "" && old != value {
			// RFC 9110 §8.6: differing lengths make the message invalid.
			return fmt.Errorf("conflicting Content-Length %q and %q", old, truncate(value))
		}
		h.header.Set(name, value)
	case hopByHop[name]:
	default:
		h.header.Add(name, value)
	}
	return nil
}

// parseStatus parses "404" or "404 Not Found". The reason phrase is not
// kept: net/http writes its own.
func parseStatus(v string) (int, bool) {
	if len(v) < 3 || len(v) > 3 && v[3] != ' ' {
		return 0, false
	}
	code := 0
	for i := range 3 {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
		code = code*10 + int(v[i]-'0')
	}
	return code, code >= 200 && code <= 599
}

// isToken reports whether s is an RFC 9110 token, the syntax of a field
// name.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
