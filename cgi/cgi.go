package cgi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/user"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/simplehttp/simplehttp/internal/httperr"
	"github.com/simplehttp/simplehttp/internal/pyrepr"
	"github.com/simplehttp/simplehttp/internal/scrub"
	"github.com/simplehttp/simplehttp/internal/urlpath"
)

// Defaults of the options.
const (
	// DefaultServerProtocol is SERVER_PROTOCOL unless [WithServerProtocol]
	// says otherwise: Python's protocol_version default.
	DefaultServerProtocol = "HTTP/1.0"
	// DefaultServerSoftware is SERVER_SOFTWARE unless [WithServerSoftware]
	// says otherwise.
	DefaultServerSoftware = "simplehttp"
	// DefaultMaxSpool is how many bytes of a chunked request body (one
	// without Content-Length) are spooled to a temporary file before the
	// request is refused with 413, unless [WithMaxSpool] says otherwise.
	DefaultMaxSpool = 64 << 20
	// DefaultUser is the user scripts run as when the server runs as root,
	// unless [WithUser] says otherwise.
	DefaultUser = "nobody"
)

// defaultDirs and defaultEnv are the defaults of WithDirs and WithEnv.
var (
	defaultDirs = []string{"/cgi-bin", "/htbin"}
	defaultEnv  = []string{"PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ"}
)

const (
	maxHeaderBytes   = 64 << 10 // the script's header block
	maxLocalRedirect = 10       // chained local Location redirects
	defaultPath      = "/usr/local/bin:/usr/bin:/bin"
)

// An Option configures [New].
type Option func(*config)

// WithDirs sets the URL directories whose scripts are run (default
// "/cgi-bin" and "/htbin", Python's cgi_directories). Each must be a clean absolute URL path other than "/",
// such as "/cgi-bin" or "/app/bin"; matching is case-sensitive.
func WithDirs(dirs ...string) Option {
	return func(c *config) { c.dirs = slices.Clone(dirs) }
}

// WithLogf sets where the middleware logs: the scripts' stderr (one call
// per line), "CGI script exit code N" for a script that exits non-zero
// (N is -SIG for a signal, as in Python), and why a script's output was
// refused with 502. The default writes to os.Stderr with the standard log
// package's date prefix and control characters escaped as the logging
// package escapes them. [github.com/simplehttp/simplehttp/logging.Logger.Logf]
// fits here; f must be safe for concurrent use.
func WithLogf(f func(r *http.Request, format string, args ...any)) Option {
	return func(c *config) { c.logf = f }
}

// WithTimeout limits how long a script may run: when d passes, its whole
// process group is killed. Before the script has written its header block
// the client gets a 504; after, the response is cut off. The default, 0,
// means no limit, as in Python: a script then runs until it exits or the
// client goes away.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithServerProtocol sets SERVER_PROTOCOL (default [DefaultServerProtocol]).
// Python passes its protocol_version (the -p flag), not the request's.
func WithServerProtocol(p string) Option {
	return func(c *config) { c.protocol = p }
}

// WithServerSoftware sets SERVER_SOFTWARE (default [DefaultServerSoftware]).
func WithServerSoftware(s string) Option {
	return func(c *config) { c.software = s }
}

// WithEnv sets which variables of the server's environment, read once in
// [New], scripts get (default PATH, LANG, LC_ALL, LC_CTYPE and TZ). No other
// variable of the server's environment is passed. When PATH is allowed but
// unset, scripts get PATH=/usr/local/bin:/usr/bin:/bin.
func WithEnv(names ...string) Option {
	return func(c *config) { c.envNames = slices.Clone(names) }
}

// WithMaxSpool sets how many bytes of a chunked request body are accepted
// (default [DefaultMaxSpool]). Such a body is spooled to an unlinked
// temporary file so that CONTENT_LENGTH can be set; a longer one is refused
// with 413. Bodies with a Content-Length are streamed and not limited here.
func WithMaxSpool(n int64) Option {
	return func(c *config) { c.maxSpool = n }
}

// WithUser sets the user scripts run as, with that user's primary group and
// no supplementary groups. The default is [DefaultUser] when the server runs
// as root (uid and gid 65534 when there is no such user) and no switch
// otherwise. An empty name turns the switch off; a name other than the
// server's own user needs root.
func WithUser(name string) Option {
	return func(c *config) { c.user, c.userSet = name, true }
}

