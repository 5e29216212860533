package fileserver

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSizedFile pins that the seeks sizedFile answers itself leave reads
// where an *os.File would: after any sequence of seeks, a read starts at
// the position sought.
func TestSizedFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(p, []byte("0123456789"), 0o644))
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	sf := &sizedFile{File: f, size: 10}

	read := func(n int) string {
		b := make([]byte, n)
		m, err := io.ReadFull(sf, b)
		require.NoError(t, err)
		return string(b[:m])
	}
	end, err := sf.Seek(0, io.SeekEnd)
	require.NoError(t, err)
	assert.Equal(t, int64(10), end)
	_, err = sf.Seek(0, io.SeekStart)
	require.NoError(t, err)
	assert.Equal(t, "012", read(3))
	pos, err := sf.Seek(2, io.SeekCurrent)
	require.NoError(t, err)
	assert.Equal(t, int64(5), pos)
	assert.Equal(t, "56", read(2))
	_, err = sf.Seek(-3, io.SeekEnd)
	require.NoError(t, err)
	assert.Equal(t, "789", read(3))
	_, err = sf.Seek(-1, io.SeekStart)
	assert.Error(t, err)
	_, err = sf.Seek(0, 7)
	assert.Error(t, err)

	// Handing out the descriptor puts its offset in place.
	_, err = sf.Seek(4, io.SeekStart)
	require.NoError(t, err)
	_, err = sf.SyscallConn()
	require.NoError(t, err)
	b := make([]byte, 2)
	_, err = f.Read(b) // what sendfile would read
	require.NoError(t, err)
	assert.Equal(t, "45", string(b))
	// A second hand-out, with no Seek between, carries on where the
	// descriptor was left (sendfile in steps must not resend bytes).
	_, err = sf.SyscallConn()
	require.NoError(t, err)
	_, err = f.Read(b)
	require.NoError(t, err)
	assert.Equal(t, "67", string(b))
	assert.Equal(t, "8", read(1), "a Read goes on from there too")
	// After a Seek, the offset is put where the reader asks.
	_, err = sf.Seek(4, io.SeekStart)
	require.NoError(t, err)
	assert.Equal(t, "45", read(2))
	_, err = sf.SyscallConn()
	require.NoError(t, err)
	_, err = sf.Seek(1, io.SeekStart)
	require.NoError(t, err)
	assert.Equal(t, "12", read(2))
}
