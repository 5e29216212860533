package simplehttp

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"syscall"
	"time"

	"github.com/simplehttp/simplehttp/cgi"
	"github.com/simplehttp/simplehttp/compress"
	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/dirlist"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/headers"
	"github.com/simplehttp/simplehttp/logging"
)

// An Option configures NewHandler.
type Option func(*config)

type config struct {
	followSymlinks bool
	cgi            bool
	protocol       string
	accessLog      io.Writer
	richListing    bool
	cgiTimeout     time.Duration
	server         string
	headers        http.Header
	compress       bool
	errorPages     []errorpage.Option
}

// WithFollowSymlinks makes the handler follow every symbolic link, even one
// that leads out of the directory, as Python does (the directory is served
// through [os.DirFS]). By default the directory is opened with
// [os.OpenRoot], and a link that leaves it is answered 404.
func WithFollowSymlinks(follow bool) Option {
	return func(c *config) { c.followSymlinks = follow }
}

// WithCGI runs CGI scripts under the directory's cgi-bin and htbin, as
// `python -m http.server --cgi` does (see [cgi.New]). The default is off.
// CGI needs Linux; elsewhere NewHandler returns an error.
func WithCGI(enabled bool) Option {
	return func(c *config) { c.cgi = enabled }
}

// WithCGITimeout kills a CGI script, with its whole process group, when it
// runs longer than d ([cgi.WithTimeout]). The default, 0, sets no limit, as
// Python does; a script is still killed when its client goes away.
func WithCGITimeout(d time.Duration) Option {
	return func(c *config) { c.cgiTimeout = d }
}

// WithProtocol sets the HTTP version the server speaks, "HTTP/1.0" (the
// default, as Python's) or "HTTP/1.1"; CGI scripts see it as
// SERVER_PROTOCOL. Connections are the server's business: the simplehttp
// command closes each one after its response under HTTP/1.0.
func WithProtocol(version string) Option {
	return func(c *config) { c.protocol = version }
}

// WithAccessLog sets where the access log is written, one line per request
// in Python's format (see [logging.New]). The default, nil, writes no access
// log.
func WithAccessLog(w io.Writer) Option {
	return func(c *config) { c.accessLog = w }
}

// WithServerHeader sends name as the Server header of every response, and
// gives it to CGI scripts as SERVER_SOFTWARE. Python sends
// "SimpleHTTP/0.6 Python/3.12.1". The default, "", sends no Server header
// (as net/http) and tells scripts [cgi.DefaultServerSoftware].
func WithServerHeader(name string) Option {
	return func(c *config) { c.server = name }
}

// WithRichListing serves directory listings with sizes, dates, sorting and
// a filter box ([dirlist.WithRichListing]) instead of Python's plain page.
// The default is Python's page, byte for byte.
func WithRichListing(rich bool) Option {
	return func(c *config) { c.richListing = rich }
}

// WithHeaders sets the headers h on every response, error pages and 304s
// included, and answers CORS preflight requests 204 when h has
// Access-Control-Allow-Origin (see [headers.New], which NewHandler puts
// outermost). NewHandler returns an error for a name or value
// [headers.Check] refuses. The default adds none.
func WithHeaders(h http.Header) Option {
	h = h.Clone()
	return func(c *config) { c.headers = h }
}

// WithCompression compresses responses of compressible types with
// brotli, zstd or gzip, as the client accepts ([compress.New]). The
// default sends every body as it is.
func WithCompression() Option {
	return func(c *config) { c.compress = true }
}

// WithErrorPage answers every error with status code with body, sent as
// contentType, instead of Python's page ([errorpage.WithPage]); the status
// is kept. It may be given once per code. The default is Python's page for
// every code.
func WithErrorPage(code int, body []byte, contentType string) Option {
	return func(c *config) { c.errorPages = append(c.errorPages, errorpage.WithPage(code, body, contentType)) }
}

