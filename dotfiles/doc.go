// Package dotfiles hides names that start with "." (".env", ".git",
// ".htpasswd") from a file server: a request whose path names one, at any
// depth, is answered 404 "File not found" the [net/http.Error] way before it
// reaches the handler behind.
//
//	root, err := os.OpenRoot("public")
//	if err != nil {
//		log.Fatal(err)
//	}
//	files := dirlist.New(root.FS(), dirlist.WithHideDotfiles())(fileserver.New(root.FS()))
//	http.Handle("/", dotfiles.New()(files))
//
// The middleware decides on the request path alone, so it hides the same
// names from a file server, a listing, a CGI script or any other handler;
// put it in front of all of them. A listing still shows the names unless it
// leaves them out itself (dirlist.WithHideDotfiles).
//
// Used alone or stacked in any order with the module's other packages, it
// gives every request the status code the documented order gives (README,
// "The contract"), as long as it is in front of what lists directories.
package dotfiles
