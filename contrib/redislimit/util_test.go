package redislimit_test

import (
	"io"
	"log/slog"
	"net"
)

type netListen struct{}

// free returns a loopback address nothing listens on.
func (netListen) free() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
