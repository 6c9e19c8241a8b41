package creatoraudittest

import (
	"net/http"
	"time"
)

// Close stops the fake: its pending timers and background webhook
// deliveries, then the server.
func (s *Server) Close() { s.f.Close() }

// SetFaults replaces the faults the fake injects from now on.
func (s *Server) SetFaults(f Faults) { s.f.SetFaults(f) }

// Scale converts a virtual duration (how long the vendor takes) to the
// real time it takes on this fake's time scale.
func (s *Server) Scale(d time.Duration) time.Duration { return s.f.Scale(d) }

// Handler returns the fake's HTTP handler, to serve it in-process (for
// example through httptest.NewRecorder) without its listener.
func (s *Server) Handler() http.Handler { return s.f.Config.Handler }

// HTTPClient returns a client that reaches the fake: with WithVirtualTime
// the only one (over in-memory connections), otherwise a client of its
// own over TCP. Wrap its Transport to watch or change a client's
// requests. Close closes its idle connections.
func (s *Server) HTTPClient() *http.Client { return s.f.HTTPClient() }
