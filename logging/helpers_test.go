package logging

import "regexp"

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }
