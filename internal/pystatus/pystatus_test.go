package pystatus

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simplehttp/simplehttp/internal/oracle"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		code    int
		ok      bool
		phrase  string
		explain string
	}{
		{404, true, "Not Found", "Nothing matches the given URI"},
		{501, true, "Not Implemented", "Server does not support this operation"},
		{418, true, "I'm a Teapot", "Server refuses to brew coffee because it is a teapot."},
		{102, true, "Processing", ""},
		{599, false, "", ""},
	}
	for _, tt := range tests {
		s, ok := Lookup(tt.code)
		assert.Equal(t, tt.ok, ok, tt.code)
		assert.Equal(t, tt.phrase, s.Phrase, tt.code)
		assert.Equal(t, tt.explain, s.Explain, tt.code)
	}
	assert.Len(t, statuses, 62)
}

// TestTableIsPythons compares the whole table with Python 3.12's
// http.HTTPStatus: the same codes, phrases and descriptions (our
// explanations). The script also checks that http.server's
// BaseHTTPRequestHandler.responses, which its error pages are made from,
// says the same as http.HTTPStatus.
func TestTableIsPythons(t *testing.T) {
	oracle.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const script = `
import json, sys, http, http.server
table = {int(s): [s.phrase, s.description] for s in http.HTTPStatus}
served = {int(c): list(v) for c, v in http.server.BaseHTTPRequestHandler.responses.items()}
assert served == table, "http.server's responses differ from http.HTTPStatus"
json.dump(table, sys.stdout)
`
	var stderr bytes.Buffer
	cmd := oracle.Command(ctx, "-c", script)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	var py map[int][2]string
	require.NoError(t, json.Unmarshal(out, &py))
	require.NotEmpty(t, py)

	for code, want := range py {
		got, ok := Lookup(code)
		if assert.True(t, ok, "%d is Python's, not ours", code) {
			assert.Equal(t, want[0], got.Phrase, "phrase of %d", code)
			assert.Equal(t, want[1], got.Explain, "explanation of %d", code)
		}
	}
	for code := range statuses {
		_, ok := py[code]
		assert.True(t, ok, "%d is ours, not Python's", code)
	}
}