// WithFollowSymlinks makes the script lookup follow symbolic links that lead
// out of the directory. By default the lookup goes through an [os.Root], and
// a link that leaves the directory is answered as a missing script.
func WithFollowSymlinks() Option {
	return func(c *config) { c.followSymlinks = true }
}

type config struct {
	dirs           []string
	logf           func(r *http.Request, format string, args ...any)
	timeout        time.Duration
	protocol       string
	software       string
	envNames       []string
	maxSpool       int64
	user           string
	userSet        bool
	followSymlinks bool

	abs     string                                           // the directory, absolute
	stat    func(name string) (fs.FileInfo, error)           // follows links; name is slash-separated, relative
	open    func(name string) (*os.File, fs.FileInfo, error) // opens name with O_PATH, following links as stat does, and fstats it
	openDir func(name string) (*os.File, error)              // opens directory name with O_PATH, following links as stat does
	devNull *os.File                                         // the stdin of a script given no body
	baseEnv []string                                         // the allowlisted part of the server's environment
	cred    *credential                                      // whom scripts run as; nil: the server's user
	runAs   runAs                                            // whose permissions the executable test checks
}

// credential is a user and group to run scripts as.
type credential struct{ uid, gid uint32 }

// Supported reports whether scripts can be run on this system: Linux,
// where [New] works; elsewhere it returns an error.
func Supported() bool { return supported }

// New returns middleware that runs the CGI scripts found in root for GET,
// HEAD and POST requests to the CGI directories, and passes every other
// request to next. The caller owns root and closes it once the handler is
// no longer used; scripts are looked up through it (a symbolic link that
// leaves it is a missing script, unless [WithFollowSymlinks]) and run from
// the very file that was checked, by descriptor.
//
// A nil root, a nil option, a bad option value or a nil next handler
// panics with a "cgi: " message; what depends on the machine (an unknown
// user, a user switch without root, a system other than Linux) is
// returned as an error.
func New(root *os.Root, opts ...Option) (func(http.Handler) http.Handler, error) {
	if root == nil {
		panic("cgi: nil root")
	}
	c := &config{
		dirs:     slices.Clone(defaultDirs),
		protocol: DefaultServerProtocol,
		software: DefaultServerSoftware,
		envNames: slices.Clone(defaultEnv),
		maxSpool: DefaultMaxSpool,
	}
	for _, o := range opts {
		if o == nil {
			panic("cgi: nil option")
		}
		o(c)
	}
	c.validate()
	if !supported {
		return nil, errors.New("cgi: running CGI scripts is only supported on Linux")
	}
	if err := c.init(root); err != nil {
		return nil, err
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("cgi: nil next handler")
		}
		return &handler{config: c, next: next}
	}, nil
}

// validate panics on option values no machine could accept.
func (c *config) validate() {
	if len(c.dirs) == 0 {
		panic("cgi: WithDirs needs at least one directory")
	}
	for _, d := range c.dirs {
		if d == "/" || !strings.HasPrefix(d, "/") || path.Clean(d) != d {
			panic(fmt.Sprintf("cgi: CGI directory %q is not a clean absolute URL path like \"/cgi-bin\"", d))
		}
	}
	if c.timeout < 0 {
		panic("cgi: negative timeout")
	}
	if c.maxSpool < 0 {
		panic("cgi: negative spool limit")
	}
	if c.protocol == "" || strings.ContainsAny(c.protocol, "\x00") || strings.ContainsRune(c.software, 0) {
		panic("cgi: empty or invalid server protocol or software")
	}
	for _, name := range c.envNames {
		if name == "" || strings.ContainsAny(name, "=\x00") {
			panic(fmt.Sprintf("cgi: bad environment variable name %q", name))
		}
	}
	if c.logf == nil {
		c.logf = writerLogf(os.Stderr)
	}
}

