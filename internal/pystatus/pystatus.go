// Package pystatus holds Python's http.server status table: the short
// message and the explanation BaseHTTPRequestHandler.responses gives for each
// code (see status.tsv, copied from Python 3.12's http.HTTPStatus).
package pystatus

import (
	_ "embed"
	"strconv"
	"strings"
)

//go:embed status.tsv
var table string

// Status is one row of Python's table.
type Status struct {
	Phrase  string // the short message, such as "Not Found"
	Explain string // the long explanation; may be empty
}

var statuses = parse(table)

func parse(tsv string) map[int]Status {
	m := make(map[int]Status, 64)
	for i, line := range strings.Split(strings.TrimSpace(tsv), "\n") {
		if i == 0 { // header row
			continue
		}
		code, rest, _ := strings.Cut(line, "\t")
		phrase, explain, _ := strings.Cut(rest, "\t")
		n, err := strconv.Atoi(code)
		if err != nil {
			panic("pystatus: bad row in status.tsv: " + line)
		}
		m[n] = Status{Phrase: phrase, Explain: strings.TrimRight(explain, "\r")}
	}
	return m
}

// Lookup returns Python's row for code, and false when Python has none.
func Lookup(code int) (Status, bool) {
	s, ok := statuses[code]
	return s, ok
}
