package fileserver

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/indexpage"
	"github.com/simplehttp/simplehttp/internal/precond"
	"github.com/simplehttp/simplehttp/internal/pyrepr"
	"github.com/simplehttp/simplehttp/internal/rootfs"
	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// New returns a handler that serves the files of fsys, a drop-in
// replacement for [http.FileServerFS] that answers as Python 3.12's
// http.server does where Python decides:
//
//   - GET and HEAD only; any other method is 501 "Unsupported method ('PUT')".
//   - A regular file is 200 with Content-Type ([ContentType]; one set by a
//     handler in front is kept), Content-Length, Last-Modified and its bytes.
//   - A directory without its trailing slash is a bare 301 to the same path
//     plus "/" (query kept). With the slash, its index.html, else its
//     index.htm (Python's index pages), is served; without one it is 404:
//     a listing middleware in front (package dirlist) lists it.
//   - Anything else that cannot be served (missing, not a regular file, a
//     file asked for with a trailing slash, a path that cannot be mapped)
//     is 404 "File not found"; a shortage of descriptors or memory is 503
//     with Retry-After.
//
// Beyond Python, as http.FileServer: a strong ETag (one set in front is
// kept and used instead) and Accept-Ranges; Range and If-Range (206, 416
// with Content-Range, multipart/byteranges); and every precondition,
// If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since (read
// with Python's rule), in the order of RFC 9110 §13.2.2 (304, 412). Error
// responses carry no Cache-Control, ETag or Last-Modified. A request with
// none of these headers gets Python's status, headers and body, plus ETag
// and Accept-Ranges ([WithPythonHeaders] leaves those out too).
//
// An *os.File (from os.Root.FS or os.DirFS) is sent with
// [http.ServeContent], so the kernel sends it with sendfile. Errors are
// written the [http.Error] way. New panics if fsys or an option is nil.
//
// On Linux, New keeps regular files of up to 128 KiB in memory with their
// header values, in a cache of [DefaultCacheSize] bytes and 4096 files at
// most ([WithCache] sizes it or turns it off). It never answers from a
// changed file: an entry is served only after a stat of its name finds the
// same file (device and inode) with the same size, mode, modification and
// change times, and a file is kept only when its last change was 2 s old
// at the time it was read, so that a later change cannot leave its times
// as they were. A hit costs that one stat instead of an open, fstat, read
// and close.
func New(fsys fs.FS, opts ...Option) http.Handler {
	if fsys == nil {
		panic("fileserver: New: nil fs.FS")
	}
	c := newConfig(opts)
	h := &handler{fsys: fsys, charset: c.charset, python: c.python, features: c.features}
	if c.cacheSize > 0 {
		h.cache = newFileCache(c.cacheSize)
	}
	return h
}

// RootFS returns the file system of root, as root.FS() does, in a form
// [New] opens each file of once, without blocking on a FIFO: one path
// resolution per request instead of a stat and an open. It implements
// fs.StatFS, fs.ReadDirFS, fs.ReadFileFS and fs.ReadLinkFS, so the other
// packages take it as well. The caller keeps root and closes it.
func RootFS(root *os.Root) fs.FS {
	if root == nil {
		panic("fileserver: RootFS: nil os.Root")
	}
	return rootfs.New(root)
}

type handler struct {
	fsys    fs.FS
	charset string
	python  bool // no ETag, no ranges
	tags    etagCache
	cache   *fileCache // nil: off

	features features
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		httperr.Error(w, "Unsupported method ("+pyrepr.String(r.Method)+")", http.StatusNotImplemented)
		return
	}
	name, trailingSlash, ok := urlpath.FromRequest(r)
	if !ok {
		notFound(w)
		return
	}
	if h.cache != nil && !trailingSlash && h.serveCached(w, r, name) {
		return
	}
	f, info, err := h.open(name)
	if err != nil {
		if !h.features.spa || !h.serveSPA(w, r, name, err) {
			openFailed(w, err)
		}
		return
	}
	if info.IsDir() {
		if f != nil {
			f.Close()
		}
		if !trailingSlash {
			redirectToSlash(w, r)
			return
		}
		index, err := indexpage.Find(h.fsys, name, nil)
		if err != nil {
			openFailed(w, err)
			return
		}
		if index == "" {
			notFound(w)
			return
		}
		name = index
		if h.cache != nil && h.serveCached(w, r, name) {
			return
		}
		if f, info, err = h.open(name); err != nil {
			openFailed(w, err)
			return
		}
	} else if trailingSlash {
		info = nil // a file asked for as a directory
	}
	if info == nil || !info.Mode().IsRegular() {
		if f != nil {
			f.Close()
		}
		notFound(w)
		return
	}
	defer f.Close()
	// The file is cached before a sidecar is looked for: the next request
	// for it then finds it with a stat, whichever of the two it is sent.
	e := h.fill(r, name, f, info)
	if h.features.precompressed && h.servePrecompressed(w, r, name) {
		return
	}
	if e != nil {
		h.serveEntry(w, r, e)
		return
	}
	h.serveFile(w, r, name, f, info)
}

