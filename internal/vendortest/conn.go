package vendortest

import (
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"testing"
)

// ConnTransport is a transport of a test's own to a fake (a clone of the
// fake client's, closed when the test ends) that keeps idle connections
// per host alive between requests, or opens a fresh connection for every
// request when reused is false: the two ways a lost answer may meet
// net/http's own retries.
func ConnTransport(t testing.TB, fake *http.Client, idle int, reused bool) *http.Transport {
	tr := fake.Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost, tr.DisableKeepAlives = idle, !reused
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// ConnUse is a request a ConnLog carried, and whether each connection it
// went out on was reused (net/http may try a request on a second
// connection by itself).
type ConnUse struct {
	Method, Path string
	Reused       []bool
}

// ConnLog is a transport that records, for every request it carries, the
// connections it went out on.
type ConnLog struct {
	base http.RoundTripper
	mu   sync.Mutex
	log  []ConnUse
}

// ConnClient returns an http.Client to a fake on a ConnTransport keeping
// one idle connection (or none: reused false), and the log of its
// requests' connections.
func ConnClient(t testing.TB, fake *http.Client, reused bool) (*http.Client, *ConnLog) {
	l := &ConnLog{base: ConnTransport(t, fake, 1, reused)}
	return &http.Client{Transport: l}, l
}

// RoundTrip sends r and records its connections.
func (l *ConnLog) RoundTrip(r *http.Request) (*http.Response, error) {
	var mu sync.Mutex
	var reused []bool
	ctx := httptrace.WithClientTrace(r.Context(), &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		mu.Lock()
		reused = append(reused, i.Reused)
		mu.Unlock()
	}})
	resp, err := l.base.RoundTrip(r.WithContext(ctx))
	mu.Lock()
	u := ConnUse{Method: r.Method, Path: r.URL.Path, Reused: append([]bool(nil), reused...)}
	mu.Unlock()
	l.mu.Lock()
	l.log = append(l.log, u)
	l.mu.Unlock()
	return resp, err
}

// Uses returns the requests of method whose path ends in pathSuffix.
func (l *ConnLog) Uses(method, pathSuffix string) []ConnUse {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []ConnUse
	for _, u := range l.log {
		if u.Method == method && strings.HasSuffix(u.Path, pathSuffix) {
			out = append(out, u)
		}
	}
	return out
}

// Resent is how many times net/http itself sent a request the log carried
// again, on a second connection.
func (l *ConnLog) Resent() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, u := range l.log {
		n += len(u.Reused) - 1
	}
	return n
}
