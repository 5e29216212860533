package fileserver

import (
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"syscall"

	"github.com/felixge/httpsnoop"

	"github.com/simplehttp/simplehttp/internal/coding"
)

// features are New's options beyond Python 3.12's http.server.
type features struct {
	defaultType   string // for unknown extensions; "" is application/octet-stream
	precompressed bool
	spa           bool
}

// WithDefaultContentType makes [New] send t as the Content-Type of files
// whose extension [ContentType] does not know, instead of
// application/octet-stream, as Python 3.15's --content-type does. A file
// whose extension maps to application/octet-stream on purpose (.Z) keeps
// it. It panics when t is not a valid media type.
func WithDefaultContentType(t string) Option {
	if _, _, err := mime.ParseMediaType(t); err != nil || !strings.Contains(t, "/") || strings.ContainsAny(t, "\r\n") {
		panic("fileserver: WithDefaultContentType: invalid media type " + strconv.Quote(t))
	}
	return func(c *config) { c.features.defaultType = t }
}

// WithPrecompressed makes [New] serve a file's precompressed sidecar,
// a.js.br, a.js.zst or a.js.gz beside a.js, when it exists and the
// request's Accept-Encoding accepts its coding (brotli, zstd, gzip;
// q-values, "*" and identity;q=0 honoured, ties going to br, then zstd,
// then gzip). The sidecar is sent with Content-Encoding, the original's
// Content-Type, and its own strong ETag marked with the coding
// ("...-br"); its Last-Modified, its length, and byte ranges over its
// encoded bytes, from the cache or with sendfile as for any file (see
// [New]). Every response for a file that has a sidecar carries Vary:
// Accept-Encoding. A sidecar is only ever served for its original:
// without a.js, a request for a.js is 404, and a.js.gz asked for by name
// is served as itself. The default serves files only as they are.
func WithPrecompressed() Option {
	return func(c *config) { c.features.precompressed = true }
}

// WithSPA makes [New] answer a GET or HEAD for a missing path with the root
// index.html, status 200, when the request accepts text/html and the
// path's extension is not that of another known type: the fallback of a
// single-page application whose routes live in the browser. A missing
// asset (/app.js, /logo.png) or a request that does not ask for HTML (a
// fetch for JSON) is still 404. These responses carry Vary: Accept. The
// default is 404 for every missing path, as Python answers.
func WithSPA() Option {
	return func(c *config) { c.features.spa = true }
}

// contentType is ContentType, with the default type for unknown extensions.
func (h *handler) contentType(name string) string {
	t, known := contentType(name)
	if !known && h.features.defaultType != "" {
		t = h.features.defaultType
	}
	return withCharset(t, h.charset)
}

// The sidecars WithPrecompressed looks for, in the server's order of
// preference.
var sidecars = [...]struct{ coding, ext string }{
	{"br", ".br"},
	{"zstd", ".zst"},
	{"gzip", ".gz"},
}