// fill caches the regular file f called name, whose fstat is info, for a
// GET when there is a cache, and returns its entry; nil when it is not
// cached (see fileCache.fill).
func (h *handler) fill(r *http.Request, name string, f fs.File, info fs.FileInfo) *cacheEntry {
	if h.cache == nil || r.Method != http.MethodGet {
		return nil
	}
	return h.cache.fill(h, name, f, info)
}

// serveCached serves the regular file name from the cache, if it is there
// and has not changed since it was read, and reports whether it did.
func (h *handler) serveCached(w http.ResponseWriter, r *http.Request, name string) bool {
	e := h.cache.lookup(h.fsys, name)
	if e == nil {
		return false
	}
	if h.features.precompressed && h.servePrecompressed(w, r, name) {
		return true
	}
	h.serveEntry(w, r, e)
	return true
}

// open opens name and returns it with its fstat. A directory or other
// file that is not regular may come back without a file (and must not be
// served); a FIFO is never opened the blocking way. With a file system that
// can open without blocking (rootfs), the path is resolved once: open, then
// fstat; otherwise it is stat'ed first, as a FIFO's open would hang.
func (h *handler) open(name string) (fs.File, fs.FileInfo, error) {
	if o, ok := h.fsys.(rootfs.Opener); ok {
		f, err := o.OpenNonblock(name)
		if err != nil {
			return nil, nil, err
		}
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return f, info, nil
	}
	info, err := fs.Stat(h.fsys, name)
	if err != nil || !info.Mode().IsRegular() {
		return nil, info, err
	}
	f, err := h.fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	// The size and date sent are those of the file actually opened.
	if info, err = f.Stat(); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

func notFound(w http.ResponseWriter) {
	httperr.Error(w, "File not found", http.StatusNotFound)
}

// openFailed answers a file that could not be opened or read: 503 when the
// cause may pass (no descriptor left), else 404 as Python answers.
func openFailed(w http.ResponseWriter, err error) {
	if err != nil && httperr.Transient(err) {
		httperr.Unavailable(w, err)
		return
	}
	notFound(w)
}

// serveFile sends the open regular file f.
func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, name string, f fs.File, info fs.FileInfo) {
	header := w.Header()
	var ctype string
	if _, ok := header["Content-Type"]; !ok {
		ctype = h.contentType(name)
	}
	content, seekable := f.(io.ReadSeeker)
	_, tagged := header["Etag"]
	withTag := seekable && !h.python && !tagged
	v := newFileValues(info, withTag)
	if withTag && info.ModTime().IsZero() {
		tag, err := h.tags.etag(name, f, content, info)
		if err != nil { // the bytes could not be read
			openFailed(w, err)
			return
		}
		v.etag = tag
	}
	if !seekable {
		// Without Seek there are no ranges; the bytes are sent as Python
		// sends them.
		h.answer(w, r, ctype, v, info.ModTime(), info.Size(), f, nil, false)
		return
	}
	_, ranged := r.Header["Range"]
	if osf, ok := f.(*os.File); ok && (ranged && !h.python || info.Size() > smallFile) {
		// ServeContent learns the size by seeking to the end and back:
		// two system calls that fstat has made needless; and connguard
		// asks a file sent with sendfile for its type, which sizedFile
		// answers without another fstat. A small whole file is only read.
		content = &sizedFile{File: osf, size: info.Size(), info: info}
	}
	h.answer(w, r, ctype, v, info.ModTime(), info.Size(), content, nil, true)
}

// serveEntry sends the cached file e, as serveFile sends a file.
func (h *handler) serveEntry(w http.ResponseWriter, r *http.Request, e *cacheEntry) {
	header := w.Header()
	var ctype string
	if _, ok := header["Content-Type"]; !ok {
		ctype = e.ctype
	}
	v := e.values
	if _, tagged := header["Etag"]; tagged || h.python {
		v.etag = ""
	}
	h.answer(w, r, ctype, v, e.modtime, int64(len(e.data)), nil, e.data, true)
}

// fileValues are the values of a file's Last-Modified, ETag and
// Content-Length headers; "" is a header not sent.
type fileValues struct {
	lastModified, etag, length string
}

// newFileValues formats the header values of the file whose stat is info,
// with its dated ETag if withTag, all in one string (one allocation
// instead of three), each value a part of it.
func newFileValues(info fs.FileInfo, withTag bool) fileValues {
	var buf [128]byte
	b := buf[:0]
	modtime := info.ModTime()
	if !modtime.IsZero() {
		b = modtime.UTC().AppendFormat(b, http.TimeFormat)
	}
	dated := len(b)
	if withTag && !modtime.IsZero() {
		b = appendModTag(b, modtime, info.Size())
	}
	tagEnd := len(b)
	b = strconv.AppendInt(b, info.Size(), 10)
	text := string(b)
	return fileValues{lastModified: text[:dated], etag: text[dated:tagEnd], length: text[tagEnd:]}
}

