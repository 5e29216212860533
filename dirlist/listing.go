package dirlist

import (
	"cmp"
	"errors"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Listing is what a listing page is made from: the data a template given
// to [WithTemplate] receives (as a *Listing), and the JSON form's body.
type Listing struct {
	// Path is the directory's path as the client asked for it (percent-
	// decoded once, without ?query or #fragment, a leading "//" reduced to
	// "/"), for display; it is not escaped, let the template escape it. It
	// is valid UTF-8 (U+FFFD stands for bytes that were not).
	Path string `json:"path"`
	// Root is true when the directory is the root of the served fs.FS, so
	// a link to "../" would leave what is served.
	Root bool `json:"root"`
	// Entries are the directory's entries in display order (see Sort).
	Entries []Entry `json:"entries"`
	// Sort is the column the entries are ordered by: "name", "size" or
	// "time", from the query parameter sort (default "name").
	Sort string `json:"sort"`
	// Desc is true when the order is descending (query parameter
	// order=desc). Directories come first in either order.
	Desc bool `json:"desc"`
	// Filter is the query parameter q: when not empty only entries whose
	// name contains it, ignoring case, are listed.
	Filter string `json:"filter,omitempty"`
}

// Entry is one name in a [Listing].
type Entry struct {
	// Name is the entry's name as valid UTF-8 (U+FFFD replaces bytes that
	// are not), without "/" or "@". Let the template escape it.
	Name string `json:"name"`
	// Href is the link to the entry relative to the listing: the name
	// percent-encoded like Python's urllib.parse.quote (from its raw bytes,
	// so it always leads back to the entry), plus "/" for a directory.
	// It is safe to use as an href as it is.
	Href string `json:"href"`
	// IsDir is true for a directory and for a symbolic link to one.
	IsDir bool `json:"dir"`
	// IsSymlink is true for a symbolic link (Python appends "@").
	IsSymlink bool `json:"symlink"`
	// Size is the size in bytes (of the link's target for a link that
	// resolves); 0 for a directory and a link that does not resolve.
	Size int64 `json:"size"`
	// ModTime is the modification time (of the link's target for a link
	// that resolves), in the location set by [WithLocation].
	ModTime time.Time `json:"modified"`

	raw string // the name's bytes
	key string // sortKey(raw)
}

// SortHref returns the query string ("?sort=size&order=desc&q=...") that
// orders the listing by column ("name", "size" or "time"): ascending, or
// the reverse of the current order when the listing is already sorted by
// column. The filter is kept.
func (l *Listing) SortHref(column string) string {
	v := url.Values{}
	v.Set("sort", column)
	if column == l.Sort && !l.Desc {
		v.Set("order", "desc")
	}
	if l.Filter != "" {
		v.Set("q", l.Filter)
	}
	return "?" + v.Encode()
}

// SortMark returns "▲" or "▼" when the listing is sorted by column
// (ascending or descending), else "".
func (l *Listing) SortMark(column string) string {
	switch {
	case column != l.Sort:
		return ""
	case l.Desc:
		return "▼"
	default:
		return "▲"
	}
}

// HumanSize returns the size for people: "512 B", "1.5 KiB", "20 MiB".
func (e Entry) HumanSize() string {
	const unit = 1024
	if e.Size < unit {
		return strconv.FormatInt(e.Size, 10) + " B"
	}
	f := float64(e.Size)
	i := -1
	for f >= unit && i < 5 {
		f /= unit
		i++
	}
	prec := 1
	if f >= 100 {
		prec = 0
	}
	return strconv.FormatFloat(f, 'f', prec, 64) + " " + "KMGTPE"[i:i+1] + "iB"
}

// item is an entry as read from the directory: what Python's page needs,
// and what it is sorted by.
type item struct {
	raw, key  string // the name's bytes, sortKey(raw)
	dir, link bool   // a directory or a link to one; a symbolic link
}

// readItems lists the directory dir of fsys for Python's page, in Python's
// order: by sortKey, ties by the name's bytes.
func readItems(fsys fs.FS, dir string, hide func(string) bool) ([]item, error) {
	des, err := readDir(fsys, dir, true)
	if err != nil {
		return nil, err
	}
	look := searchable(fsys, dir, des)
	items := make([]item, 0, len(des))
	for _, de := range des {
		if hide != nil && hide(de.name) {
			continue
		}
		it, _ := look.item(fsys, dir, de)
		items = append(items, it)
	}
	sortItems(items)
	return items, nil
}

// readEntries lists the directory dir of fsys for the rich forms, in
// Python's order, with sizes and modification times in loc.
func readEntries(fsys fs.FS, dir string, hide func(string) bool, loc *time.Location) ([]Entry, error) {
	des, err := readDir(fsys, dir, false)
	if err != nil {
		return nil, err
	}
	look := searchable(fsys, dir, des)
	entries := make([]Entry, 0, len(des))
	for _, de := range des {
		if hide != nil && hide(de.name) {
			continue
		}
		it, fi := look.item(fsys, dir, de)
		e := Entry{raw: it.raw, key: it.key, IsDir: it.dir, IsSymlink: it.link}
		if fi == nil && de.de != nil {
			fi, _ = de.de.Info()
		}
		if fi != nil {
			// A link that does not resolve has no size of its own
			// worth showing (its Lstat size is the target's length).
			if !e.IsDir && fi.Mode()&fs.ModeSymlink == 0 {
				e.Size = fi.Size()
			}
			e.ModTime = fi.ModTime().In(loc)
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, byName)
	return entries, nil
}

// looking tells whether the entries of a directory can be looked at (see
// searchable).
type looking bool

// item returns the item for de, a name of dir, and the stat of its target
// when it is a symbolic link that resolves.
func (look looking) item(fsys fs.FS, dir string, de dirent) (item, fs.FileInfo) {
	it := item{raw: de.name, key: sortKey(de.name), dir: bool(look) && de.typ.IsDir()}
	if !look || de.typ&fs.ModeSymlink == 0 {
		return it, nil
	}
	it.link = true
	// Like Python's os.path.isdir, follow the link. A link the file
	// system will not follow (out of an os.Root, broken) is not a
	// directory.
	target, err := fs.Stat(fsys, path.Join(dir, de.name))
	if err != nil {
		return it, nil
	}
	it.dir = target.IsDir()
	return it, target
}

// sortItems puts items in Python's order. It sorts small records that hold
// no pointers, so that the garbage collector has nothing to track as they
// move, each with the first bytes of the sort key to settle most
// comparisons without reaching the strings; then it moves each item once.
func sortItems(items []item) {
	type rec struct {
		prefix uint64
		i      int32
	}
	recs := make([]rec, len(items))
	for i := range items {
		recs[i] = rec{keyPrefix(items[i].key), int32(i)}
	}
	slices.SortFunc(recs, func(a, b rec) int {
		if a.prefix != b.prefix {
			return cmp.Compare(a.prefix, b.prefix)
		}
		x, y := &items[a.i], &items[b.i]
		return compareNames(x.key, x.raw, y.key, y.raw)
	})
	// Position j takes the item at recs[j].i: follow each cycle of that
	// permutation, marking the positions done.
	for start := range recs {
		if recs[start].i < 0 {
			continue
		}
		saved := items[start]
		for j := start; ; {
			from := int(recs[j].i)
			recs[j].i = -1
			if from == start {
				items[j] = saved
				break
			}
			items[j] = items[from]
			j = from
		}
	}
}

// keyPrefix returns the first 8 bytes of key, big-endian, zero-padded:
// keys whose prefixes differ compare as their prefixes do.
func keyPrefix(key string) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if i < len(key) {
			p |= uint64(key[i])
		}
	}
	return p
}

