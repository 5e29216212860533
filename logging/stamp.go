package logging

import (
	"sync/atomic"
	"time"
)

const (
	pythonLayout = "02/Jan/2006 15:04:05"       // log_date_time_string
	commonLayout = "02/Jan/2006:15:04:05 -0700" // Apache's %t
)

// stampCache formats a time once per second and shares the text between all
// the lines logged within that second.
type stampCache struct {
	layout string
	loc    *time.Location
	cur    atomic.Pointer[stamp]
}

type stamp struct {
	sec  int64
	text string
}

func (c *stampCache) format(t time.Time) string {
	sec := t.Unix()
	if s := c.cur.Load(); s != nil && s.sec == sec {
		return s.text
	}
	s := &stamp{sec: sec, text: t.In(c.loc).Format(c.layout)}
	c.cur.Store(s)
	return s.text
}
