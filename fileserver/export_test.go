package fileserver

import (
	"io/fs"
	"net/http"
	"time"
)

// Hooks into New's cache for the tests of package fileserver_test; h is a
// handler New returned with its cache on.

// SetCacheSettle sets how long ago a file must have changed to be cached
// (without a cache, it does nothing).
func SetCacheSettle(h http.Handler, d time.Duration) {
	if c := h.(*handler).cache; c != nil {
		c.settle = d
	}
}

// SetCacheRead sets a function called after a file has been read into the
// cache, before it is fstat'ed again.
func SetCacheRead(h http.Handler, f func()) { h.(*handler).cache.read = f }

// CacheState reports whether the cache of h holds name, and if so whether
// the entry's stamp is that of the file's stat now (it would be served).
func CacheState(h http.Handler, name string) (held, fresh bool) {
	hh := h.(*handler)
	c := hh.cache
	if c == nil {
		return false, false
	}
	c.mu.RLock()
	e := c.m[name]
	c.mu.RUnlock()
	if e == nil {
		return false, false
	}
	info, err := fs.Stat(hh.fsys, name)
	if err != nil {
		return true, false
	}
	stamp, ok := stampOf(info)
	return true, ok && stamp == e.stamp
}

// CacheUsage returns the number of entries the cache of h holds and what
// they are counted for in bytes.
func CacheUsage(h http.Handler) (entries int, bytes int64) {
	c := h.(*handler).cache
	if c == nil {
		return 0, 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m), c.bytes
}

// CacheFileMax is the largest file the cache keeps; EntryCost what an entry
// is counted for beyond its bytes; CacheEntries the most files it keeps.
const (
	CacheFileMax = cacheFileMax
	EntryCost    = entryCost
	CacheEntries = cacheEntries
)