// searchable reports whether the entries des of dir can be looked at. Python
// marks a directory with os.path.isdir (stat) and a link with
// os.path.islink (lstat), and in a directory it may read but not search
// (mode r-- for the server's user) both fail for every entry, so no name
// gets "/" or "@" although the directory itself tells the type of each.
// Permission is the directory's, so one entry answers for all: one that is
// not a link, where it can (fs.Lstat is fs.Stat on a file system without
// fs.ReadLinkFS, and following a link may fail for reasons of its own).
// An entry that merely vanished since the directory was read does not
// count.
func searchable(fsys fs.FS, dir string, des []dirent) looking {
	marked, probe := false, -1
	for i, de := range des {
		link := de.typ&fs.ModeSymlink != 0
		marked = marked || link || de.typ.IsDir()
		if !link && probe < 0 {
			probe = i
		}
		if marked && probe >= 0 {
			break
		}
	}
	if !marked {
		return true // only plain entries: the answer changes nothing
	}
	if probe < 0 {
		probe = 0 // only links
	}
	_, err := fs.Lstat(fsys, path.Join(dir, des[probe].name))
	return looking(!errors.Is(err, fs.ErrPermission))
}

// A dirent is a name read from a directory, with its type.
type dirent struct {
	name string
	typ  fs.FileMode // the type bits only
	de   fs.DirEntry // for Info; nil when the entry was read by readTypes
}

