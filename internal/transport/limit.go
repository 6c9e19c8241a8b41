package transport

import (
	"github.com/creatorkit/creatorkit-go"
)

// Limiter, Window and DelayError are the root package's.
type (
	Limiter    = creatorkit.Limiter
	Window     = creatorkit.Window
	DelayError = creatorkit.DelayError
)
