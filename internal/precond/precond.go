// Package precond evaluates the conditional request headers of RFC 9110
// (If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, with
// Python 3.12's reading of If-Modified-Since) against a representation's
// validators. It is the one implementation both the file server, which
// answers its own preconditions as http.FileServer does, and the
// conditional middleware, which answers them for any handler, use, so that
// stacking one above the other never changes a status.
package precond

import (
	"net/http"
	"strings"
	"time"
)

// An Outcome is what the preconditions make of a representation.
type Outcome int

const (
	Proceed            Outcome = iota // send the representation
	NotModified                       // 304 Not Modified
	PreconditionFailed                // 412 Precondition Failed
)

// Present reports whether h carries any of the headers Evaluate reads.
func Present(h http.Header) bool {
	return h["If-None-Match"] != nil || h["If-Modified-Since"] != nil ||
		h["If-Match"] != nil || h["If-Unmodified-Since"] != nil
}

// Evaluate applies r's preconditions to the selected representation whose
// response headers are h (its ETag and Last-Modified are read there), in
// the order of RFC 9110 §13.2.2. parseDate reads If-Modified-Since and
// If-Unmodified-Since; nil means [ParseDate], Python's rule.
//
//   - If-Match compares strongly; If-Unmodified-Since (ignored when
//     If-Match is present, or without Last-Modified) fails when
//     Last-Modified is after it. Both give PreconditionFailed.
//   - If-None-Match compares weakly, takes lists and "*" (which matches
//     any representation, with validators or without): NotModified for GET
//     and HEAD, PreconditionFailed for other methods.
//   - If-Modified-Since follows Python's http.server: GET and HEAD only,
//     only without an If-None-Match header (even an empty one), only for a
//     date that reads as UTC, and NotModified when Last-Modified (whole
//     seconds) is not after it.
func Evaluate(r *http.Request, h http.Header, parseDate func(string) (time.Time, bool)) Outcome {
	if parseDate == nil {
		parseDate = ParseDate
	}
	safe := r.Method == http.MethodGet || r.Method == http.MethodHead
	etag := validETag(h.Get("Etag"))
	// An HTTP-date has whole seconds, so Last-Modified needs no truncating
	// to be compared with the request's dates as Python compares them.
	lastModified, err := http.ParseTime(h.Get("Last-Modified"))
	hasLastModified := err == nil

	if im := r.Header["If-Match"]; nonEmpty(im) {
		if !matchList(im, etag, strongMatch) {
			return PreconditionFailed
		}
	} else if ius := r.Header.Get("If-Unmodified-Since"); ius != "" && hasLastModified {
		if t, ok := parseDate(ius); ok && lastModified.After(t) {
			return PreconditionFailed
		}
	}

	if inm, ok := r.Header["If-None-Match"]; ok {
		if matchList(inm, etag, weakMatch) {
			if safe {
				return NotModified
			}
			return PreconditionFailed
		}
	} else if ims := r.Header.Get("If-Modified-Since"); ims != "" && safe && hasLastModified {
		if t, ok := parseDate(ims); ok && !lastModified.After(t) {
			return NotModified
		}
	}
	return Proceed
}

func nonEmpty(field []string) bool {
	for _, v := range field {
		if strings.Trim(v, " \t") != "" {
			return true
		}
	}
	return false
}

// representationHeaders are the headers that describe the body a 304 or
// 412 does not send. A 304 drops them (RFC 9110 §15.4.5 lets a server omit
// them; Python's 304 has none) but keeps ETag, Cache-Control, Expires, Vary
// and Content-Location; a 412 is an error and drops the validators and
// Cache-Control too.
var representationHeaders = [...]string{
	"Content-Type", "Content-Length", "Content-Encoding", "Content-Range",
	"Content-Language", "Accept-Ranges", "Transfer-Encoding", "Last-Modified",
}

// WriteNotModified answers 304 on w with the headers already set, minus
// those that describe the body.
func WriteNotModified(w http.ResponseWriter) {
	h := w.Header()
	for _, k := range representationHeaders {
		delete(h, k)
	}
	w.WriteHeader(http.StatusNotModified)
}

// WritePreconditionFailed answers 412 the http.Error way ("Precondition
// Failed"), without the headers that described the representation, its
// validators or its Cache-Control.
func WritePreconditionFailed(w http.ResponseWriter) {
	h := w.Header()
	for _, k := range representationHeaders {
		delete(h, k)
	}
	delete(h, "Etag")
	delete(h, "Cache-Control")
	http.Error(w, "Precondition Failed", http.StatusPreconditionFailed)
}

// Write answers o on w (NotModified or PreconditionFailed) and reports
// whether it wrote anything.
func Write(w http.ResponseWriter, o Outcome) bool {
	switch o {
	case NotModified:
		WriteNotModified(w)
	case PreconditionFailed:
		WritePreconditionFailed(w)
	default:
		return false
	}
	return true
}
