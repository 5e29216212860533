package testutil

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// A Router puts a middleware in front of a handler one way a user would.
type Router struct {
	Name  string
	Build func(mw func(http.Handler) http.Handler, h http.Handler) http.Handler
}

// Routers are the two ways the middleware tests mount what they test: in
// front of a plain [net/http.HandlerFunc], and inside a chi router (with
// chi.Router.Use) that serves h under /files/*.
var Routers = []Router{
	{"HandlerFunc", func(mw func(http.Handler) http.Handler, h http.Handler) http.Handler {
		return mw(http.HandlerFunc(h.ServeHTTP))
	}},
	{"chi", func(mw func(http.Handler) http.Handler, h http.Handler) http.Handler {
		r := chi.NewRouter()
		r.Use(mw)
		r.Handle("/files/*", h)
		return r
	}},
}