// servePrecompressed serves the sidecar of the regular file name that the
// request accepts, and reports whether it did. When there is none to
// serve, it only adds Vary if the file has a sidecar at all.
func (h *handler) servePrecompressed(w http.ResponseWriter, r *http.Request, name string) bool {
	var (
		offered [len(sidecars)]string
		found   [len(sidecars)]struct { // the sidecars offered
			ext  string
			info fs.FileInfo
		}
	)
	n := 0
	for _, sc := range sidecars {
		if info, err := fs.Stat(h.fsys, name+sc.ext); err == nil && info.Mode().IsRegular() {
			offered[n] = sc.coding
			found[n].ext, found[n].info = sc.ext, info
			n++
		}
	}
	if n == 0 {
		return false
	}
	header := w.Header()
	if !hasToken(header.Values("Vary"), "Accept-Encoding") {
		header.Add("Vary", "Accept-Encoding")
	}
	chosen := coding.Negotiate(r.Header.Values("Accept-Encoding"), offered[:n])
	if chosen == "" {
		return false
	}
	var (
		ext  string
		info fs.FileInfo
	)
	for i, c := range offered[:n] {
		if c == chosen {
			ext, info = found[i].ext, found[i].info
		}
	}
	sidecar := name + ext
	var e *cacheEntry
	if h.cache != nil {
		// A small sidecar is served from memory like any small file,
		// checked against the stat just made: no open, fstat, sendfile
		// or close.
		e = h.cache.current(sidecar, info)
	}
	if e == nil {
		f, err := h.fsys.Open(sidecar)
		if err != nil {
			return false // gone since the Stat: the original is served
		}
		defer f.Close()
		info, err = f.Stat()
		content, seekable := f.(io.ReadSeeker)
		if err != nil || !info.Mode().IsRegular() || !seekable {
			return false
		}
		if e = h.fill(r, sidecar, f, info); e == nil {
			var tag string
			if _, ok := header["Etag"]; !ok && !h.python {
				if tag, err = h.tags.etag(sidecar, f, content, info); err != nil {
					openFailed(w, err)
					return true
				}
			}
			h.setSidecarHeaders(header, name, ext, tag)
			h.serveFile(encoded(w, chosen), r, sidecar, f, info)
			return true
		}
	}
	h.setSidecarHeaders(header, name, ext, e.values.etag)
	h.serveEntry(encoded(w, chosen), r, e)
	return true
}

// setSidecarHeaders sets the Content-Type of the original name and the
// sidecar's ETag, tag (its file's tag) marked with the sidecar's extension
// ext, unless they are set in front (or, for the ETag, under
// WithPythonHeaders).
func (h *handler) setSidecarHeaders(header http.Header, name, ext, tag string) {
	if _, ok := header["Content-Type"]; !ok {
		header.Set("Content-Type", h.contentType(name))
	}
	if _, ok := header["Etag"]; !ok && !h.python && len(tag) > 2 {
		header.Set("Etag", tag[:len(tag)-1]+"-"+strings.TrimPrefix(ext, ".")+`"`)
	}
}

// encoded returns w, setting Content-Encoding: coding as a 200 or 206
// status goes out. It is set then, not before, because http.ServeContent
// sends no Content-Length (so no sendfile either) when it sees a coding.
func encoded(w http.ResponseWriter, coding string) http.ResponseWriter {
	header := w.Header()
	return httpsnoop.Wrap(w, httpsnoop.Hooks{
		WriteHeader: func(next httpsnoop.WriteHeaderFunc) httpsnoop.WriteHeaderFunc {
			return func(code int) {
				if code == http.StatusOK || code == http.StatusPartialContent {
					header.Set("Content-Encoding", coding)
				}
				next(code)
			}
		},
	})
}

// serveSPA answers a request for a missing path with the root index.html
// when WithSPA applies to it, and reports whether it did.
func (h *handler) serveSPA(w http.ResponseWriter, r *http.Request, name string, err error) bool {
	if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		return false
	}
	if t, known := contentType(path.Base(name)); known && t != "text/html" {
		return false // an asset
	}
	w.Header().Add("Vary", "Accept")
	if !acceptsHTML(r.Header.Values("Accept")) {
		return false
	}
	const index = "index.html"
	f, err := h.fsys.Open(index)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return false
	}
	h.serveFile(w, r, index, f, info)
	return true
}

// acceptsHTML reports whether Accept values name text/html with a
// quality above 0 (a wildcard does not count: every fetch sends */*).
func acceptsHTML(values []string) bool {
	for _, v := range values {
		for mr := range strings.SplitSeq(v, ",") {
			typ, params, _ := strings.Cut(mr, ";")
			if !strings.EqualFold(strings.Trim(typ, " \t"), "text/html") {
				continue
			}
			q := 1.0
			for p := range strings.SplitSeq(params, ";") {
				k, val, ok := strings.Cut(strings.Trim(p, " \t"), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil {
						f = 0
					}
					q = f
				}
			}
			if q > 0 {
				return true
			}
		}
	}
	return false
}

// hasToken reports whether the comma-separated values hold token, compared
// without case.
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.Trim(t, " \t"), token) {
				return true
			}
		}
	}
	return false
}
