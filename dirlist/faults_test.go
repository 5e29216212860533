package dirlist

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faultFS fails the directory dir: Stat with statErr, Open with openErr,
// reading its entries with readErr (nil: no failure there).
type faultFS struct {
	fstest.MapFS
	dir                       string
	statErr, openErr, readErr error
}

func (f faultFS) Stat(name string) (fs.FileInfo, error) {
	if name == f.dir && f.statErr != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: f.statErr}
	}
	return f.MapFS.Stat(name)
}

func (f faultFS) Open(name string) (fs.File, error) {
	if name == f.dir && f.openErr != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: f.openErr}
	}
	file, err := f.MapFS.Open(name)
	if err != nil || name != f.dir || f.readErr == nil {
		return file, err
	}
	return faultDir{file.(fs.ReadDirFile), f.readErr}, nil
}

type faultDir struct {
	fs.ReadDirFile
	err error
}

func (d faultDir) ReadDir(int) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "readdirent", Path: "d", Err: d.err}
}

// TestTransientFailure pins that a directory that cannot be read for want
// of descriptors or memory is answered 503 with Retry-After, for every form
// of the listing, where a permission error stays Python's 404.
func TestTransientFailure(t *testing.T) {
	files := fstest.MapFS{"d/a.txt": {Data: []byte("a")}}
	tests := []struct {
		name    string
		fsys    faultFS
		code    int
		body    string
		retry   string
		options []Option
	}{
		{"EMFILE at stat", faultFS{MapFS: files, dir: "d", statErr: syscall.EMFILE}, 503, "Temporarily out of resources (too many open files)\n", "1", nil},
		{"EMFILE at open", faultFS{MapFS: files, dir: "d", openErr: syscall.EMFILE}, 503, "Temporarily out of resources (too many open files)\n", "1", nil},
		{"ENFILE at read", faultFS{MapFS: files, dir: "d", readErr: syscall.ENFILE}, 503, "Temporarily out of resources (too many open files in system)\n", "1", nil},
		{"ENOMEM at read, rich", faultFS{MapFS: files, dir: "d", readErr: syscall.ENOMEM}, 503, "Temporarily out of resources (cannot allocate memory)\n", "1", []Option{WithRichListing()}},
		{"EMFILE at open, JSON", faultFS{MapFS: files, dir: "d", openErr: syscall.EMFILE}, 503, "Temporarily out of resources (too many open files)\n", "1", []Option{WithJSON()}},
		{"EACCES at read", faultFS{MapFS: files, dir: "d", readErr: syscall.EACCES}, 404, "No permission to list directory\n", "", nil},
		{"EACCES at open", faultFS{MapFS: files, dir: "d", openErr: fs.ErrPermission}, 404, "No permission to list directory\n", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := New(tc.fsys, tc.options...)(terminal)
			rec := serve(t, h, http.MethodGet, "/d/")
			assert.Equal(t, tc.code, rec.Code)
			assert.Equal(t, tc.body, rec.Body.String())
			assert.Equal(t, tc.retry, rec.Header().Get("Retry-After"))
			assert.Equal(t, "text/plain; charset=utf-8", rec.Header().Get("Content-Type"))
		})
	}
}

// hookFS runs hook when the directory dir is opened, before or after the
// open, over the FS of an os.Root, so the listing reads a real descriptor.
type hookFS struct {
	fs.FS
	dir   string
	after bool
	hook  func()
}

func (h *hookFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(h.FS, name) }

func (h *hookFS) Open(name string) (fs.File, error) {
	if name != h.dir || h.hook == nil {
		return h.FS.Open(name)
	}
	hook := h.hook
	h.hook = nil
	if !h.after {
		hook()
		return h.FS.Open(name)
	}
	f, err := h.FS.Open(name)
	hook()
	return f, err
}

// TestDirectoryRemovedWhileListed pins a clean answer for a directory
// removed while it is listed, between its stat and its opening or once it
// is open (reading a removed directory fails with ENOENT): Python's 404 "No
// permission to list directory", as os.listdir raises FileNotFoundError
// there. Through an os.Root, for Python's page and the rich one.
func TestDirectoryRemovedWhileListed(t *testing.T) {
	for _, after := range []bool{false, true} {
		for _, rich := range []bool{false, true} {
			name := map[bool]string{false: "before open", true: "after open"}[after] + map[bool]string{false: "", true: ", rich"}[rich]
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				require.NoError(t, os.MkdirAll(filepath.Join(dir, "d", "sub"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(dir, "d", "a.txt"), []byte("a"), 0o644))
				root, err := os.OpenRoot(dir)
				require.NoError(t, err)
				defer root.Close()
				fsys := &hookFS{FS: root.FS(), dir: "d", after: after, hook: func() {
					require.NoError(t, os.RemoveAll(filepath.Join(dir, "d")))
				}}
				var opts []Option
				if rich {
					opts = append(opts, WithRichListing())
				}
				rec := serve(t, New(fsys, opts...)(terminal), http.MethodGet, "/d/")
				assert.Nil(t, fsys.hook, "the directory was removed")
				assert.Equal(t, http.StatusNotFound, rec.Code)
				assert.Equal(t, "No permission to list directory\n", rec.Body.String())
				assert.Empty(t, rec.Header().Get("Retry-After"))
			})
		}
	}
}

// TestHideLeavesNamesServable pins what WithHide does and does not do: the
// names leave the listing, and a request for one still goes to next (to be
// refused by dotfiles.New in front, if that is wanted).
func TestHideLeavesNamesServable(t *testing.T) {
	h := New(fstest.MapFS{"d/.env": {Data: []byte("x")}, "d/a": {}}, WithHideDotfiles())(terminal)
	assert.Equal(t, page("/d/", `<li><a href="a">a</a></li>`), serve(t, h, http.MethodGet, "/d/").Body.String())
	rec := serve(t, h, http.MethodGet, "/d/.env")
	assert.Equal(t, 299, rec.Code)
}

// TestReadTypes pins that the listing's own directory read gives the names
// and types that ReadDir gives, for plain files, directories and links, and
// leaves a file system of another kind to ReadDir.
func TestReadTypes(t *testing.T) {
	dir := makeTree(t)
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	f, err := root.FS().Open(".")
	require.NoError(t, err)
	defer f.Close()
	ents, ok, err := readTypes(f)
	if !ok {
		t.Skip("no directory read of our own on this system")
	}
	require.NoError(t, err)
	des, err := os.ReadDir(dir)
	require.NoError(t, err)
	want := map[string]fs.FileMode{}
	for _, de := range des {
		want[de.Name()] = de.Type() & (fs.ModeDir | fs.ModeSymlink)
	}
	got := map[string]fs.FileMode{}
	for _, e := range ents {
		assert.Nil(t, e.de)
		got[e.name] = e.typ
	}
	assert.Equal(t, want, got)

	m, err := fstest.MapFS{"a": {}}.Open(".")
	require.NoError(t, err)
	_, ok, _ = readTypes(m)
	assert.False(t, ok)
}
