package dirlist

import (
	"io/fs"
	"path"
	"sync"
	"time"
)

// Bounds of a listCache.
const (
	cacheDirs    = 16      // directories
	cacheEntries = 1 << 18 // entries, all directories together
	// cacheSettle is how long ago a directory's names must have last
	// changed for it to be cached: a change within the granularity of its
	// mtime would not change it.
	cacheSettle = 2 * time.Second
)

// A listCache keeps the items of Python's page for the directories listed
// last, keyed by the directory's identity and change times, so that a
// directory that changes is read again. Entry sizes and times are not
// kept: the rich forms, which show them, read the directory every time.
// Symbolic links are resolved again on every use.
type listCache struct {
	mu    sync.Mutex
	m     map[dirStamp][]item
	order []dirStamp // oldest first
	size  int        // entries held
}

func newListCache() *listCache {
	return &listCache{m: make(map[dirStamp][]item)}
}

// items returns the items of directory dir of fsys, whose stat is fi, from
// the cache or read with readItems.
func (c *listCache) items(fsys fs.FS, dir string, fi fs.FileInfo, hide func(string) bool) ([]item, error) {
	stamp, ok := stampOf(fi)
	if !ok {
		return readItems(fsys, dir, hide)
	}
	c.mu.Lock()
	items, hit := c.m[stamp]
	c.mu.Unlock()
	if hit {
		return relink(fsys, dir, items), nil
	}
	items, err := readItems(fsys, dir, hide)
	if err != nil || len(items) > cacheEntries || time.Since(stamp.modified()) < cacheSettle {
		return items, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[stamp]; ok {
		return items, nil
	}
	for len(c.order) > 0 && (len(c.order) >= cacheDirs || c.size+len(items) > cacheEntries) {
		c.size -= len(c.m[c.order[0]])
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[stamp] = items
	c.order = append(c.order, stamp)
	c.size += len(items)
	return items, nil
}

// relink returns items with each symbolic link's target looked at again
// (whether it is a directory), as a copy when there are links; items is
// shared and never written.
func relink(fsys fs.FS, dir string, items []item) []item {
	var out []item
	for i, it := range items {
		if !it.link {
			continue
		}
		if out == nil {
			out = append([]item(nil), items...)
		}
		target, err := fs.Stat(fsys, path.Join(dir, it.raw))
		out[i].dir = err == nil && target.IsDir()
	}
	if out == nil {
		return items
	}
	return out
}
