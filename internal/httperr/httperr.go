// Package httperr holds the rules every package of the toolkit applies when
// it answers with an error, so that no package relies on another one stacked
// above or below it to finish the job.
package httperr

import (
	"errors"
	"net/http"
	"syscall"
)

// Error replies the [http.Error] way (the status, a text/plain one-line
// message) after deleting the headers that describe a successful response
// and must not outlive it on an error: Cache-Control, ETag and
// Last-Modified, which a handler in front may have set, as net/http's
// FileServer does since Go 1.23. A 404 behind "Cache-Control: immutable"
// must not be cached for a year.
func Error(w http.ResponseWriter, msg string, code int) {
	DropSuccessHeaders(w.Header())
	http.Error(w, msg, code)
}

// DropSuccessHeaders deletes from h the headers [Error] drops: those a
// handler in front set for a successful response (Cache-Control,
// Content-Encoding, ETag, Last-Modified). Every error response of the
// toolkit, and every error page, goes without them.
func DropSuccessHeaders(h http.Header) {
	delete(h, "Cache-Control")
	delete(h, "Content-Encoding")
	delete(h, "Etag")
	delete(h, "Last-Modified")
}

// RetryAfter is the Retry-After, in seconds, of [Unavailable]'s answer.
const RetryAfter = "1"

// Transient reports whether err is a shortage of resources that goes away
// on its own (no descriptor left in the process or the system, no memory
// for a buffer), as opposed to an answer about the file (it does not exist,
// it may not be read). A transient failure must never be reported as a
// 404: that is a permanent, cacheable answer about a file that exists.
func Transient(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
		errors.Is(err, syscall.ENOMEM) || errors.Is(err, syscall.ENOBUFS) ||
		errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR)
}

// Unavailable answers a transient failure err with 503 Service Unavailable
// and Retry-After, through [Error]. The message names the shortage (such as
// "Temporarily out of resources (too many open files)"), never a path, so
// that the access log records the real cause.
func Unavailable(w http.ResponseWriter, err error) {
	w.Header().Set("Retry-After", RetryAfter)
	Error(w, "Temporarily out of resources ("+cause(err)+")", http.StatusServiceUnavailable)
}

func cause(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	return "try again later"
}
