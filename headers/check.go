package headers

import (
	"fmt"
	"net/http"
	"strings"
)

// forbidden are the names a configured header may not have: they describe
// the body or the connection, and a fixed value would break responses.
var forbidden = []string{
	"Connection", "Content-Encoding", "Content-Length", "Content-Range",
	"Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// Check reports whether name and value can be given to [New]: the name must
// be an HTTP token (RFC 9110) other than one that describes the body or
// the connection, and the value must hold no control character other than
// tab. The error says what is wrong, prefixed with "headers: ".
func Check(name, value string) error {
	if !isToken(name) {
		return fmt.Errorf("headers: invalid header name %q", name)
	}
	canonical := http.CanonicalHeaderKey(name)
	for _, f := range forbidden {
		if canonical == f {
			return fmt.Errorf("headers: %s cannot be set: it describes the body or the connection", name)
		}
	}
	if i := strings.IndexFunc(value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }); i >= 0 {
		return fmt.Errorf("headers: invalid value for %s: control character %q", name, value[i])
	}
	return nil
}

// isToken reports whether s is an HTTP token: one or more tchar.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
