package fileserver

import (
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"

	"github.com/felixge/httpsnoop"

	"github.com/simplehttp/simplehttp/internal/pyrepr"
	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// New returns the terminal file handler serving fsys, Python's
// SimpleHTTPRequestHandler without the directory listing:
//
//   - GET and HEAD only; any other method is 501 "Unsupported method ('PUT')".
//   - A directory requested without a trailing slash is a 301 to the same
//     path plus "/" (query and fragment kept), with Content-Length: 0, no
//     Content-Type and no body.
//   - A directory requested with a trailing slash is 404 "File not found":
//     put [Index] and a listing middleware in front to serve those.
//   - A regular file is 200 with Content-Type ([ContentType]),
//     Content-Length, Last-Modified and its bytes (HEAD: no bytes).
//   - Anything else (missing, unreadable, not a regular file, a file asked
//     for with a trailing slash, a name that cannot be mapped) is 404
//     "File not found".
//
// Beyond Python, by default, a strong ETag is sent with Accept-Ranges, and
// Range, If-Range and If-None-Match are honoured (206, 416,
// multipart/byteranges, 304). A request carrying none of Range,
// If-None-Match and If-Range gets Python's status, headers and body.
// If-Modified-Since, If-Unmodified-Since and If-Match are ignored here:
// Python's If-Modified-Since rule is the conditional package's job.
//
// Files are served with [http.ServeContent]; an *os.File (from os.Root.FS
// or os.DirFS) goes out with sendfile when the connection allows it.
// Errors are written with [http.Error].
//
// New panics if fsys is nil.
func New(fsys fs.FS, opts ...Option) http.Handler {
	if fsys == nil {
		panic("fileserver: New: nil fs.FS")
	}
	c := newConfig(opts)
	h := &handler{fsys: fsys, charset: c.charset, etag: c.etag, ranges: c.ranges}
	// Python ignores these; its If-Modified-Since rule is the conditional
	// package's job, and Go's date checks would answer differently.
	h.hidden = []string{"If-Modified-Since", "If-Unmodified-Since", "If-Match"}
	if !c.etag {
		// ServeContent answers "If-None-Match: *" even without an ETag.
		h.hidden = append(h.hidden, "If-None-Match")
	}
	if !c.ranges {
		h.hidden = append(h.hidden, "Range", "If-Range")
	}
	return h
}

type handler struct {
	fsys    fs.FS
	charset string
	etag    bool
	ranges  bool
	hidden  []string // request headers http.ServeContent must not see
	tags    etagCache
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "Unsupported method ("+pyrepr.String(r.Method)+")", http.StatusNotImplemented)
		return
	}
	name, trailingSlash, ok := urlpath.FromRequest(r)
	if !ok {
		notFound(w)
		return
	}
	// Stat before Open: opening a FIFO would block, and Python decides
	// "directory or not" by stat as well.
	info, err := fs.Stat(h.fsys, name)
	switch {
	case err != nil:
		notFound(w)
		return
	case info.IsDir():
		if trailingSlash {
			notFound(w)
		} else {
			redirectToSlash(w, r)
		}
		return
	case trailingSlash || !info.Mode().IsRegular():
		notFound(w)
		return
	}
	f, err := h.fsys.Open(name)
	if err != nil {
		notFound(w)
		return
	}
	defer f.Close()
	// The size and date sent are those of the file actually opened.
	if info, err = f.Stat(); err != nil || !info.Mode().IsRegular() {
		notFound(w)
		return
	}
	h.serveFile(w, r, name, f, info)
}

func notFound(w http.ResponseWriter) {
	http.Error(w, "File not found", http.StatusNotFound)
}

// serveFile sends the open regular file f.
func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, name string, f fs.File, info fs.FileInfo) {
	header := w.Header()
	header.Set("Content-Type", withCharset(ContentType(name), h.charset))
	modtime := info.ModTime()
	if !modtime.IsZero() {
		// Set here because ServeContent leaves out the Unix epoch, which
		// Python sends like any other date.
		header.Set("Last-Modified", modtime.UTC().Format(http.TimeFormat))
	}
	content, ok := f.(io.ReadSeeker)
	if !ok {
		// Without Seek there are no ranges; send the bytes as Python does,
		// but never more than announced if the file has grown since.
		header.Set("Content-Length", strconv.FormatInt(info.Size(), 10))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = io.CopyN(w, f, info.Size())
		}
		return
	}
	if h.etag {
		tag, err := h.tags.etag(name, f, content, info)
		if err != nil { // the bytes could not be read
			header.Del("Last-Modified")
			notFound(w)
			return
		}
		if tag != "" {
			header.Set("Etag", tag)
		}
	}
	if !h.ranges {
		w = httpsnoop.Wrap(w, httpsnoop.Hooks{WriteHeader: dropAcceptRanges(w)})
	} else if _, ok := r.Header["Range"]; ok {
		w = httpsnoop.Wrap(w, httpsnoop.Hooks{WriteHeader: keepValidators(w)})
	}
	// modtime is still passed for If-Range with a date; the date
	// preconditions never reach ServeContent (see servedRequest).
	http.ServeContent(w, h.servedRequest(r), "", modtime, content)
}

// servedRequest returns r, or a shallow copy of it without the headers
// http.ServeContent must not see: h.hidden, and a Range in a unit other
// than bytes, which RFC 9110 says to ignore (ServeContent answers 416).
func (h *handler) servedRequest(r *http.Request) *http.Request {
	found := false
	for _, k := range h.hidden {
		if _, ok := r.Header[k]; ok {
			found = true
			break
		}
	}
	otherUnit := false
	if v, ok := r.Header["Range"]; ok && h.ranges && (len(v) != 1 || !strings.HasPrefix(v[0], "bytes=")) {
		otherUnit = true
	}
	if !found && !otherUnit {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.Header = r.Header.Clone()
	for _, k := range h.hidden {
		delete(r2.Header, k)
	}
	if otherUnit {
		delete(r2.Header, "Range")
	}
	return r2
}

// keepValidators puts Last-Modified and ETag back on a 416, which
// http.ServeContent strips from its errors. RFC 9110 §14.2 evaluates the
// preconditions before Range, and the conditional middleware in front can
// only do so with the validators: a request whose range cannot be satisfied
// but whose If-Modified-Since matches is a 304, as ServeContent itself
// would answer. The errorpage middleware drops both from the page it sends
// if the 416 stands.
func keepValidators(w http.ResponseWriter) func(httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
	header := w.Header()
	lastModified, etag := header.Get("Last-Modified"), header.Get("Etag")
	return func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
		return func(code int) {
			if code == http.StatusRequestedRangeNotSatisfiable {
				if lastModified != "" {
					header.Set("Last-Modified", lastModified)
				}
				if etag != "" {
					header.Set("Etag", etag)
				}
			}
			next(code)
		}
	}
}

// dropAcceptRanges removes the Accept-Ranges header ServeContent always
// adds, for WithoutRanges.
func dropAcceptRanges(w http.ResponseWriter) func(httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
	return func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
		return func(code int) {
			w.Header().Del("Accept-Ranges")
			next(code)
		}
	}
}