// init sets up what New learns from the machine: the directory's absolute
// name, how scripts are found and opened, the environment passed on, and
// whom scripts run as.
func (c *config) init(root *os.Root) error {
	abs, err := filepath.Abs(root.Name())
	if err != nil {
		return fmt.Errorf("cgi: %w", err)
	}
	c.abs = abs
	if c.followSymlinks {
		// Links are followed wherever they lead, so the lookup goes by
		// name from the root's directory.
		c.stat = func(name string) (fs.FileInfo, error) {
			return os.Stat(filepath.Join(abs, filepath.FromSlash(name)))
		}
		c.open = func(name string) (*os.File, fs.FileInfo, error) {
			return openStat(os.OpenFile(filepath.Join(abs, filepath.FromSlash(name)), oPath, 0))
		}
		c.openDir = func(name string) (*os.File, error) {
			return os.OpenFile(filepath.Join(abs, filepath.FromSlash(name)), oPath|oDirectory, 0)
		}
	} else {
		c.stat = root.Stat
		c.open = func(name string) (*os.File, fs.FileInfo, error) {
			f, fi, err := openStat(root.OpenFile(name, oPath, 0))
			if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				return f, fi, err
			}
			// O_PATH opens a final symbolic link itself, where os.Root
			// expects to be told to follow it: open it for reading
			// instead, which the root resolves (non-blocking, so that a
			// link to a FIFO cannot hang the request).
			f.Close()
			return openStat(root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0))
		}
		c.openDir = func(name string) (*os.File, error) {
			return root.OpenFile(name, oPath|oDirectory, 0)
		}
	}

	// One /dev/null serves every script without a body: os/exec would
	// open one per script.
	if c.devNull, err = os.Open(os.DevNull); err != nil {
		return fmt.Errorf("cgi: %w", err)
	}

	for _, name := range c.envNames {
		if v, ok := os.LookupEnv(name); ok {
			c.baseEnv = append(c.baseEnv, name+"="+v)
		} else if name == "PATH" {
			c.baseEnv = append(c.baseEnv, "PATH="+defaultPath)
		}
	}

	c.cred, err = lookupCredential(c.user, c.userSet)
	if err != nil {
		return err
	}
	c.runAs = currentRunAs()
	if c.cred != nil {
		c.runAs = runAs{uid: c.cred.uid, gid: c.cred.gid}
	}
	return nil
}

// openStat completes an open with the file's fstat: the file and what it
// is, or the error of either (the file closed).
func openStat(f *os.File, err error) (*os.File, fs.FileInfo, error) {
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// lookupCredential returns whom scripts run as: nil to run them as the
// server's own user.
func lookupCredential(name string, set bool) (*credential, error) {
	root := os.Geteuid() == 0
	if !set {
		if !root {
			return nil, nil
		}
		u, err := user.Lookup(DefaultUser)
		if err != nil {
			return &credential{uid: 65534, gid: 65534}, nil
		}
		return parseCredential(u)
	}
	if name == "" {
		return nil, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("cgi: %w", err)
	}
	cred, err := parseCredential(u)
	if err != nil {
		return nil, err
	}
	if !root {
		if int(cred.uid) == os.Geteuid() {
			return nil, nil
		}
		return nil, fmt.Errorf("cgi: running scripts as %q needs root", name)
	}
	return cred, nil
}

func parseCredential(u *user.User) (*credential, error) {
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("cgi: user %q has a non-numeric uid or gid", u.Username)
	}
	return &credential{uid: uint32(uid), gid: uint32(gid)}, nil
}

// writerLogf is the default WithLogf, on os.Stderr: one line on w per
// call, with the standard log package's date prefix and the message
// scrubbed the way the logging middleware scrubs its lines, so that a
// script cannot write to the terminal.
func writerLogf(w io.Writer) func(r *http.Request, format string, args ...any) {
	l := log.New(w, "", log.LstdFlags)
	return func(r *http.Request, format string, args ...any) {
		l.Printf("%s %s", r.RemoteAddr, scrub.Append(nil, fmt.Sprintf(format, args...), false))
	}
}

type handler struct {
	*config
	next http.Handler
}

// redirectDepth counts the local redirects that led to a request.
type redirectDepth struct{}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		// Python's CGI handler has no other do_METHOD: they get the file
		// handler's "Unsupported method".
		h.next.ServeHTTP(w, r)
		return
	}
	p, ok := collapse(urlpath.Raw(r.URL))
	if !ok {
		// Python drops the connection here (an IndexError in
		// _url_collapse_path, or a NUL in the name).
		httperr.Error(w, "File not found", http.StatusNotFound)
		return
	}
	dir, rest, ok := h.cgiDir(p)
	if !ok {
		if r.Method == http.MethodPost {
			httperr.Error(w, "Can only POST to CGI scripts", http.StatusNotImplemented)
			return
		}
		h.next.ServeHTTP(w, r)
		return
	}
	s, code, msg, err := h.lookup(dir, rest)
	switch {
	case err != nil:
		h.logf(r, "CGI script %s: %v", s.name, err)
		httperr.Unavailable(w, err)
		return
	case code != 0:
		httperr.Error(w, msg, code)
		return
	}
	defer closeAll(s.exe, s.dir)
	h.serveScript(w, r, s)
}

