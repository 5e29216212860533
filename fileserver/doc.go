// Package fileserver serves files the way Python 3.12's
// `python -m http.server` does, as plain net/http pieces:
//
//   - [New] is the terminal handler and a drop-in replacement for
//     [net/http.FileServerFS]: GET and HEAD of regular files with Python's
//     Content-Type, Content-Length and Last-Modified, a directory's
//     index.html, the 301 that adds a directory's trailing slash, 404 "File
//     not found" and 501 "Unsupported method ('PUT')"; and, as
//     http.FileServer, byte ranges, a strong ETag and every precondition
//     (If-Modified-Since read as Python reads it).
//   - [Index] is the middleware that serves a directory's index page in
//     place of the directory, with names of your choosing.
//   - [ContentType] is Python's guess_type, from an embedded table, so the
//     answer does not depend on the host.
//
// Request paths are mapped to names the way Python's translate_path does
// (decoded once, "%2f" a separator, ".." never above the root, a leading
// "//" collapsed); a path that cannot be mapped is a 404, never a 500.
//
// # File systems and symbolic links
//
// Both functions take an [io/fs.FS]. To serve a directory from disk, pass
// the FS of an [os.Root]: it follows relative symbolic links that stay
// inside the directory and refuses those that lead out of it (even to come
// back in) and every absolute link, which are then answered 404. Python
// follows every link; to do the same, pass [os.DirFS] instead.
// Both return *os.File from Open, so [New] hands the file to
// [net/http.ServeContent] and the kernel sends it with sendfile.
// An embed.FS or fstest.MapFS works as well (files that cannot Seek are sent
// whole, without ranges or ETag).
//
//	root, err := os.OpenRoot(dir)
//	if err != nil {
//		log.Fatal(err)
//	}
//	fsys := root.FS() // or os.DirFS(dir) to follow links out of dir
//	h := fileserver.Index(fsys)(fileserver.New(fsys))
//	log.Fatal(http.ListenAndServe(":8000", h))
//
// Each piece is complete alone and works in any order with the other
// packages of the module (README, "The contract"): a listing middleware
// (package dirlist) in front of [New] lists directories without an index
// page; the conditional package in front changes nothing for files.
package fileserver
