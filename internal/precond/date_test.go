package precond

import (
	"bufio"
	"context"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/simplehttp/simplehttp/internal/oracle"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dateCases pins what Python 3.12's http.server makes of If-Modified-Since
// values (email.utils.parsedate_to_datetime plus send_head's UTC check),
// measured with the oracle: want is the UTC instant, or "" when Python
// ignores the header. TestParseDateMatchesPython re-measures every row.
var dateCases = []struct {
	name, in, want string
}{
	{"IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"RFC 850", "Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"asctime", "Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z"},
	{"no weekday", "06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"wrong weekday is not checked", "Mon, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"no space after comma", "Sun,06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"gmt lower case", "Sun, 06 Nov 1994 08:49:37 gmt", "1994-11-06T08:49:37Z"},
	{"UT", "Sun, 06 Nov 1994 08:49:37 UT", "1994-11-06T08:49:37Z"},
	{"UTC", "Sun, 06 Nov 1994 08:49:37 UTC", "1994-11-06T08:49:37Z"},
	{"Z", "Sun, 06 Nov 1994 08:49:37 Z", "1994-11-06T08:49:37Z"},
	{"+0000", "Sun, 06 Nov 1994 08:49:37 +0000", "1994-11-06T08:49:37Z"},
	{"-0000 means no zone", "Sun, 06 Nov 1994 08:49:37 -0000", "1994-11-06T08:49:37Z"},
	{"no zone", "Sun, 06 Nov 1994 08:49:37", "1994-11-06T08:49:37Z"},
	{"unknown zone word", "Sun, 06 Nov 1994 08:49:37 XYZ", "1994-11-06T08:49:37Z"},
	{"zone glued to time", "Sun, 06 Nov 1994 08:49:37+0000", "1994-11-06T08:49:37Z"},
	{"+0100 ignored", "Sun, 06 Nov 1994 08:49:37 +0100", ""},
	{"+0100 naming the same instant ignored", "Sun, 06 Nov 1994 09:49:37 +0100", ""},
	{"glued +0100 ignored", "Sun, 06 Nov 1994 08:49:37+0100", ""},
	{"EST ignored", "Sun, 06 Nov 1994 08:49:37 EST", ""},
	{"est ignored", "Sun, 06 Nov 1994 08:49:37 est", ""},
	{"-0500 ignored", "Sun, 06 Nov 1994 08:49:37 -0500", ""},
	{"out of range offset ignored", "Sun, 06 Nov 1994 08:49:37 +9999", ""},
	{"no seconds", "Sun, 06 Nov 1994 08:49 GMT", "1994-11-06T08:49:00Z"},
	{"dotted time", "Sun, 06 Nov 1994 08.49.37 GMT", "1994-11-06T08:49:37Z"},
	{"dotted time without seconds", "Sun, 06 Nov 1994 08.49 GMT", "1994-11-06T08:49:00Z"},
	{"full month name", "Sun, 06 November 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"upper-case month", "Sun, 06 NOV 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"month before day", "Sun, Nov 06 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"two-digit year 69", "Sun, 06 Nov 69 08:49:37 GMT", "1969-11-06T08:49:37Z"},
	{"two-digit year 68", "Sun, 06 Nov 68 08:49:37 GMT", "2068-11-06T08:49:37Z"},
	{"year 0", "Sun, 06 Nov 0 08:49:37 GMT", "2000-11-06T08:49:37Z"},
	{"comma after year", "Sun, 06 Nov 1994, 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"underscore in year", "Sun, 06 Nov 1_994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"negative year via swapped zone", "06 Nov GMT 08:49:37 -5", "1995-11-06T08:49:37Z"},
	{"trailing words", "Sun, 06 Nov 1994 08:49:37 GMT trailing words here", "1994-11-06T08:49:37Z"},
	{"leap day", "Tue, 29 Feb 2000 08:49:37 GMT", "2000-02-29T08:49:37Z"},
	{"no leap day in 1900", "Thu, 29 Feb 1900 08:49:37 GMT", ""},
	{"31 November", "Sun, 31 Nov 1994 08:49:37 GMT", ""},
	{"second 60", "Sun, 06 Nov 1994 08:49:60 GMT", ""},
	{"hour 24", "Sun, 06 Nov 1994 24:00:00 GMT", ""},
	{"year 10000", "Sun, 06 Nov 10000 08:49:37 GMT", ""},
	{"signed year", "Sun, 06 Nov +1994 08:49:37 GMT", ""},
	{"superscript digit", "Sun, 06 Nov \xb2994 08:49:37 GMT", ""},
	{"fractional seconds", "Sun, 06 Nov 1994 08:49:37.5 GMT", ""},
	{"no time", "Sun, 06 Nov 1994", ""},
	{"ISO 8601", "1994-11-06T08:49:37Z", ""},
	{"garbage", "garbage", ""},
	{"empty", "", ""},
	{"blank", "   ", ""},
	{"Latin-1 no-break space separates", "Sun,\xa006\xa0Nov\xa01994\xa008:49:37\xa0GMT", "1994-11-06T08:49:37Z"},
	{"extra whitespace", "  Sun,   06  Nov\t1994 08:49:37   GMT  ", "1994-11-06T08:49:37Z"},
	{"lower-case month and zone", "sun, 06 nov 1994 08:49:37 gmt", "1994-11-06T08:49:37Z"},
	{"two commas after the weekday", "Sun,,06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"},
	{"comma after a space", "Sun , 06 Nov 1994 08:49:37 GMT", ""},
	{"year 1 is 2001", "01 Jan 0001 00:00:00 GMT", "2001-01-01T00:00:00Z"},
	{"year 100", "01 Jan 100 00:00:00 GMT", "0100-01-01T00:00:00Z"},
	{"year 9999", "31 Dec 9999 23:59:59 GMT", "9999-12-31T23:59:59Z"},
	{"leap second", "30 Jun 2016 23:59:60 GMT", ""},
	{"a lone sign is an unknown zone", "06 Nov 1994 08:49:37 -", "1994-11-06T08:49:37Z"},
	{"offset of a day ignored", "06 Nov 1994 08:49:37 +2400", ""},
	{"huge year", "06 Nov 99999999999999999999999999 08:49:37", ""},
	{"zone of 4300 digits is an offset", "06 Nov 1994 08:49:37 " + strings.Repeat("9", 4300), ""},
	{"zone of 4301 digits is beyond int(): an unknown zone", "06 Nov 1994 08:49:37 " + strings.Repeat("9", 4301), "1994-11-06T08:49:37Z"},
	{"day of 4301 digits", strings.Repeat("0", 4300) + "1 Nov 1994 08:49:37", ""},
	{"day of 4300 digits", strings.Repeat("0", 4299) + "1 Nov 1994 08:49:37", "1994-11-01T08:49:37Z"},
}

func TestParseDate(t *testing.T) {
	for _, tc := range dateCases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseDate(tc.in)
			if tc.want == "" {
				assert.False(t, ok, "got %v", got)
				return
			}
			require.True(t, ok)
			want, err := time.Parse(time.RFC3339, tc.want)
			require.NoError(t, err)
			assert.True(t, want.Equal(got), "got %v, want %v", got, want)
			assert.Equal(t, time.UTC, got.Location())
		})
	}
}

