// Package sendfiletest proves, by watching the system calls, that a server
// sends file bodies with sendfile(2) (zero-copy) rather than copying them
// through user space.
//
// A careless [net/http.ResponseWriter] wrapper hides [io.ReaderFrom], and
// net/http then copies the file with read and write calls instead: the
// response is the same, only slower, so no ordinary test notices. This
// package is for the tests that do. It is imported only by _test.go files.
//
// A proof is two tests in the same test binary. The parent calls [Run],
// which runs the binary again under
//
//	strace -f -qq -e trace=sendfile -e signal=none -o FILE
//
// with only the child test selected and an environment variable marking
// it, and returns the sendfile calls read from FILE as a [Result]. The
// child starts with [Child], which skips it anywhere else, serves a file
// over a real connection (httptest.NewServer) and fetches it.
//
//	func TestSendfile(t *testing.T) {
//		res := sendfiletest.Run(t, "TestSendfileChild")
//		assert.Positive(t, res.Calls)
//	}
//
//	func TestSendfileChild(t *testing.T) {
//		sendfiletest.Child(t)
//		// serve and fetch a large file
//	}
//
// Run skips the parent when strace is not installed or cannot trace here
// (ptrace is not permitted, as in many containers), and in -short mode.
//
// net/http writes the first 512 bytes of a body itself, while it has not
// yet sent the header, before it hands the rest to the connection's
// ReadFrom (golang.org/issue/5660): a file of n bytes therefore shows n-512
// bytes in [Result.Bytes] when all the rest went out through sendfile.
package sendfiletest
