package simplehttp

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"syscall"

	"github.com/simplehttp/simplehttp/conditional"
	"github.com/simplehttp/simplehttp/dirlist"
	"github.com/simplehttp/simplehttp/errorpage"
	"github.com/simplehttp/simplehttp/fileserver"
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
}

// WithFollowSymlinks makes the handler follow every symbolic link, even one
// that leads out of the directory, as Python does (the directory is served
// through [os.DirFS]). By default the directory is opened with
// [os.OpenRoot], and a link that leaves it is answered 404.
func WithFollowSymlinks(follow bool) Option {
	return func(c *config) { c.followSymlinks = follow }
}

// WithCGI runs CGI scripts under the directory's cgi-bin and htbin, as
// `python -m http.server --cgi` does. The default is off.
func WithCGI(enabled bool) Option {
	return func(c *config) { c.cgi = enabled }
}

// WithProtocol sets the HTTP version the server speaks, "HTTP/1.0" (the
// default, as Python's) or "HTTP/1.1"; CGI scripts see it as
// SERVER_PROTOCOL. The server itself is configured by its owner (the
// simplehttp command disables keep-alive for HTTP/1.0).
func WithProtocol(version string) Option {
	return func(c *config) { c.protocol = version }
}

// WithAccessLog sets where the access log is written, one line per request
// in Python's format (see [logging.New]). The default, nil, writes no access
// log.
func WithAccessLog(w io.Writer) Option {
	return func(c *config) { c.accessLog = w }
}

// WithRichListing serves directory listings with sizes, dates, sorting and
// a filter box ([dirlist.WithRichListing]) instead of Python's plain page.
// The default is Python's page, byte for byte.
func WithRichListing(rich bool) Option {
	return func(c *config) { c.richListing = rich }
}

// ErrCGIUnavailable is returned by NewHandler when CGI is asked for: the
// module does not ship the cgi middleware yet.
var ErrCGIUnavailable = errors.New("CGI support is not available yet")

// NewHandler returns the handler `python -m http.server` would be, serving
// the directory dir. It returns an error when dir cannot be opened as a
// directory, or when opts ask for what the handler cannot do. Invalid
// protocol versions are refused.
//
// The directory is kept open for the handler's life.
func NewHandler(dir string, opts ...Option) (http.Handler, error) {
	cfg := config{protocol: "HTTP/1.0"}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.protocol != "HTTP/1.0" && cfg.protocol != "HTTP/1.1" {
		return nil, fmt.Errorf("simplehttp: protocol %q is neither HTTP/1.0 nor HTTP/1.1", cfg.protocol)
	}
	fsys, err := openDir(dir, cfg.followSymlinks)
	if err != nil {
		return nil, err
	}
	return stack(fsys, cfg)
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

// stack composes the Python-compatible middleware around the terminal file
// handler. The list reads outermost first; a request passes through each
// middleware in turn and reaches fileserver.New last. The full order is
// errorpage, logging (cfg.accessLog), cgi (cfg.cgi, cfg.protocol),
// conditional, fileserver.Index, dirlist. errorpage sits outside logging so
// that the log sees the handler's own http.Error message, as Python's does.
func stack(fsys fs.FS, cfg config) (http.Handler, error) {
	if cfg.cgi {
		return nil, ErrCGIUnavailable
	}
	middleware := []func(http.Handler) http.Handler{errorpage.New()}
	if cfg.accessLog != nil {
		logger := logging.NewLogger(cfg.accessLog)
		middleware = append(middleware, logger.Handler)
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