// pythonVerdict is send_head's reading of If-Modified-Since, applied to
// each hex-encoded Latin-1 line of stdin: the UTC instant in Unix seconds,
// or "ignore".
const pythonVerdict = `
import sys, datetime, email.utils
utc = datetime.timezone.utc
epoch = datetime.datetime(1970, 1, 1, tzinfo=utc)
for line in sys.stdin:
    s = bytes.fromhex(line.strip()).decode('latin-1')
    try:
        ims = email.utils.parsedate_to_datetime(s)
    except (TypeError, IndexError, OverflowError, ValueError):
        print("ignore")
        continue
    if ims.tzinfo is None:
        ims = ims.replace(tzinfo=utc)
    if ims.tzinfo is utc:
        print((ims - epoch) // datetime.timedelta(seconds=1))
    else:
        print("ignore")
`

// pythonDates runs pythonVerdict over inputs.
func pythonDates(t *testing.T, inputs []string) []string {
	t.Helper()
	oracle.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stdin strings.Builder
	for _, in := range inputs {
		stdin.WriteString(hex.EncodeToString([]byte(in)) + "\n")
	}
	cmd := oracle.Command(ctx, "-c", pythonVerdict)
	cmd.Stdin = strings.NewReader(stdin.String())
	out, err := cmd.Output()
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	require.Len(t, lines, len(inputs))
	return lines
}

// dateVariants builds inputs around the edges of Python's parser: every
// zone, separator and field order combined with a few dates.
func dateVariants() []string {
	var out []string
	days := []string{"", "Sun, ", "Sunday, ", "sun ", "Foo, ", "x,", "SUN,"}
	dates := []string{"06 Nov 1994", "Nov 06 1994", "06-Nov-94", "6 nov 94", "31 Apr 2024", "29 feb 2024", "01 Jan 1", "01 Jan 9999", "01 Jan 68", "01 Jan 69", "01 Jan 99", "01 Jan 100", "0_6 Nov 1994", "06 Nov 1994,", "6, Nov 1994"}
	times := []string{"08:49:37", "8:9:7", "08:49", "08.49.37", "08.49", "23:59:59", "00:00:00", "08:49:37,", "08:49:37:00", "-1:00:00", "08:60:00"}
	zones := []string{"", " GMT", " gmt", " UT", " utc", " Z", " z", " +0000", " -0000", " +0", " -0", " 0", " 00", " +0001", " -0001", " +0100", " EST", " edt", " PST", " XYZ", " +00_00", " ++0000", " +2400", " -2359", "+0000", "-0000", "+0100", " GMT,", " (GMT)"}
	for _, d := range days {
		for _, dt := range dates {
			for _, tm := range times {
				out = append(out, d+dt+" "+tm+" GMT")
			}
			for _, z := range zones {
				out = append(out, d+dt+" 08:49:37"+z)
			}
		}
	}
	// asctime and reordered fields.
	for _, z := range zones {
		out = append(out, "Sun Nov  6 08:49:37 1994"+z, "Nov 6 1994 08:49:37"+z, "6 Nov 08:49:37 1994"+z, "08:49:37 6 Nov 1994"+z)
	}
	return out
}

