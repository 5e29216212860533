package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMedianSpread(t *testing.T) {
	tests := []struct {
		xs     []float64
		median float64
		spread string
	}{
		{nil, 0, "–"},
		{[]float64{7}, 7, "7.00"},
		{[]float64{3, 1, 2}, 2, "2.00 (1.00–3.00)"},
		{[]float64{4, 1, 2, 3}, 2.5, "2.50 (1.00–4.00)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.median, median(tt.xs), "%v", tt.xs)
		assert.Equal(t, tt.spread, spread(tt.xs, fmtRate), "%v", tt.xs)
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		v          float64
		rate, ints string
	}{
		{0.5, "0.50", "0"},
		{12.34, "12.3", "12"},
		{999.6, "1 000", "1 000"},
		{27379, "27 379", "27 379"},
		{1234567, "1 234 567", "1 234 567"},
		{-4321, "", "-4 321"},
	}
	for _, tt := range tests {
		if tt.rate != "" {
			assert.Equal(t, tt.rate, fmtRate(tt.v), "%v", tt.v)
		}
		assert.Equal(t, tt.ints, fmtInt(tt.v), "%v", tt.v)
	}
}

// TestGoLoad runs the fallback load generator against a real server: it
// counts the answers, sends the headers, and fails on an error status.
func TestGoLoad(t *testing.T) {
	var served, gzipped atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			http.Error(w, "no", http.StatusNotFound)
			return
		}
		served.Add(1)
		if r.Header.Get("Accept-Encoding") == "gzip" {
			gzipped.Add(1)
		}
		_, _ = w.Write([]byte("hello"))
	}))
	defer srv.Close()

	rate, err := goLoad(context.Background(), srv.URL+"/ok", 4, http.Header{"Accept-Encoding": {"gzip"}}, 300*time.Millisecond)
	require.NoError(t, err)
	assert.Positive(t, served.Load())
	assert.Equal(t, served.Load(), gzipped.Load())
	// The rate is what was served over the run, within the rounding of
	// requests cut off at the end.
	assert.InDelta(t, float64(served.Load())/0.3, rate, float64(served.Load())/0.3*0.5+50)

	_, err = goLoad(context.Background(), srv.URL+"/bad", 2, nil, 300*time.Millisecond)
	assert.ErrorContains(t, err, "404")
}
