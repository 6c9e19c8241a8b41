// Command engagecheck-webhook receives EngageCheck audits by webhook
// instead of polling.
//
// With ENGAGECHECK_API_KEY set it serves POST /hooks/engagecheck on -addr
// until interrupted; pass -public-url (the address EngageCheck can reach,
// e.g. an https tunnel) and handles as arguments to submit them with that
// webhook:
//
//	ENGAGECHECK_API_KEY=ec_live_... go run ./examples/engagecheck-webhook \
//	    -addr :8080 -public-url https://hooks.example.com natgeo nasa
//
// Without a key it runs the whole round trip on the built-in fake: it
// starts the receiver on a loopback port, submits a demo batch whose
// webhook points at it, prints each event as it arrives, and exits.
package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	publicURL := flag.String("public-url", "", "base URL EngageCheck can reach this server at")
	flag.Parse()

	// EngageCheck documents no webhook signature, so put a secret of your
	// own in the webhook URL and check it on every delivery.
	secret := os.Getenv("WEBHOOK_SECRET")
	if secret == "" {
		secret = "demo-secret"
	}
	verify := engagecheck.WithWebhookVerifier(func(r *http.Request, _ []byte) error {
		if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("secret")), []byte(secret)) != 1 {
			return errors.New("wrong secret")
		}
		return nil
	})

	var mu sync.Mutex
	received := 0
	want := 0
	allIn := make(chan struct{})
	handler := engagecheck.WebhookHandler(func(ctx context.Context, ev *engagecheck.WebhookEvent) error {
		switch {
		case ev.Succeeded():
			s := ev.Summary() // the common creator summary, as Audit.Summary gives it
			fmt.Printf("audit %d: @%s scored %.0f (%s), ER %.2f%%, %d followers\n", ev.ID, s.Username, ev.GetAQS(), ev.Verdict,
				s.GetEngagementRate(), s.GetFollowers())
		case ev.Type == engagecheck.EventAuditFailed:
			fmt.Printf("audit %d: @%s failed: %s\n", ev.ID, ev.Username, ev.Reason) // the Reason says the credit was refunded
		default:
			fmt.Printf("audit %d: %s\n", ev.ID, ev.Reason)
		}
		mu.Lock()
		defer mu.Unlock()
		if received++; want > 0 && received == want {
			close(allIn)
		}
		return nil // an error here answers 500 so the sender may try again
	}, verify)

	mux := http.NewServeMux()
	mux.Handle("/hooks/engagecheck", handler)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = server.Serve(ln) }()
	defer server.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var c *engagecheck.Client
	handles := flag.Args()
	base := *publicURL
	if os.Getenv("ENGAGECHECK_API_KEY") == "" {
		fmt.Println("ENGAGECHECK_API_KEY is not set: running against the built-in fake EngageCheck (no network, no credits).")
		srv := engagechecktest.NewServer()
		defer srv.Close()
		if c, err = srv.NewClient(); err != nil {
			log.Fatal(err)
		}
		base = "http://" + ln.Addr().String()
		if len(handles) == 0 {
			handles = []string{"natgeo", "nasa", "someprivateaccount"}
		}
	} else if c, err = engagecheck.NewClient(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s/hooks/engagecheck\n", ln.Addr())

	if len(handles) > 0 {
		if base == "" {
			log.Fatal("pass -public-url so EngageCheck can reach this server")
		}
		hook := strings.TrimRight(base, "/") + "/hooks/engagecheck?secret=" + secret
		b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: handles, WebhookURL: hook})
		if err != nil {
			log.Fatal(err)
		}
		mu.Lock()
		if want = len(b.Results); received >= want {
			close(allIn)
		}
		mu.Unlock()
		fmt.Printf("submitted %d audits; %d credits left; waiting for webhooks\n", len(b.Results), b.CreditsRemaining)
		if os.Getenv("ENGAGECHECK_API_KEY") == "" {
			select {
			case <-allIn:
				fmt.Println("all webhooks received")
			case <-time.After(30 * time.Second):
				log.Fatal("timed out waiting for webhooks")
			}
			return
		}
	}
	<-ctx.Done()
}
