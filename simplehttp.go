package simplehttp

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/simplehttp/simplehttp/cgi"
	"github.com/simplehttp/simplehttp/compress"
	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/dirlist"
	"github.com/simplehttp/simplehttp/dotfiles"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/fileserver"
	"github.com/simplehttp/simplehttp/headers"
	"github.com/simplehttp/simplehttp/internal/watch"
	"github.com/simplehttp/simplehttp/logging"
)

// An Option configures [NewHandler] and [NewRootHandler].
type Option func(*config)

type config struct {
	followSymlinks bool
	cgi            bool
	cgiProtocol    string
	cgiTimeout     time.Duration
	cgiMaxBody     int64
	accessLog      io.Writer
	richListing    bool
	hideDotfiles   bool
	server         string
	headers        http.Header
	compress       bool
	files          []fileserver.Option // beyond Python: precompressed, SPA
	defaultType    string
	cacheSize      *int64 // nil: fileserver's default
	errorPages     []errorpage.Option
}

// WithFollowSymlinks follows every symbolic link, even one that leads out
// of the directory, as Python does: files are served through [os.DirFS] of
// the directory's name. By default a link that leaves the directory is
// answered 404.
func WithFollowSymlinks() Option {
	return func(c *config) { c.followSymlinks = true }
}

// WithCGI runs CGI scripts under the directory's cgi-bin and htbin (see
// [cgi.New]). CGI needs Linux; elsewhere the constructor returns an error.
// Default: off.
func WithCGI() Option {
	return func(c *config) { c.cgi = true }
}

// WithCGITimeout kills a CGI script, with its process group, when it runs
// longer than d ([cgi.WithTimeout]). It needs [WithCGI]. Default: 0, no
// limit.
func WithCGITimeout(d time.Duration) Option {
	return func(c *config) { c.cgiTimeout = d }
}

// WithCGIMaxBody sets how many bytes of a chunked request body (one
// without Content-Length) a CGI script may be sent ([cgi.WithMaxSpool]);
// a longer one is refused with 413. It needs [WithCGI]. Default:
// [cgi.DefaultMaxSpool].
func WithCGIMaxBody(n int64) Option {
	return func(c *config) { c.cgiMaxBody = n }
}

// WithCGIProtocol sets the SERVER_PROTOCOL CGI scripts see, "HTTP/1.0" or
// "HTTP/1.1" ([cgi.WithServerProtocol]); the protocol the server speaks is
// the [http.Server]'s business. It needs [WithCGI]. Default: "HTTP/1.0".
func WithCGIProtocol(version string) Option {
	return func(c *config) { c.cgiProtocol = version }
}

// WithAccessLog writes one line per request to w in Python's format (see
// [logging.New]). Default: nil, no access log.
func WithAccessLog(w io.Writer) Option {
	return func(c *config) { c.accessLog = w }
}

// WithServerHeader sends name as the Server header of every response and
// gives it to CGI scripts as SERVER_SOFTWARE. Default: "", no Server header,
// and [cgi.DefaultServerSoftware] for scripts.
func WithServerHeader(name string) Option {
	return func(c *config) { c.server = name }
}

// WithRichListing serves directory listings with sizes, dates, sorting and
// a filter box ([dirlist.WithRichListing]). Default: Python's page.
func WithRichListing() Option {
	return func(c *config) { c.richListing = true }
}

// WithHideDotfiles leaves names that start with "." out of listings and
// answers 404 for every path that names one, for files, listings and CGI
// scripts alike ([dotfiles.New]). Default: off, dotfiles are listed and
// served.
func WithHideDotfiles() Option {
	return func(c *config) { c.hideDotfiles = true }
}

// A Handler serves a directory as `python -m http.server` does. Close
// releases the directory when the Handler opened it.
type Handler struct {
	h    http.Handler
	root *os.Root // opened by NewHandler; nil when the caller owns it
}

