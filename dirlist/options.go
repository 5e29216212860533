package dirlist

import (
	"html/template"
	"strings"
	"time"
)

// An Option configures the middleware returned by [New].
type Option func(*config)

type config struct {
	rich    bool
	tmpl    *template.Template
	json    bool
	hide    []func(name string) bool
	loc     *time.Location
	tmplSet bool     // WithTemplate was given (New checks it was not nil)
	index   []string // index pages that leave a directory to next; nil: the default
}

// WithRichListing serves a richer HTML page instead of Python's: size and
// modification time columns, sorting by name, size or time (directories
// first; query parameters sort=name|size|time and order=asc|desc, so it
// works without JavaScript), a filter box (query parameter q, filtered as
// you type when JavaScript runs), a parent-directory link, dark mode through
// prefers-color-scheme, and a layout that reads on a phone. The page loads
// nothing from elsewhere; its inline style and script are pinned by a
// Content-Security-Policy header, so even a name that escaped escaping could
// not run a script. It cannot be combined with [WithTemplate].
//
// Default: off, the page is Python's, byte for byte.
func WithRichListing() Option {
	return func(c *config) { c.rich = true }
}

// WithTemplate renders listings with t, executed with a *[Listing], and
// answers them as "text/html; charset=utf-8". Query parameters sort, order
// and q apply as with [WithRichListing]. If t fails to execute, the answer
// is a 500. It cannot be combined with [WithRichListing].
//
// Default: none, the page is Python's.
func WithTemplate(t *template.Template) Option {
	return func(c *config) { c.tmpl, c.tmplSet = t, true }
}

// WithJSON also answers listings as JSON (the [Listing] structure,
// "application/json") when the request has the query parameter format=json,
// or an Accept header that lists application/json above text/html
// (wildcards do not count) and no format=html. Listing responses then carry
// "Vary: Accept".
//
// Default: off, only HTML.
func WithJSON() Option {
	return func(c *config) { c.json = true }
}

// WithHide leaves out of listings the names for which hide returns true.
// It only affects listings: the names are still served to a request that
// names them; put dotfiles.New (or a handler of your own) in front to refuse
// those requests. It may be given several times: a name is hidden when any
// of them says so.
//
// Default: every name is listed, as Python does.
func WithHide(hide func(name string) bool) Option {
	return func(c *config) { c.hide = append(c.hide, hide) }
}

// WithHideDotfiles leaves names that start with "." out of listings, as
// [WithHide] does; pair it with dotfiles.New to refuse them too.
//
// Default: dotfiles are listed, as Python does.
func WithHideDotfiles() Option {
	return WithHide(func(name string) bool { return strings.HasPrefix(name, ".") })
}

// WithLocation sets the time zone of [Entry.ModTime] for the rich page,
// templates and JSON.
//
// Default: time.UTC.
func WithLocation(loc *time.Location) Option {
	return func(c *config) { c.loc = loc }
}

// WithIndexNames sets the index pages whose presence leaves a directory to
// the next handler instead of listing it, so that the listing gives way to
// the index page whichever of the two is stacked first. Use the names given
// to fileserver.Index.
//
// Default: "index.html", "index.htm", Python's.
func WithIndexNames(names ...string) Option {
	names = append([]string{}, names...)
	return func(c *config) { c.index = names }
}
