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
// which serves files and redirects directory paths without the slash. It
// does not look for index.html: put an index middleware in front. Its links
// are relative and its title comes from the request target as sent, so it
// works under http.StripPrefix and chi's Mount.
//
// # Python's page
//
// Without options the answer is what `python3.12 -m http.server` sends:
// "Content-Type: text/html; charset=utf-8", a Content-Length, no
// Last-Modified, and a list of every name (dotfiles included) sorted by the
// lower-cased name, with "/" after directories and links to them and "@"
// after symbolic links; hrefs are percent-encoded like urllib.parse.quote,
// names HTML-escaped like html.escape(name, quote=False). A directory that
// cannot be read is a 404 "No permission to list directory"; one that can
// be read but not searched lists its names with neither "/" nor "@", as
// Python's stat and lstat fail there. Deliberate
// differences: the title leaves out ?query and #fragment (as Python 3.14
// does); names equal once lower-cased are ordered by their bytes (Python
// keeps the order of the disk); a name that is not valid UTF-8 links to its
// raw bytes and shows U+FFFD (Python's link does not lead back to the file).
//
// # Beyond Python
//
// [WithRichListing], [WithTemplate], [WithJSON], [WithHide],
// [WithHideDotfiles] and [WithLocation] are all off by default. The data a
// template receives, and the JSON form, is a [Listing].
package dirlist