// NewHandler returns the handler `python -m http.server` would be, serving
// the directory dir. It returns an error when dir cannot be opened as a
// directory, for a protocol other than HTTP/1.0 and HTTP/1.1, and for CGI
// on a system other than Linux.
//
// The directory is kept open for the handler's life.
func NewHandler(dir string, opts ...Option) (http.Handler, error) {
	cfg := config{protocol: "HTTP/1.0"}
	for _, opt := range opts {
		opt(&cfg)
	}
	for name, values := range cfg.headers {
		for _, v := range values {
			if err := headers.Check(name, v); err != nil {
				return nil, fmt.Errorf("simplehttp: %w", err)
			}
		}
	}
	if cfg.protocol != "HTTP/1.0" && cfg.protocol != "HTTP/1.1" {
		return nil, fmt.Errorf("simplehttp: protocol %q is neither HTTP/1.0 nor HTTP/1.1", cfg.protocol)
	}
	fsys, err := openDir(dir, cfg.followSymlinks)
	if err != nil {
		return nil, err
	}
	return stack(dir, fsys, cfg)
}

// openDir opens dir as an os.Root (links that leave it are refused), or as
// an os.DirFS when every link is to be followed.
func openDir(dir string, followSymlinks bool) (fs.FS, error) {
	if !followSymlinks {
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, fmt.Errorf("simplehttp: %w", err)
		}
		return root.FS(), nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("simplehttp: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("simplehttp: %w", &fs.PathError{Op: "open", Path: dir, Err: syscall.ENOTDIR})
	}
	return os.DirFS(dir), nil
}

// serverHeader sets the Server header before anything else can answer.
func serverHeader(name string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Server", name)
			next.ServeHTTP(w, r)
		})
	}
}

// stack composes the Python-compatible middleware around the terminal file
// handler. The list reads outermost first; a request passes through each
// middleware in turn and reaches fileserver.New last. The full order is
// headers (cfg.headers), errorpage, logging (cfg.accessLog), compress
// (cfg.compress), cgi (cfg.cgi, cfg.protocol), conditional,
// fileserver.Index, dirlist. errorpage sits outside logging so that the
// log sees the handler's own http.Error message, as Python's does; headers
// sits outside everything so that its headers reach every response;
// compress sits outside cgi, to compress scripts' output, and outside
// conditional, which then sees the ETags compress unmarks.
func stack(dir string, fsys fs.FS, cfg config) (http.Handler, error) {
	var middleware []func(http.Handler) http.Handler
	var cgiOpts []cgi.Option
	if len(cfg.headers) > 0 {
		middleware = append(middleware, headers.New(cfg.headers))
	}
	if cfg.server != "" {
		middleware = append(middleware, serverHeader(cfg.server))
		cgiOpts = append(cgiOpts, cgi.WithServerSoftware(cfg.server))
	}
	middleware = append(middleware, errorpage.New(cfg.errorPages...))
	if cfg.accessLog != nil {
		logger := logging.NewLogger(cfg.accessLog)
		middleware = append(middleware, logger.Handler)
		cgiOpts = append(cgiOpts, cgi.WithLogf(logger.Logf))
	}
	if cfg.compress {
		middleware = append(middleware, compress.New())
	}
	if cfg.cgi {
		if !cgi.Supported() {
			return nil, errors.New("simplehttp: CGI scripts need Linux")
		}
		cgiOpts = append(cgiOpts, cgi.WithServerProtocol(cfg.protocol), cgi.WithTimeout(cfg.cgiTimeout))
		if cfg.followSymlinks {
			cgiOpts = append(cgiOpts, cgi.WithFollowSymlinks())
		}
		middleware = append(middleware, cgi.New(dir, cgiOpts...))
	}
	var listing []dirlist.Option
	if cfg.richListing {
		listing = append(listing, dirlist.WithRichListing())
	}
	middleware = append(middleware,
		conditional.New(),
		fileserver.Index(fsys),
		dirlist.New(fsys, listing...),
	)
	h := fileserver.New(fsys)
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h, nil
}
