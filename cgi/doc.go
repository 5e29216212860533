// Package cgi runs CGI scripts (RFC 3875) the way Python's
// http.server --cgi does, as net/http middleware, and passes every other
// request on.
//
// A request is a CGI request when its collapsed path (decoded once, "." and
// ".." resolved, slashes collapsed) starts with one of the CGI directories
// ("/cgi-bin" and "/htbin" unless [WithDirs] says otherwise) followed by "/".
// The script is found the way Python finds it: the path is walked down while
// the next segment is a directory, the segment after that is the script, and
// what follows is PATH_INFO. A missing script is a 404
// "No such CGI script ('/cgi-bin/x.sh')", a directory or other non-regular
// file a 403 "CGI script is not a plain file ('…')", a file without execute
// permission a 403 "CGI script is not executable ('…')". A POST to any other
// path is a 501 "Can only POST to CGI scripts"; methods other than GET, HEAD
// and POST always go to the next handler, as Python only runs scripts for
// those three. Errors are written the http.Error way, so an errorpage
// middleware outside turns them into Python's HTML page.
//
// The script's header block is parsed: "Status:" sets the status code,
// "Location:" redirects (a local path is served internally, as RFC 3875
// asks; anything else is a 302 to the client), and output without a valid
// header block is a 502 with the reason logged. The request body is
// streamed to the script's stdin and the script's output to the client as
// it comes. A script runs in its own process group, as user nobody when the
// server is root, and the whole group is killed when the client goes away,
// when the [WithTimeout] limit passes, or when the script itself exits. How
// this differs from Python's http.server is in the module's README.
//
// The middleware sits where a Python-compatible stack runs scripts: after
// the logging middleware and before the file handler, so that GET /cgi-bin/x
// runs x instead of serving its source:
//
//	root, err := os.OpenRoot("/srv/www")
//	...
//	runScripts, err := cgi.New(root, cgi.WithLogf(logger.Logf))
//	...
//	http.ListenAndServe(":8000", runScripts(fileHandler))
//
// Mounted under a prefix (http.StripPrefix), it matches the CGI
// directories below the mount, and SCRIPT_NAME keeps the prefix, the part
// of the path as sent (RequestURI) that was stripped, so that a script can
// link to itself.
//
// It writes to the http.ResponseWriter it is given and wraps nothing; it uses
// http.ResponseController to flush and to read the request body while the
// response is being written. Running scripts is supported on Linux only;
// elsewhere [New] returns an error.
//
// Used alone or stacked in any order with the module's other packages, it
// gives every request the status code the documented order gives (README,
// "The contract"). It claims its directories, as a router does: put it in
// front of a listing middleware (package dirlist), or that lists them.
package cgi
