package conditional

import (
	"net/http"
	"strings"
)

// outcome is what the preconditions make of a response.
type outcome int

const (
	proceed            outcome = iota // send the handler's response
	notModified                       // 304 Not Modified
	preconditionFailed                // 412 Precondition Failed
)

// hasPreconditions reports whether r carries any header this package
// evaluates.
func hasPreconditions(h http.Header) bool {
	return h["If-None-Match"] != nil || h["If-Modified-Since"] != nil ||
		h["If-Match"] != nil || h["If-Unmodified-Since"] != nil
}

// evaluate applies the request's preconditions to a response whose status
// is code and whose headers are h, in the order of RFC 9110 §13.2.2.
//
// Only 200 and 206 responses are evaluated, and a 416 to a request with
// Range, whose answer without the Range would have been a 200 (RFC 9110
// §14.2 processes Range after the preconditions). The preconditions are
// ignored for any other status (RFC 9110 §13.2.1 ignores them for anything
// but a 2xx, and the other 2xx codes do not carry the selected
// representation).
func (c *config) evaluate(r *http.Request, code int, h http.Header) outcome {
	switch {
	case code == http.StatusOK, code == http.StatusPartialContent:
	case code == http.StatusRequestedRangeNotSatisfiable && r.Header["Range"] != nil:
	default:
		return proceed
	}
	safe := r.Method == http.MethodGet || r.Method == http.MethodHead
	etag := validETag(h.Get("Etag"))
	// An HTTP-date has whole seconds, so Last-Modified needs no truncating
	// to compare with the request's dates as Python does.
	lastModified, err := http.ParseTime(h.Get("Last-Modified"))
	hasLastModified := err == nil

	// Step 1: If-Match (strong comparison), else step 2: If-Unmodified-Since.
	if im := r.Header["If-Match"]; nonEmpty(im) {
		if !matchList(im, etag, strongMatch) {
			return preconditionFailed
		}
	} else if ius := r.Header.Get("If-Unmodified-Since"); ius != "" && hasLastModified {
		if t, ok := c.parseDate(ius); ok && lastModified.After(t) {
			return preconditionFailed
		}
	}

	// Step 3: If-None-Match (weak comparison), else step 4:
	// If-Modified-Since for GET and HEAD. Like Python, the mere presence of
	// If-None-Match, even empty, turns If-Modified-Since off.
	if inm, ok := r.Header["If-None-Match"]; ok {
		if matchList(inm, etag, weakMatch) {
			if safe {
				return notModified
			}
			return preconditionFailed
		}
	} else if ims := r.Header.Get("If-Modified-Since"); ims != "" && safe && hasLastModified {
		if t, ok := c.parseDate(ims); ok && !lastModified.After(t) {
			return notModified
		}
	}
	return proceed
}

func nonEmpty(field []string) bool {
	for _, v := range field {
		if strings.Trim(v, " \t") != "" {
			return true
		}
	}
	return false
}

// notModifiedDrops are the headers a 304 does not repeat: the body's
// metadata (RFC 9110 §15.4.5 lets a server omit them), and Last-Modified,
// which Python's 304 does not send either. ETag, Cache-Control, Expires,
// Vary, Content-Location and anything else the handler set stay.
var notModifiedDrops = [...]string{
	"Content-Type", "Content-Length", "Content-Encoding", "Content-Range",
	"Content-Language", "Accept-Ranges", "Transfer-Encoding", "Last-Modified",
}

// writeNotModified answers 304 on w with the handler's headers minus the
// representation's metadata.
func writeNotModified(w http.ResponseWriter) {
	h := w.Header()
	for _, k := range notModifiedDrops {
		delete(h, k)
	}
	w.WriteHeader(http.StatusNotModified)
}

// writePreconditionFailed answers 412 the http.Error way, after removing
// the headers that described the representation the handler meant to send.
func writePreconditionFailed(w http.ResponseWriter) {
	h := w.Header()
	for _, k := range notModifiedDrops {
		delete(h, k)
	}
	delete(h, "Etag")
	http.Error(w, "Precondition Failed", http.StatusPreconditionFailed)
}
