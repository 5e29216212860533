package dirlist

import (
	"bufio"
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSortKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"ABC", "abc"},
		{"Été", "été"},
		{"İx", "i\u0307x"},         // full lower case mapping (SpecialCasing)
		{"ΑΣ", "ας"},               // final sigma
		{"ΑΣΑ", "ασα"},             // not final
		{"Σ", "σ"},                 // not preceded by a cased letter
		{"ΑΣ'", "ας'"},             // followed only by a case-ignorable
		{"Α'Σ", "α'ς"},             // preceded through a case-ignorable
		{"ΑΣ'Α", "ασ'α"},           //
		{"a\xff", "a\xed\xb3\xbf"}, // surrogateescape: U+DCFF
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, sortKey(tt.in))
		})
	}
}

// lowerScript prints, for every code point whose lower() differs from it,
// "cp hex(lower)"; then a line of one digit per code point telling how it
// reads around a capital sigma: 1 cased (not case-ignorable), 2
// case-ignorable, 0 neither (surrogates: 0).
const lowerScript = `
import sys
w = sys.stdout.write
for cp in range(0x110000):
    if 0xD800 <= cp < 0xE000:
        continue
    c = chr(cp)
    l = c.lower()
    if l != c:
        w("%x %s\n" % (cp, l.encode().hex()))
w("classes ")
cls = []
for cp in range(0x110000):
    if 0xD800 <= cp < 0xE000:
        cls.append("0")
        continue
    c = chr(cp)
    notfinal_after = ("A\u03a3" + c).lower()[1] == "\u03c3"
    final_through = ("A" + c + "\u03a3").lower()[-1] == "\u03c2"
    cls.append("1" if notfinal_after else ("2" if final_through else "0"))
w("".join(cls) + "\n")
`

// TestSortKeyAgainstPython checks the lower-casing of every code point and
// the Final_Sigma context test (Cased, Case_Ignorable) against Python 3.12's
// str.lower, which orders the listing.
func TestSortKeyAgainstPython(t *testing.T) {
	oracle.Require(t)
	if testing.Short() {
		t.Skip("walks every code point")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := oracle.Command(ctx, "-c", lowerScript).Output()
	require.NoError(t, err)

	lower := map[rune]string{}
	var classes string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		line := sc.Text()
		if c, ok := strings.CutPrefix(line, "classes "); ok {
			classes = c
			continue
		}
		cp, l, _ := strings.Cut(line, " ")
		n, err := strconv.ParseInt(cp, 16, 32)
		require.NoError(t, err)
		b := make([]byte, len(l)/2)
		for i := range b {
			v, err := strconv.ParseUint(l[2*i:2*i+2], 16, 8)
			require.NoError(t, err)
			b[i] = byte(v)
		}
		lower[rune(n)] = string(b)
	}
	require.NoError(t, sc.Err())
	require.Len(t, classes, 0x110000)

	bad := 0
	for r := rune(0); r < 0x110000 && bad < 20; r++ {
		if 0xD800 <= r && r < 0xE000 {
			continue
		}
		s := string(r)
		want, ok := lower[r]
		if !ok {
			want = s
		}
		if got := sortKey(s); got != want {
			t.Errorf("lower(%U) = %q, Python %q", r, got, want)
			bad++
		}
		// The same two probes as the script: is "AΣ"+c's sigma not final
		// (c is cased), else is "A"+c+"Σ"'s final (c is case-ignorable)?
		class := byte('0')
		switch {
		case !finalSigma("AΣ"+s, 1, len("Σ")):
			class = '1'
		case finalSigma("A"+s+"Σ", 1+len(s), len("Σ")):
			class = '2'
		}
		if class != classes[r] {
			t.Errorf("%U: class %c, Python %c", r, class, classes[r])
			bad++
		}
	}
}

// TestSortItems pins that sorting by key prefix and moving each item once
// gives byName's order, for names that share long prefixes, differ only in
// case, or are prefixes of each other.
func TestSortItems(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "A", "b", "é", "É", " ", "0", "\xff", "İ", "Σ"}
	for _, n := range []int{0, 1, 2, 3, 10, 100, 1000} {
		seen := map[string]bool{}
		names := make([]string, n)
		for i := range names {
			var b strings.Builder
			b.WriteString([]string{"", "file 0000", "FILE 0000", "x"}[rng.IntN(4)])
			for range rng.IntN(12) {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			b.WriteString(strconv.Itoa(rng.IntN(3)))
			if seen[b.String()] { // names in a directory are distinct
				b.WriteString(strconv.Itoa(i))
			}
			seen[b.String()] = true
			names[i] = b.String()
		}
		items := make([]item, n)
		want := make([]Entry, n)
		for i, name := range names {
			items[i] = item{raw: name, key: sortKey(name), dir: i%3 == 0}
			want[i] = Entry{raw: name, key: sortKey(name), IsDir: i%3 == 0}
		}
		sortItems(items)
		slices.SortStableFunc(want, byName)
		for i := range want {
			require.Equal(t, want[i].raw, items[i].raw, "n=%d position %d", n, i)
			require.Equal(t, want[i].IsDir, items[i].dir, "n=%d position %d", n, i)
		}
	}
}
