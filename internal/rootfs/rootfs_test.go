package rootfs

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFS(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "d"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d", "b.txt"), []byte("b"), 0o644))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	fsys := New(root)
	require.NoError(t, fstest.TestFS(fsys, "a.txt", "d/b.txt"))
	// After TestFS, which opens every file the plain way.
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644))
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(dir, "out")))

	// A FIFO opens at once and is seen not to be a regular file.
	done := make(chan error, 1)
	go func() {
		f, err := fsys.OpenNonblock("fifo")
		if err == nil {
			var fi fs.FileInfo
			if fi, err = f.Stat(); err == nil && fi.Mode().IsRegular() {
				err = fs.ErrInvalid
			}
			f.Close()
		}
		done <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-ctx.Done():
		t.Fatal("opening a FIFO blocked")
	}

	for _, name := range []string{"out", "../a.txt", "/a.txt", "missing"} {
		_, err := fsys.OpenNonblock(name)
		assert.Error(t, err, name)
	}
	f, err := fsys.OpenNonblock("d/b.txt")
	require.NoError(t, err)
	b := make([]byte, 4)
	n, _ := f.Read(b)
	assert.Equal(t, "b", string(b[:n]))
	f.Close()
}