// readDir reads the directory's entries in the order of the disk: unlike
// fs.ReadDir it does not sort them by name, which the listing would undo.
// With typesOnly, entries may come without de, from readTypes.
func readDir(fsys fs.FS, dir string, typesOnly bool) ([]dirent, error) {
	f, err := fsys.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if typesOnly {
		if ents, ok, err := readTypes(f); ok {
			return ents, err
		}
	}
	var des []fs.DirEntry
	if d, ok := f.(fs.ReadDirFile); ok {
		des, err = d.ReadDir(-1)
		if errors.Is(err, fs.ErrPermission) {
			// A directory opened in an os.Root looks at each entry
			// (lstat) as it reads them, which fails in a directory that
			// may be read but not searched. Python lists the names there,
			// and they can still be read alone.
			des, err = readNames(fsys, dir)
		}
	} else {
		des, err = fs.ReadDir(fsys, dir)
	}
	if err != nil {
		return nil, err
	}
	ents := make([]dirent, len(des))
	for i, de := range des {
		ents[i] = dirent{name: de.Name(), typ: de.Type(), de: de}
	}
	return ents, nil
}

// readNames reads only the names in dir, as entries of unknown type. It
// needs a file with Readdirnames, like *os.File.
func readNames(fsys fs.FS, dir string) ([]fs.DirEntry, error) {
	f, err := fsys.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, ok := f.(interface{ Readdirnames(n int) ([]string, error) })
	if !ok {
		return nil, fs.ErrPermission
	}
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	des := make([]fs.DirEntry, len(names))
	for i, name := range names {
		des[i] = unsearched(name)
	}
	return des, nil
}

// unsearched is an entry of a directory that cannot be searched: nothing is
// known of it but its name.
type unsearched string

func (e unsearched) Name() string    { return string(e) }
func (unsearched) IsDir() bool       { return false }
func (unsearched) Type() fs.FileMode { return 0 }
func (e unsearched) Info() (fs.FileInfo, error) {
	return nil, &fs.PathError{Op: "lstat", Path: string(e), Err: fs.ErrPermission}
}

// byName is Python's order: the lower-cased name, then (where Python keeps
// the order of the disk) the name's bytes.
func byName(a, b Entry) int {
	return compareNames(a.key, a.raw, b.key, b.raw)
}

// compareNames orders names as byName does, given their sort keys.
func compareNames(aKey, aRaw, bKey, bRaw string) int {
	if c := strings.Compare(aKey, bKey); c != 0 {
		return c
	}
	return strings.Compare(aRaw, bRaw)
}

// fill sets Name and Href, which only the rich forms need.
func fill(entries []Entry) {
	for i := range entries {
		e := &entries[i]
		e.Name = toValidUTF8(e.raw)
		if e.IsDir {
			e.Href = quote(e.raw + "/")
		} else {
			e.Href = quote(e.raw)
		}
	}
}

// order sorts entries (already in name order) for the rich forms:
// directories first, then by column (reversed when desc), ties by name.
func order(entries []Entry, column string, desc bool) {
	if column != "size" && column != "time" {
		if desc {
			slices.Reverse(entries)
		}
		// Directories first, keeping the name order within each group.
		sorted := make([]Entry, 0, len(entries))
		for _, dirs := range []bool{true, false} {
			for _, e := range entries {
				if e.IsDir == dirs {
					sorted = append(sorted, e)
				}
			}
		}
		copy(entries, sorted)
		return
	}
	slices.SortFunc(entries, func(a, b Entry) int {
		if c := dirFirst(a, b); c != 0 {
			return c
		}
		var c int
		if column == "size" {
			c = cmp.Compare(a.Size, b.Size)
		} else {
			c = a.ModTime.Compare(b.ModTime)
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = byName(a, b)
		}
		return c
	})
}

func dirFirst(a, b Entry) int {
	switch {
	case a.IsDir == b.IsDir:
		return 0
	case a.IsDir:
		return -1
	default:
		return 1
	}
}

// filter keeps the entries whose name contains q, ignoring case.
func filter(entries []Entry, q string) []Entry {
	if q == "" {
		return entries
	}
	q = strings.ToLower(q)
	return slices.DeleteFunc(entries, func(e Entry) bool {
		return !strings.Contains(strings.ToLower(e.Name), q)
	})
}