// ServeHTTP serves the request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.h.ServeHTTP(w, r)
}

// Close closes the directory [NewHandler] opened; requests served after it
// fail. For a Handler from [NewRootHandler] it does nothing: the root is the
// caller's to close.
func (h *Handler) Close() error {
	if h.root == nil {
		return nil
	}
	return h.root.Close()
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

// WithPrecompressed serves a file's precompressed sidecar (a.js.br,
// a.js.zst, a.js.gz) to a client that accepts its coding
// ([fileserver.WithPrecompressed]). The default serves files as they are.
func WithPrecompressed() Option {
	return func(c *config) { c.files = append(c.files, fileserver.WithPrecompressed()) }
}

// WithSPA answers a request for a missing page with the root index.html
// ([fileserver.WithSPA]), for single-page applications. The default is 404.
func WithSPA() Option {
	return func(c *config) { c.files = append(c.files, fileserver.WithSPA()) }
}

// WithCache sets the size in bytes of the file server's cache of small,
// unchanged files ([fileserver.WithCache]); 0 turns it off. The default is
// [fileserver.DefaultCacheSize]. NewHandler returns an error when size is
// negative.
func WithCache(size int64) Option {
	return func(c *config) { c.cacheSize = &size }
}

// WithDefaultContentType sets the Content-Type of files whose extension is
// unknown ([fileserver.WithDefaultContentType]). The default is
// application/octet-stream. NewHandler returns an error when t is not a
// valid media type.
func WithDefaultContentType(t string) Option {
	return func(c *config) { c.defaultType = t }
}

// WithErrorPage answers every error with status code with body, sent as
// contentType, instead of Python's page ([errorpage.WithPage]); the status
// is kept. It may be given once per code. The default is Python's page for
// every code.
func WithErrorPage(code int, body []byte, contentType string) Option {
	return func(c *config) { c.errorPages = append(c.errorPages, errorpage.WithPage(code, body, contentType)) }
}

// NewHandler returns the handler `python -m http.server` would be, serving
// the directory dir, which it opens as an [os.Root] and keeps open until
// [Handler.Close]. It returns an error when dir cannot be opened as a
// directory, for an invalid option value or combination, and for CGI on a
// system other than Linux.
//
// NewHandler panics if an option is nil.
func NewHandler(dir string, opts ...Option) (*Handler, error) {
	cfg, err := configure(opts)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("simplehttp: %w", err)
	}
	h, err := stack(root, cfg)
	if err != nil {
		root.Close()
		return nil, err
	}
	return &Handler{h: h, root: root}, nil
}

// NewRootHandler is [NewHandler] for a directory the caller has opened and
// closes: root must stay open while the handler serves.
//
// NewRootHandler panics if root or an option is nil.
func NewRootHandler(root *os.Root, opts ...Option) (*Handler, error) {
	if root == nil {
		panic("simplehttp: nil *os.Root")
	}
	cfg, err := configure(opts)
	if err != nil {
		return nil, err
	}
	h, err := stack(root, cfg)
	if err != nil {
		return nil, err
	}
	return &Handler{h: h}, nil
}

