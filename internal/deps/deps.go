package deps

import (
	_ "github.com/felixge/httpsnoop"
	_ "github.com/go-chi/chi/v5"
	_ "github.com/stretchr/testify/assert"
)
