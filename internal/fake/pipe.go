package fake

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// The in-memory mode (Config.InMemory) serves a fake over net.Pipe
// connections instead of a TCP socket, so that it runs inside a
// testing/synctest bubble: a goroutine blocked on a socket is not durably
// blocked and would stop the bubble's clock, while net.Pipe is built on
// channels, which are. The server is a real http.Server and the client a
// real http.Transport whose DialContext hands one end of a new pipe to
// the server's listener: keep-alive, hijacking (the dropped-connection
// faults) and Content-Length checks behave as they do over TCP.

// pipeNet is one fake's in-memory network: the hosts it serves (the fake
// itself and the webhook receivers of ServeWebhooks), reached only by
// the transport of the fake's HTTPClient.
type pipeNet struct {
	mu    sync.Mutex
	hosts map[string]*pipeListener
	port  int // the client side's next port, for RemoteAddr
}

func newPipeNet() *pipeNet { return &pipeNet{hosts: map[string]*pipeListener{}, port: 49152} }

// listen returns a listener for host ("engagecheck.fake.invalid"), served
// on port 80 of no real interface.
func (n *pipeNet) listen(host string) *pipeListener {
	l := &pipeListener{addr: pipeAddr(host), conns: make(chan net.Conn), done: make(chan struct{})}
	n.mu.Lock()
	n.hosts[host] = l
	n.mu.Unlock()
	return l
}

// dial connects to one of the network's hosts: a host it does not serve
// is not found, as a .invalid name would not be; a closed one refuses the
// connection.
func (n *pipeNet) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	n.mu.Lock()
	l := n.hosts[host]
	n.port++
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: n.port}
	n.mu.Unlock()
	if l == nil || port != "80" {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host (the fake's in-memory client reaches only the fake)", Name: host, IsNotFound: true}}
	}
	return l.dial(ctx, local)
}

// pipeListener is a net.Listener whose connections come from dial.
type pipeListener struct {
	addr  pipeAddr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

// Accept waits for the next dial.
func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; later dials are refused.
func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr is the host the fake serves (its URL is "http://" + Addr).
func (l *pipeListener) Addr() net.Addr { return l.addr }

func (l *pipeListener) dial(ctx context.Context, local net.Addr) (net.Conn, error) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Addr: l.addr, Err: syscall.ECONNREFUSED}
	select {
	case <-l.done:
		return nil, refused
	default:
	}
	client, server := net.Pipe()
	select {
	case l.conns <- &pipeConn{Conn: server, local: l.addr, remote: local}:
		return &pipeConn{Conn: client, local: local, remote: l.addr}, nil
	case <-l.done:
		client.Close()
		server.Close()
		return nil, refused
	case <-ctx.Done():
		client.Close()
		server.Close()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: l.addr, Err: ctx.Err()}
	}
}

// pipeAddr is a host served in memory.
type pipeAddr string

// Network is "tcp": to the code above it, the connection is a TCP one.
func (a pipeAddr) Network() string { return "tcp" }

// String is the host, without a port (80 is implied by http://).
func (a pipeAddr) String() string { return string(a) }

// pipeConn is one end of a pipe with the addresses a TCP connection
// would have, so that a handler's r.RemoteAddr reads "127.0.0.1:port".
type pipeConn struct {
	net.Conn
	local, remote net.Addr
}

// LocalAddr is this end's address.
func (c *pipeConn) LocalAddr() net.Addr { return c.local }

// RemoteAddr is the other end's address.
func (c *pipeConn) RemoteAddr() net.Addr { return c.remote }

// newPipeTransport is http.DefaultTransport's settings on the in-memory
// network (HTTP/1.1 only, no proxy).
func newPipeTransport(n *pipeNet) *http.Transport {
	return &http.Transport{
		DialContext:           n.dial,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// hookHost names the i-th webhook receiver of a fake named host.
func hookHost(host string, i int) string {
	if i == 1 {
		return "hooks." + host
	}
	return "hooks-" + strconv.Itoa(i) + "." + host
}

// NewBare serves h as it is (no routes, counters, limits or faults) over
// in-memory connections at http://<name>.fake.invalid, started: for a
// test inside a testing/synctest bubble whose server is a bare handler
// (an answer no fake models), where httptest.NewServer's socket would
// stop the bubble's clock. Reach it with HTTPClient; Close it inside the
// bubble.
func NewBare(name string, h http.Handler) *Server {
	s := New(Config{InMemory: true, Name: name})
	s.Server.Config.Handler = h
	return s.Start()
}
