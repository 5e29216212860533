// Package dirlist answers requests for a directory with a listing of it:
// Python 3.12's http.server page, byte for byte, by default, and on request
// a richer page (sizes, dates, sorting, a filter box, dark mode), a JSON
// form, or a page from an html/template of yours.
//
// It is net/http middleware over an fs.FS. Pass the FS of an os.Root to
// stay inside a directory (links that leave it are not followed), or
// os.DirFS to follow every link as Python does:
//
//	root, err := os.OpenRoot("public")
//	if err != nil {
//		log.Fatal(err)
//	}
//	list := dirlist.New(root.FS(), dirlist.WithRichListing())
//	http.Handle("/", list(http.FileServerFS(root.FS())))
//
// A listing is served for GET and HEAD requests whose path names a
// directory and ends in "/"; everything else goes to the next handler,
// which serves files and redirects directory paths without the slash.
//
// Python's page is "text/html; charset=utf-8" with a Content-Length and no
// Last-Modified, every name (dotfiles included) sorted by its lower-cased
// form, "/" after directories and links to them, "@" after symbolic links,
// hrefs percent-encoded like urllib.parse.quote and names escaped like
// html.escape(name, quote=False). The few deliberate differences are in the
// module's README.
//
// [WithRichListing], [WithTemplate], [WithJSON], [WithHide],
// [WithHideDotfiles], [WithLocation] and [WithIndexNames] change it; the
// data a template receives, and the JSON form, is a [Listing]. Hiding a name
// only leaves it out of listings: dotfiles.New in front refuses requests
// for dot-names.
//
// Used alone or stacked in any order with the module's other packages, it
// gives every request the status code the documented order gives (README,
// "The contract"): it gives way to a directory's index page, whatever is
// stacked around it.
package dirlist