// configure applies opts and checks their values and combinations.
func configure(opts []Option) (config, error) {
	var cfg config
	for _, opt := range opts {
		if opt == nil {
			panic("simplehttp: nil Option")
		}
		opt(&cfg)
	}
	if cfg.defaultType != "" {
		if _, _, err := mime.ParseMediaType(cfg.defaultType); err != nil || !strings.Contains(cfg.defaultType, "/") || strings.ContainsAny(cfg.defaultType, "\r\n") {
			return cfg, fmt.Errorf("simplehttp: invalid content type %q", cfg.defaultType)
		}
		cfg.files = append(cfg.files, fileserver.WithDefaultContentType(cfg.defaultType))
	}
	if cfg.cacheSize != nil {
		if *cfg.cacheSize < 0 {
			return cfg, fmt.Errorf("simplehttp: negative cache size %d", *cfg.cacheSize)
		}
		cfg.files = append(cfg.files, fileserver.WithCache(*cfg.cacheSize))
	}
	switch {
	case !cfg.cgi && cfg.cgiTimeout != 0:
		return cfg, errors.New("simplehttp: WithCGITimeout needs WithCGI")
	case !cfg.cgi && cfg.cgiProtocol != "":
		return cfg, errors.New("simplehttp: WithCGIProtocol needs WithCGI")
	case !cfg.cgi && cfg.cgiMaxBody != 0:
		return cfg, errors.New("simplehttp: WithCGIMaxBody needs WithCGI")
	case cfg.cgiMaxBody < 0:
		return cfg, fmt.Errorf("simplehttp: negative CGI body limit %d", cfg.cgiMaxBody)
	case cfg.cgiTimeout < 0:
		return cfg, fmt.Errorf("simplehttp: negative CGI timeout %v", cfg.cgiTimeout)
	case cfg.cgiProtocol == "":
		cfg.cgiProtocol = "HTTP/1.0"
	case cfg.cgiProtocol != "HTTP/1.0" && cfg.cgiProtocol != "HTTP/1.1":
		return cfg, fmt.Errorf("simplehttp: protocol %q is neither HTTP/1.0 nor HTTP/1.1", cfg.cgiProtocol)
	}
	if cfg.cgi && !cgi.Supported() {
		return cfg, errors.New("simplehttp: CGI scripts need Linux")
	}
	for name, values := range cfg.headers {
		for _, v := range values {
			if err := headers.Check(name, v); err != nil {
				return cfg, fmt.Errorf("simplehttp: %w", err)
			}
		}
	}
	return cfg, nil
}

// serverHeader sets the Server header before anything else can answer.
// Between headers and errorpage, it keeps them one chain of watching
// middleware (internal/watch), which wraps the writer once.
func serverHeader(name string) func(http.Handler) http.Handler {
	return watch.Begin("simplehttp", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", name)
	})
}

// stack composes the middleware around the file handler, outermost first:
// headers, the Server header, errorpage, logging, compress, dotfiles, cgi,
// conditional, fileserver.Index, dirlist. The first five, adjacent, join
// into one chain that wraps the writer once (internal/watch).
func stack(root *os.Root, cfg config) (http.Handler, error) {
	fsys := fileserver.RootFS(root) // opened once per request, never blocking on a FIFO
	if cfg.followSymlinks {
		fsys = os.DirFS(root.Name())
	}
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
	var listing []dirlist.Option
	if cfg.hideDotfiles {
		middleware = append(middleware, dotfiles.New())
		listing = append(listing, dirlist.WithHideDotfiles())
	}
	if cfg.cgi {
		cgiOpts = append(cgiOpts, cgi.WithServerProtocol(cfg.cgiProtocol))
		if cfg.cgiTimeout > 0 {
			cgiOpts = append(cgiOpts, cgi.WithTimeout(cfg.cgiTimeout))
		}
		if cfg.followSymlinks {
			cgiOpts = append(cgiOpts, cgi.WithFollowSymlinks())
		}
		if cfg.cgiMaxBody > 0 {
			cgiOpts = append(cgiOpts, cgi.WithMaxSpool(cfg.cgiMaxBody))
		}
		runScripts, err := cgi.New(root, cgiOpts...)
		if err != nil {
			return nil, fmt.Errorf("simplehttp: %w", err)
		}
		middleware = append(middleware, runScripts)
	}
	if cfg.richListing {
		listing = append(listing, dirlist.WithRichListing())
	}
	middleware = append(middleware,
		conditional.New(),
		fileserver.Index(fsys),
		dirlist.New(fsys, listing...),
	)
	h := fileserver.New(fsys, cfg.files...)
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h, nil
}
