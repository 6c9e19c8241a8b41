package jsonx

import (
	"time"

	"github.com/creatorkit/creatorkit-go"
)

// The lenient value types live in the root package, where users see them;
// vendor models use them through these names.
type (
	// Time is creatorkit.Time.
	Time = creatorkit.Time
	// Float is creatorkit.Float.
	Float = creatorkit.Float
	// Int is creatorkit.Int.
	Int = creatorkit.Int
	// ID is creatorkit.ID.
	ID = creatorkit.ID
)

// NewTime wraps t.
func NewTime(t time.Time) Time { return creatorkit.NewTime(t) }

// ParseTime parses s in any layout Time accepts.
func ParseTime(s string) (time.Time, error) { return creatorkit.ParseTime(s) }
