// Package simplehttp composes the toolkit's middleware into the handler
// `python -m http.server` would be: [NewHandler] serves a directory the way
// Python 3.12's http.server does, and the simplehttp command (cmd/simplehttp)
// puts it behind an HTTP server with Python's command line.
//
// Each behaviour is its own package, usable alone in any net/http or chi
// application; this package stacks them in this order, outermost first:
//
//	headers → errorpage → logging → compress → dotfiles → cgi →
//	conditional → fileserver.Index → dirlist → fileserver.New
//
// headers is there only with [WithHeaders], logging with [WithAccessLog],
// compress with [WithCompression], dotfiles with [WithHideDotfiles], cgi
// with [WithCGI].
//
//	h, err := simplehttp.NewHandler("/srv/www")
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer h.Close()
//	log.Fatal(http.ListenAndServe(":8000", h))
//
// The directory is served through an [os.Root]: symbolic links that stay
// inside it are followed, those that lead out of it are answered 404, unless
// [WithFollowSymlinks]. [NewHandler] opens the root and [Handler.Close]
// closes it; [NewRootHandler] serves a root the caller opened and closes.
package simplehttp
