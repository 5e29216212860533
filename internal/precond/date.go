package precond

import (
	"strings"
	"time"
)

// ParseDate reads an HTTP date the way Python 3.12's http.server reads
// If-Modified-Since (email.utils.parsedate_to_datetime followed by the UTC
// check in SimpleHTTPRequestHandler.send_head), and reports whether the value
// names an instant in UTC.
//
// It accepts what Python accepts: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37
// GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT"), asctime ("Sun Nov  6
// 08:49:37 1994"), with or without the weekday (which is never checked),
// full or abbreviated month names in any case, two-digit years (69-99 mean
// 19xx, the rest 20xx), and "hh:mm" or dotted times. The zone decides:
// GMT, UT, UTC and Z in any case, +0000, -0000, no zone at all and an
// unknown zone word all mean UTC; a known non-zero zone (+0100, EST, ...)
// makes Python ignore the header even when it names the same instant, so
// ParseDate returns false. Values Python cannot read (garbage, day 31 of
// November, second 60, year 0) also return false.
//
// The value is read as Latin-1, as Python decodes header bytes. The result
// is in UTC with whole seconds.
func ParseDate(value string) (time.Time, bool) {
	fields := pyFields(value)
	if len(fields) == 0 {
		return time.Time{}, false
	}
	// A leading day name (or anything ending in a comma) is skipped;
	// otherwise whatever precedes the last comma of the first field is.
	if strings.HasSuffix(fields[0], ",") || isDayName(fields[0]) {
		fields = fields[1:]
	} else if i := strings.LastIndexByte(fields[0], ','); i >= 0 {
		fields[0] = fields[0][i+1:]
	}
	// RFC 850: "06-Nov-94 08:49:37 GMT" arrives as three fields.
	if len(fields) == 3 {
		if parts := strings.Split(fields[0], "-"); len(parts) == 3 {
			fields = append(parts, fields[1:]...)
		}
	}
	// Four fields: the zone may be glued to the time ("08:49:37+0100"),
	// else there is none.
	if len(fields) == 4 {
		s := fields[3]
		i := strings.IndexByte(s, '+')
		if i == -1 {
			i = strings.IndexByte(s, '-')
		}
		if i > 0 {
			fields = append(fields[:3:3], s[:i], s[i:])
		} else {
			fields = append(fields, "")
		}
	}
	if len(fields) < 5 {
		return time.Time{}, false
	}
	dd, mm, yy, tm, tz := fields[0], fields[1], fields[2], fields[3], fields[4]
	if dd == "" || mm == "" || yy == "" {
		return time.Time{}, false
	}
	month := monthNumber(mm)
	if month == 0 {
		// Python lower-cases both on the way; case does not matter to
		// the numbers read from dd later.
		dd, mm = mm, dd
		if month = monthNumber(mm); month == 0 {
			return time.Time{}, false
		}
	}
	dd = strings.TrimSuffix(dd, ",")
	if i := strings.IndexByte(yy, ':'); i > 0 {
		yy, tm = tm, yy
	}
	if yy == "" {
		return time.Time{}, false
	}
	if strings.HasSuffix(yy, ",") {
		if yy = yy[:len(yy)-1]; yy == "" {
			return time.Time{}, false
		}
	}
	if !isPyDigit(yy[0]) {
		yy, tz = tz, yy
	}
	if tm == "" {
		return time.Time{}, false
	}
	tm = strings.TrimSuffix(tm, ",")
	var hh, mi, ss string
	switch parts := strings.Split(tm, ":"); {
	case len(parts) == 2:
		hh, mi, ss = parts[0], parts[1], "0"
	case len(parts) == 3:
		hh, mi, ss = parts[0], parts[1], parts[2]
	case len(parts) == 1 && strings.Contains(tm, "."):
		switch dotted := strings.Split(tm, "."); len(dotted) {
		case 2:
			hh, mi, ss = dotted[0], dotted[1], "0"
		case 3:
			hh, mi, ss = dotted[0], dotted[1], dotted[2]
		default:
			return time.Time{}, false
		}
	default:
		return time.Time{}, false
	}
	var n [5]int64
	for i, s := range [...]string{yy, dd, hh, mi, ss} {
		v, ok := pyInt(s)
		if !ok {
			return time.Time{}, false
		}
		n[i] = v
	}
	year, day, hour, minute, second := n[0], n[1], n[2], n[3], n[4]
	if year < 100 {
		if year > 68 {
			year += 1900
		} else {
			year += 2000
		}
	}
	if !utcZone(tz) {
		return time.Time{}, false
	}
	// datetime.datetime's range checks.
	if year < 1 || year > 9999 || day < 1 || day > int64(daysIn(month, int(year))) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 {
		return time.Time{}, false
	}
	return time.Date(int(year), time.Month(month), int(day), int(hour), int(minute), int(second), 0, time.UTC), true
}

