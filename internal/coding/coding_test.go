package coding

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var offered = []string{"br", "zstd", "gzip"}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name   string
		accept []string
		want   string
	}{
		{"no header", nil, ""},
		{"empty header", []string{""}, ""},
		{"gzip", []string{"gzip"}, "gzip"},
		{"x-gzip", []string{"x-gzip"}, "gzip"},
		{"case", []string{"GZip"}, "gzip"},
		{"browser", []string{"gzip, deflate, br, zstd"}, "br"},
		{"ties go to the server's order", []string{"gzip, zstd"}, "zstd"},
		{"q beats order", []string{"br;q=0.5, gzip"}, "gzip"},
		{"q with spaces", []string{"br ; q=0.5 , gzip ; q=0.8"}, "gzip"},
		{"q=0 refuses", []string{"gzip;q=0"}, ""},
		{"star", []string{"*"}, "br"},
		{"star with exclusions", []string{"*, br;q=0"}, "zstd"},
		{"star q=0 leaves named", []string{"*;q=0, gzip"}, "gzip"},
		{"identity preferred", []string{"identity;q=1, gzip;q=0.5"}, ""},
		{"identity refused", []string{"identity;q=0, gzip;q=0.1"}, "gzip"},
		{"nothing acceptable", []string{"identity;q=0, deflate"}, ""},
		{"star q=0 refuses identity", []string{"*;q=0"}, ""},
		{"unknown only", []string{"deflate, compress"}, ""},
		{"invalid q ignored", []string{"br;q=2, gzip;q=abc, zstd;q=0.001"}, "zstd"},
		{"three decimals at most", []string{"br;q=0.1234, gzip"}, "gzip"},
		{"several header lines", []string{"gzip;q=0.5", "zstd"}, "zstd"},
		{"other parameters", []string{"gzip;level=1;q=0.9, br;q=0.8"}, "gzip"},
		{"repeated name keeps the best", []string{"gzip;q=0.1, gzip;q=0.9, br;q=0.5"}, "gzip"},
		{"empty elements", []string{",,gzip,,"}, "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Negotiate(tt.accept, offered))
		})
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"gzip", "br;q=0.5, *;q=0", "identity;q=0", "x-gzip;Q=1.000", ";q=", "a;q=0.", ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		got := Negotiate([]string{accept}, offered)
		if got != "" {
			assert.Contains(t, offered, got)
		}
	})
}