// cgiDir reports whether the collapsed path p is under a CGI directory, and
// splits it there, as Python's is_cgi: the shortest matching directory wins.
func (c *config) cgiDir(p string) (dir, rest string, ok bool) {
	for i := 1; i < len(p); i++ {
		if p[i] == '/' && slices.Contains(c.dirs, p[:i]) {
			return p[:i], p[i+1:], true
		}
	}
	return "", "", false
}

// script is a CGI script found on disk.
type script struct {
	name     string   // "/cgi-bin/x.sh", below the mount; SCRIPT_NAME adds the mount prefix
	pathInfo string   // PATH_INFO: "" or "/more/path"
	file     string   // the script's name on disk, absolute (SCRIPT_FILENAME)
	exe      *os.File // the script itself, opened with O_PATH: what is run
	dir      *os.File // its directory, where it runs; nil: by name
}

// lookup finds the script a CGI path names: it walks down rest while the
// next segment is a directory; the segment after is the script, the rest
// PATH_INFO. The script is opened, and checked through that descriptor,
// which is what is then executed: a file swapped in after the check is
// not run. When there is no runnable script, lookup returns the status and
// message to answer with, or the error when the lookup failed for want of
// descriptors or memory (a 503, not a missing script).
func (c *config) lookup(dir, rest string) (s script, code int, msg string, err error) {
	for {
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			break
		}
		next := dir + "/" + rest[:i]
		fi, err := c.stat(next[1:])
		if httperr.Transient(err) {
			return script{name: next}, 0, "", err
		}
		if err != nil || !fi.IsDir() {
			break
		}
		dir, rest = next, rest[i+1:]
	}
	name, pathInfo := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		name, pathInfo = rest[:i], rest[i:]
	}
	s = script{name: dir + "/" + name, pathInfo: pathInfo}
	rel := strings.Trim(s.name, "/")
	f, fi, err := c.open(rel)
	if httperr.Transient(err) {
		return s, 0, "", err
	}
	switch {
	case err != nil:
		return s, http.StatusNotFound, "No such CGI script (" + pyrepr.String(s.name) + ")", nil
	case !fi.Mode().IsRegular():
		f.Close()
		return s, http.StatusForbidden, "CGI script is not a plain file (" + pyrepr.String(s.name) + ")", nil
	case !c.runAs.canExecute(fi):
		f.Close()
		return s, http.StatusForbidden, "CGI script is not executable (" + pyrepr.String(s.name) + ")", nil
	}
	// The script's directory, its working directory, is opened too, so
	// that it is the one the script was found in even if the served
	// directory has been renamed since (O_PATH: it need not be readable,
	// and costs no more than the lookup). Where it cannot be opened, the
	// script changes to it by name.
	wd, err := c.openDir(path.Dir(rel))
	if httperr.Transient(err) {
		f.Close()
		return s, 0, "", err
	}
	s.file = filepath.Join(c.abs, filepath.FromSlash(rel))
	s.exe, s.dir = f, wd
	return s, 0, "", nil
}

// localRedirect serves a script's local Location (RFC 3875 §6.2.2) as a new
// GET (HEAD stays HEAD) for that path, through this middleware again.
func (h *handler) localRedirect(w http.ResponseWriter, r *http.Request, location string) {
	depth, _ := r.Context().Value(redirectDepth{}).(int)
	if depth >= maxLocalRedirect {
		h.logf(r, "CGI script: more than %d local redirects", maxLocalRedirect)
		badGateway(w)
		return
	}
	ctx := context.WithValue(r.Context(), redirectDepth{}, depth+1)
	ctx = context.WithValue(ctx, mountKey{}, mountPrefix(r))
	r2 := r.Clone(ctx)
	if r2.Method != http.MethodHead {
		r2.Method = http.MethodGet
	}
	u, err := r.URL.Parse(location)
	if err != nil {
		h.logf(r, "CGI script: bad local Location %q: %v", location, err)
		badGateway(w)
		return
	}
	r2.URL.Path, r2.URL.RawPath, r2.URL.RawQuery = u.Path, u.RawPath, u.RawQuery
	r2.RequestURI = location
	r2.Body, r2.ContentLength, r2.TransferEncoding = http.NoBody, 0, nil
	for _, k := range []string{"Content-Length", "Content-Type", "Transfer-Encoding"} {
		r2.Header.Del(k)
	}
	h.ServeHTTP(w, r2)
}