// datePieces are what dateMutations inserts and substitutes: separators,
// signs, numbers at and beyond every range, month, day and zone names in
// odd cases, Latin-1 whitespace and digits Python's isdigit accepts.
var datePieces = []string{
	" ", "  ", "\t", ",", ", ", "-", "+", ":", ".", "0", "00", "60", "99", "9999", "10000", "0000",
	"1", "24", "31", "32", "29", "feb", "FEB", "February", "fEb", "may", "jan", "DECEMBER",
	"gmt", "UT", "Z", "z", "EST", "est", "+0000", "-0000", "+0100", "_", "1_0", "__", "\xa0", "\x85", "\x1c",
	"\xb2", "\xb9", "\xdf", "\xff", "99999999999999999999999999", "-99999999999999", "sun", "Mon,", "x,y",
	"08:49:37", "23:59:60", "8:9", "08.49", "1.2.3.4", "1:2:3:4", "::", "+-0", "0x10", "1e3", "\x00",
	"1_", "_1", "+_1", "+00_00", "-0_0", "1994,", "06,", "Nov,", "08:49:37,", "GMT,", ",GMT", "-0", "+0",
}

// dateMutations returns n inputs made from well-formed dates by a few
// random edits each (a fixed seed, so the inputs are the same every run).
func dateMutations(n int) []string {
	seeds := []string{
		"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
		"06 Nov 1994 08:49:37 +0000", "Sun, 06 Nov 1994 08:49:37 -0000", "Sun, 06 Nov 1994 08.49.37 UT",
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	piece := func() string { return datePieces[rnd.IntN(len(datePieces))] }
	out := make([]string, 0, n)
	for range n {
		s := seeds[rnd.IntN(len(seeds))]
		for edits := rnd.IntN(4) + 1; edits > 0; edits-- {
			f := strings.Split(s, " ")
			switch i := rnd.IntN(len(f)); rnd.IntN(5) {
			case 0: // insert a piece anywhere
				at := rnd.IntN(len(s) + 1)
				s = s[:at] + piece() + s[at:]
			case 1: // replace a field
				f[i] = piece()
				s = strings.Join(f, " ")
			case 2: // swap two fields
				j := rnd.IntN(len(f))
				f[i], f[j] = f[j], f[i]
				s = strings.Join(f, " ")
			case 3: // replace a field with a small number
				f[i] = strconv.Itoa(rnd.IntN(200) - 50)
				s = strings.Join(f, " ")
			case 4: // replace a byte
				if s != "" {
					b := []byte(s)
					b[rnd.IntN(len(b))] = byte(rnd.IntN(256))
					s = string(b)
				}
			}
		}
		out = append(out, s)
	}
	return out
}

// fuzzCorpus returns the inputs saved in testdata/fuzz/FuzzParseDate.
func fuzzCorpus(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzParseDate", "*"))
	require.NoError(t, err)
	var out []string
	for _, f := range files {
		fh, err := os.Open(f)
		require.NoError(t, err)
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "string("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(v, ")"))
				require.NoError(t, err, f)
				out = append(out, s)
			}
		}
		fh.Close()
	}
	return out
}

// TestParseDateMatchesPython pins ParseDate to Python 3.12 on the table
// above, the fuzz corpus, a few thousand generated variants and 20 000
// random mutations.
func TestParseDateMatchesPython(t *testing.T) {
	var inputs []string
	for _, tc := range dateCases {
		inputs = append(inputs, tc.in)
	}
	inputs = append(inputs, fuzzCorpus(t)...)
	inputs = append(inputs, dateVariants()...)
	inputs = append(inputs, dateMutations(20000)...)
	want := pythonDates(t, inputs)
	mismatches := 0
	for i, in := range inputs {
		got := "ignore"
		if tm, ok := ParseDate(in); ok {
			got = strconv.FormatInt(tm.Unix(), 10)
		}
		if !assert.Equal(t, want[i], got, "ParseDate(%q)", in) {
			if mismatches++; mismatches > 20 {
				t.Fatal("too many mismatches")
			}
		}
	}
	t.Logf("%d inputs agree with Python", len(inputs))
}

func FuzzParseDate(f *testing.F) {
	for _, tc := range dateCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := ParseDate(in)
		if !ok {
			return
		}
		if got.Location() != time.UTC || got.Nanosecond() != 0 || got.Year() < 1 || got.Year() > 9999 {
			t.Fatalf("ParseDate(%q) = %v", in, got)
		}
		// Whatever ParseDate accepts, it accepts again once formatted as
		// an IMF-fixdate (from year 100 on: Python reads "0050" as 2050).
		if got.Year() >= 100 {
			again, ok := ParseDate(got.Format(time.RFC1123))
			if !ok || !again.Equal(got) {
				t.Fatalf("ParseDate(%q) = %v, but the IMF-fixdate %q reads %v %v", in, got, got.Format(time.RFC1123), again, ok)
			}
		}
	})
}