// answer sets the headers of a regular file of size bytes (ctype "" leaves
// Content-Type as it is), answers the preconditions, and sends the file:
// data if it is in memory, else content (an io.ReadSeeker if ranges).
// Without ranges the file is sent whole as Python sends it.
func (h *handler) answer(w http.ResponseWriter, r *http.Request, ctype string, v fileValues, modtime time.Time, size int64, content io.Reader, data []byte, ranges bool) {
	header := w.Header()
	// The headers set here share one array of values, each a slice of it
	// bounded by its capacity (appending to one cannot reach another):
	// one allocation instead of one per header.
	vals := make([]string, 0, 5)
	set := func(key, value string) {
		vals = append(vals, value)
		header[key] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	if ctype != "" {
		set("Content-Type", ctype)
	}
	if v.lastModified != "" {
		// Set here because ServeContent leaves out the Unix epoch, which
		// Python sends like any other date.
		set("Last-Modified", v.lastModified)
	}
	if v.etag != "" {
		set("Etag", v.etag)
	}
	if precond.Present(r.Header) && precond.Write(w, precond.Evaluate(r, header, nil)) {
		return
	}
	if !ranges {
		set("Content-Length", v.length)
		sendWhole(w, r, content, size)
		return
	}
	if _, ranged := r.Header["Range"]; !ranged || h.python {
		// The whole file (Python ignores Range), as ServeContent sends
		// it: Accept-Ranges (not Python's), Content-Length unless a
		// Content-Encoding was set in front, the bytes; the
		// preconditions are answered already.
		if !h.python {
			set("Accept-Ranges", "bytes")
		}
		if header.Get("Content-Encoding") == "" {
			set("Content-Length", v.length)
		}
		if data == nil {
			sendWhole(w, r, content, size)
			return
		}
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(data)
		}
		return
	}
	// The preconditions are answered; ServeContent is left the ranges.
	if data != nil {
		content = bytes.NewReader(data)
	}
	http.ServeContent(w, h.rangeRequest(r), "", modtime, content.(io.ReadSeeker))
}

// smallFile is the size up to which a file is read and written in one
// Write: net/http then sends it with the headers in one system call,
// where sendfile would add a read of its first 512 bytes and a sendfile
// call of its own. It fits net/http's response buffer (2 KiB).
const smallFile = 2 << 10

var smallBufs = sync.Pool{New: func() any { return new([smallFile]byte) }}

// sendWhole answers 200 with the size bytes of content (none for HEAD),
// never more than announced if the file has grown since its fstat.
func sendWhole(w http.ResponseWriter, r *http.Request, content io.Reader, size int64) {
	w.WriteHeader(http.StatusOK)
	switch {
	case r.Method == http.MethodHead:
	case size <= smallFile:
		writeSmall(w, content, size)
	default:
		if sendable(content) {
			// The header goes out now: net/http's ReadFrom would
			// otherwise read the file's first 512 bytes itself (to sniff
			// a type, which is set already) and write them with it, a
			// read(2) more before sendfile.
			_ = http.NewResponseController(w).Flush()
		}
		_, _ = io.CopyN(w, content, size)
	}
}

// sendable reports whether content is a file the connection can send
// with sendfile(2).
func sendable(content io.Reader) bool {
	switch content.(type) {
	case *os.File, *sizedFile:
		return true
	}
	return false
}

// writeSmall reads the n bytes (at most smallFile) of content and writes
// them in one Write; a file that has shrunk since its fstat ends the body
// short, and net/http closes the connection.
func writeSmall(w http.ResponseWriter, content io.Reader, n int64) {
	buf := smallBufs.Get().(*[smallFile]byte)
	defer smallBufs.Put(buf)
	m, _ := io.ReadFull(content, buf[:n])
	_, _ = w.Write(buf[:m])
}

// rangeRequest returns r, or a shallow copy of it with only the headers
// http.ServeContent is to act on: the preconditions are answered already,
// ranges are dropped under WithPythonHeaders, and a Range in a unit other
// than bytes is ignored, as RFC 9110 §14.2 says (ServeContent would answer
// 416).
func (h *handler) rangeRequest(r *http.Request) *http.Request {
	drop := precond.Present(r.Header)
	rng, hasRange := r.Header["Range"]
	otherUnit := hasRange && (len(rng) != 1 || !strings.HasPrefix(rng[0], "bytes="))
	if h.python {
		drop = drop || hasRange || r.Header["If-Range"] != nil
	}
	if !drop && !otherUnit {
		return r
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.Header = r.Header.Clone()
	for _, k := range [...]string{"If-Match", "If-Unmodified-Since", "If-None-Match", "If-Modified-Since"} {
		delete(r2.Header, k)
	}
	if otherUnit || h.python {
		delete(r2.Header, "Range")
		delete(r2.Header, "If-Range")
	}
	return r2
}
