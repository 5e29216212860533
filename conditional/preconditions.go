package conditional

import (
	"net/http"
	"time"

	"github.com/simplehttp/simplehttp/internal/precond"
)

// ParseDate reads an HTTP date the way Python 3.12's http.server reads
// If-Modified-Since (email.utils.parsedate_to_datetime followed by the UTC
// check of SimpleHTTPRequestHandler.send_head), and reports whether the
// header is to be used: IMF-fixdate, RFC 850 and asctime, with or without a
// weekday (never checked); GMT, UT, UTC, Z, +0000, -0000, no zone and an
// unknown zone word mean UTC; a known non-zero zone (+0100, EST) or a value
// Python cannot read returns false. The result is in UTC, whole seconds.
func ParseDate(value string) (time.Time, bool) { return precond.ParseDate(value) }

// evaluate applies the request's preconditions to a response whose status
// is code and whose headers are h. Only 200 and 206 responses carry the
// selected representation; the preconditions are ignored for any other
// status (RFC 9110 §13.2.1).
func (c *config) evaluate(r *http.Request, code int, h http.Header) precond.Outcome {
	if code != http.StatusOK && code != http.StatusPartialContent {
		return precond.Proceed
	}
	return precond.Evaluate(r, h, c.parseDate)
}
