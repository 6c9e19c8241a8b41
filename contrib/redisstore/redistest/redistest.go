// Package redistest starts a throwaway redis-server for tests and
// examples: on a free loopback port, in a temporary directory, with
// persistence off, stopped and removed by Close. It runs the real server
// (Debian package redis-server), never a mock.
//
//	func TestX(t *testing.T) {
//		srv := redistest.New(t) // skips when redis-server is not installed
//		rdb := srv.Client()
//		...
//	}
//
// New skips the test when redis-server is not on PATH, unless the
// environment sets REDISSTORE_REQUIRE_REDIS=1 (CI does), in which case it
// fails it.
//
// It is a copy of contrib/redislimit/redistest with its own environment
// variable, so that neither module depends on the other.
package redistest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RequireEnv is the environment variable that turns a missing redis-server
// from a skip into a failure.
const RequireEnv = "REDISSTORE_REQUIRE_REDIS"

// ErrNotInstalled is returned by Start when redis-server is not on PATH.
var ErrNotInstalled = errors.New("redistest: redis-server is not on PATH (Debian/Ubuntu: apt-get install redis-server)")

// Installed reports whether redis-server is on PATH.
func Installed() bool {
	_, err := exec.LookPath("redis-server")
	return err == nil
}

// Required reports whether REDISSTORE_REQUIRE_REDIS=1 is set.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Server is a running redis-server.
type Server struct {
	// Addr is host:port on the loopback interface.
	Addr string

	dir  string
	bin  string
	port int

	mu      sync.Mutex
	cmd     *exec.Cmd
	done    chan struct{}
	out     *syncBuffer
	clients []*redis.Client
	ownDir  bool
}

// New starts a server for a test and stops it when the test ends. Without
// redis-server on PATH it skips the test, or fails it when
// REDISSTORE_REQUIRE_REDIS=1.
func New(tb testing.TB) *Server {
	tb.Helper()
	if !Installed() {
		if Required() {
			tb.Fatalf("%v, and %s=1 requires it", ErrNotInstalled, RequireEnv)
		}
		tb.Skipf("%v: skipping (set %s=1 to fail instead)", ErrNotInstalled, RequireEnv)
	}
	s, err := Start()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Start starts redis-server on a free loopback port in a new temporary
// directory and waits until it answers PING.
func Start() (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, bin: bin, ownDir: true}
	var last error
	for range 5 { // another process may take the free port first
		if s.port, err = freePort(); err != nil {
			last = err
			continue
		}
		s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
		if last = s.start(); last == nil {
			return s, nil
		}
	}
	os.RemoveAll(dir)
	return nil, last
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// start runs the process on s.port and waits for PING.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("redistest: server already running")
	}
	out := &syncBuffer{}
	cmd := exec.Command(s.bin,
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no",
		"--protected-mode", "yes", "--loglevel", "warning", "--logfile", "")
	cmd.Stdout, cmd.Stderr = out, out
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redistest: start redis-server: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.cmd, s.done, s.out = cmd, done, out

	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-done:
			s.cmd = nil
			return fmt.Errorf("redistest: redis-server exited on port %d: %s", s.port, strings.TrimSpace(out.String()))
		default:
		}
		if time.Now().After(deadline) {
			s.stopLocked()
			return fmt.Errorf("redistest: redis-server on port %d did not answer PING: %v", s.port, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Client returns a new go-redis client with its own connection pool; Close
// closes it.
func (s *Server) Client() *redis.Client {
	return s.ClientWith(redis.Options{})
}

// ClientWith returns a new client for the server with the given options
// (Addr is set to the server's); Close closes it.
func (s *Server) ClientWith(opts redis.Options) *redis.Client {
	opts.Addr = s.Addr
	c := redis.NewClient(&opts)
	s.mu.Lock()
	s.clients = append(s.clients, c)
	s.mu.Unlock()
	return c
}

// Running reports whether the process is up.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cmd != nil
}

// Stop kills the server (SIGKILL, like a crash or a lost host); clients
// see connection errors from then on. Restart brings it back on the same
// port, empty.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

func (s *Server) stopLocked() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT) // in case it was frozen
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Restart starts the server again on the same port after Stop.
func (s *Server) Restart() error { return s.start() }

// Freeze stops the process (SIGSTOP) without closing its socket: calls
// hang until their timeouts, as with a hung server. Thaw resumes it.
func (s *Server) Freeze() error { return s.signal(syscall.SIGSTOP) }

// Thaw resumes a frozen server.
func (s *Server) Thaw() error { return s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig os.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return errors.New("redistest: server not running")
	}
	return s.cmd.Process.Signal(sig)
}

// Close closes the clients made by Client, stops the server and removes
// its directory.
func (s *Server) Close() {
	s.mu.Lock()
	clients := s.clients
	s.clients = nil
	s.mu.Unlock()
	for _, c := range clients {
		_ = c.Close()
	}
	s.Stop()
	if s.ownDir {
		_ = os.RemoveAll(s.dir)
	}
}

// Output returns what the server printed (warnings and errors).
func (s *Server) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.out == nil {
		return ""
	}
	return s.out.String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
