package fileserver

import (
	"io"
	"io/fs"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of a fileCache besides its size in bytes, and its settle window.
const (
	// DefaultCacheSize is the size in bytes of [New]'s cache of small
	// files unless [WithCache] says otherwise: 16 MiB.
	DefaultCacheSize = 16 << 20
	// cacheFileMax is the largest file kept: larger ones are sent with
	// sendfile. Measured with wrk through the CLI (32 connections),
	// memory beats open, fstat, sendfile and close up to 128 KiB (1.07 to
	// 1.7 times the requests/s at 100 and 128 KiB); at 256 KiB neither wins.
	cacheFileMax = 128 << 10
	cacheEntries = 4096 // files
	// entryCost is what an entry is counted for beyond its bytes, its name
	// and its header values, so that empty files count too.
	entryCost = 256
	// cacheSettle is how long ago a file must have last changed, when it
	// is read, for it to be cached: a change within the granularity of its
	// ctime would not change its stamp.
	cacheSettle = 2 * time.Second
)

// A fileCache keeps the bytes and header values of small regular files
// served last, by name, each with the stamp of the file they were read
// from (see fileStamp). An entry is served only after a stat of its name
// gives the same stamp, so a file that changes, or another put in its
// place, is read again. Files are cached only when their stat gives a
// stamp (on Linux, from a *syscall.Stat_t).
//
// Entries are evicted in CLOCK order: each has a bit set when it is served,
// and the hand passes over (and clears) set bits before it evicts.
type fileCache struct {
	maxBytes int64
	settle   time.Duration    // cacheSettle; shorter in tests
	now      func() time.Time // time.Now
	read     func()           // called after a file is read, in tests

	mu    sync.RWMutex // the map; the rest under the write lock
	m     map[string]*cacheEntry
	ring  []*cacheEntry // the clock's face
	hand  int
	bytes int64 // cost of the entries held
}

// A cacheEntry is one file's response, never written once made.
type cacheEntry struct {
	name    string
	stamp   fileStamp
	data    []byte
	ctype   string     // the Content-Type chosen for name
	values  fileValues // Last-Modified, ETag, Content-Length
	modtime time.Time
	cost    int64

	slot int         // index in the ring, under the write lock
	used atomic.Bool // served since the hand last passed
}

func newFileCache(maxBytes int64) *fileCache {
	return &fileCache{maxBytes: maxBytes, settle: cacheSettle, now: time.Now, m: make(map[string]*cacheEntry)}
}

// lookup returns the entry of name if its stat through fsys gives the
// stamp the entry was made with, else nil (and the entry is dropped).
func (c *fileCache) lookup(fsys fs.FS, name string) *cacheEntry {
	e := c.entry(name)
	if e == nil {
		return nil
	}
	info, err := fs.Stat(fsys, name)
	if err != nil {
		info = nil
	}
	return c.check(e, info)
}

// current is lookup for a caller that has just stat'ed name for this
// request: info is that stat, and name is not stat'ed again.
func (c *fileCache) current(name string, info fs.FileInfo) *cacheEntry {
	e := c.entry(name)
	if e == nil {
		return nil
	}
	return c.check(e, info)
}

func (c *fileCache) entry(name string) *cacheEntry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[name]
}

// check returns e if info (nil when the stat failed) gives its stamp;
// else it drops e and returns nil.
func (c *fileCache) check(e *cacheEntry, info fs.FileInfo) *cacheEntry {
	if info != nil {
		if stamp, ok := stampOf(info); ok && stamp == e.stamp {
			if !e.used.Load() {
				e.used.Store(true)
			}
			return e
		}
	}
	c.mu.Lock()
	if c.m[e.name] == e {
		c.remove(e)
	}
	c.mu.Unlock()
	return nil
}

// fill reads the regular file f called name, whose fstat is info, and
// caches it when it is small and its last change is older than the settle
// window; it returns the new entry, or nil when the file is not cached
// (f's offset is then untouched). The file is fstat'ed again after it is
// read: if anything changed meanwhile, nothing is kept.
func (c *fileCache) fill(h *handler, name string, f fs.File, info fs.FileInfo) *cacheEntry {
	size := info.Size()
	if size > cacheFileMax || size > c.maxBytes {
		return nil
	}
	stamp, ok := stampOf(info)
	if !ok || c.now().Sub(stamp.changed()) < c.settle {
		return nil
	}
	ra, ok := f.(io.ReaderAt)
	if !ok {
		return nil
	}
	data := make([]byte, size)
	if n, _ := ra.ReadAt(data, 0); n != len(data) {
		return nil
	}
	if c.read != nil {
		c.read()
	}
	after, err := f.Stat()
	if err != nil {
		return nil
	}
	if s, ok := stampOf(after); !ok || s != stamp {
		return nil
	}
	e := &cacheEntry{
		name:    name,
		stamp:   stamp,
		data:    data,
		ctype:   h.contentType(name),
		values:  newFileValues(info, true),
		modtime: info.ModTime(),
	}
	e.cost = entryCost + size + int64(len(name)+len(e.ctype)+len(e.values.lastModified)+len(e.values.etag)+len(e.values.length))
	c.insert(e)
	return e
}

// insert adds e, replacing the entry of the same name and evicting others
// until it fits.
func (c *fileCache) insert(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[e.name]; old != nil {
		c.remove(old)
	}
	for len(c.ring) > 0 && (len(c.ring) >= cacheEntries || c.bytes+e.cost > c.maxBytes) {
		c.evict()
	}
	e.slot = len(c.ring)
	c.ring = append(c.ring, e)
	c.m[e.name] = e
	c.bytes += e.cost
}

// evict removes the first entry under the hand not served since the hand
// last passed it; the write lock is held and the ring is not empty.
func (c *fileCache) evict() {
	for {
		if c.hand >= len(c.ring) {
			c.hand = 0
		}
		e := c.ring[c.hand]
		if e.used.Load() {
			e.used.Store(false)
			c.hand++
			continue
		}
		c.remove(e) // the entry moved into its slot is looked at next
		return
	}
}

// remove drops e, which is held, under the write lock.
func (c *fileCache) remove(e *cacheEntry) {
	last := c.ring[len(c.ring)-1]
	c.ring[e.slot] = last
	last.slot = e.slot
	c.ring[len(c.ring)-1] = nil
	c.ring = c.ring[:len(c.ring)-1]
	delete(c.m, e.name)
	c.bytes -= e.cost
}