// utcZone reports whether Python ends up with a UTC (or zone-less, which
// send_head then treats as UTC) datetime for the zone field tz.
func utcZone(tz string) bool {
	for _, z := range utcNames {
		if asciiEqualFold(tz, z) {
			return true
		}
	}
	for _, z := range otherZones {
		if asciiEqualFold(tz, z) {
			return false
		}
	}
	v, ok := pyInt(tz)
	if !ok {
		return true // an unknown zone: no offset, so UTC
	}
	// A non-zero number is an offset (valid or not, the header is ignored);
	// zero is UTC, and "-0000" means "no zone", which is UTC too.
	return v == 0
}

// pyFields splits s like Python's str.split() with no argument, on the
// characters Python considers whitespace, reading s byte by byte as Latin-1.
func pyFields(s string) []string {
	fields := make([]string, 0, 8)
	start := -1
	for i := 0; i < len(s); i++ {
		if isPySpace(s[i]) {
			if start >= 0 {
				fields = append(fields, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		fields = append(fields, s[start:])
	}
	return fields
}

// isPySpace reports whether the Latin-1 character c is whitespace for
// Python's str.isspace.
func isPySpace(c byte) bool {
	switch c {
	case '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0:
		return true
	}
	return false
}

// isPyDigit reports whether the Latin-1 character c is a digit for Python's
// str.isdigit: 0-9 and the superscripts ¹ ² ³.
func isPyDigit(c byte) bool {
	return '0' <= c && c <= '9' || c == 0xb2 || c == 0xb3 || c == 0xb9
}

// maxIntDigits is Python's default limit on the digits int() converts.
const maxIntDigits = 4300

// pyInt converts s like Python's int(s) for a string without whitespace: an
// optional sign, then ASCII digits with single underscores between them, at
// most 4300 digits. The magnitude saturates well above any valid date field,
// which keeps zero and non-zero apart and every range check right.
func pyInt(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	const limit = 1 << 40
	var v int64
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digits++
			if v < limit {
				v = v*10 + int64(c-'0')
			}
		case c == '_' && i > 0 && i < len(s)-1 && s[i-1] != '_':
		default:
			return 0, false
		}
	}
	if digits > maxIntDigits {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// Python's zone table: the names meaning UTC, and the others.
var (
	utcNames   = [...]string{"UT", "UTC", "GMT", "Z"}
	otherZones = [...]string{"AST", "ADT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"}
)

var monthNames = [...]string{
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
}

// monthNumber returns 1-12 for a month name Python knows, in any case,
// else 0.
func monthNumber(name string) int {
	for i, m := range monthNames {
		if asciiEqualFold(name, m) {
			return i%12 + 1
		}
	}
	return 0
}

var dayNames = [...]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

func isDayName(name string) bool {
	for _, d := range dayNames {
		if asciiEqualFold(name, d) {
			return true
		}
	}
	return false
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// asciiEqualFold compares s and t ignoring the case of ASCII letters only.
// Python changes the case of Latin-1 text, where no other letter becomes
// ASCII (ß upper-cases to SS, which spells no zone), so this is exact for
// the names compared here; strings.EqualFold would wrongly fold UTF-8
// sequences such as ſ into s.
func asciiEqualFold(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		a, b := s[i], t[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
