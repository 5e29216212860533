// Package simplehttp composes the toolkit's middleware into the handler
// `python -m http.server` would be: NewHandler serves a directory the way
// Python 3.12's http.server does, and the simplehttp command (cmd/simplehttp)
// puts it behind an HTTP server with Python's command line.
//
// Each behaviour is its own package, usable alone in any net/http or chi
// application; this package only stacks them in the Python-compatible order,
// outermost first:
//
//	errorpage → logging → cgi → conditional → fileserver.Index → dirlist → fileserver.New
//
// errorpage sits outside logging so that the log sees the handler's own
// http.Error message, as Python's log does; logging is there only with
// [WithAccessLog], cgi only with [WithCGI].
//
// Usage:
//
//	h, err := simplehttp.NewHandler("/srv/www")
//	if err != nil {
//		log.Fatal(err)
//	}
//	log.Fatal(http.ListenAndServe(":8000", h))
//
// By default the directory is opened as an [os.Root]: symbolic links that
// stay inside it are followed and those that lead out of it are answered
// 404. [WithFollowSymlinks] follows every link, as Python does.
package simplehttp
