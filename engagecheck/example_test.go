package engagecheck_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
)

// Run one audit end to end. Against the real API, build the client with
// engagecheck.NewClient(engagecheck.WithAPIKey(key)) and drop the fake.
func ExampleAuditsService_Run() {
	srv := engagechecktest.NewServer() // a fake EngageCheck; no network
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	a, err := c.Audits.Run(context.Background(), "@NatGeo", srv.PollOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("@%s: AQS %d (%s), verdict %s\n", a.Username, *a.AQS, engagecheck.BandOf(*a.AQS), a.Verdict)
	fmt.Printf("bot comments %.0f%%, pods %t\n", a.Report.CommentQuality.BotCommentPercentage, a.Report.CommentQuality.PodActivityDetected)
	// Output:
	// @natgeo: AQS 88 (high quality), verdict green
	// bot comments 4%, pods false
}

// Audit a roster of any size: every handle comes back exactly once.
func ExampleAuditsService_RunAll() {
	srv := engagechecktest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()

	roster := []string{"natgeo", "@NASA", "natgeo", "someprivateaccount", "not a handle"}
	completed := 0
	for a, err := range c.Audits.RunAll(context.Background(), roster, srv.PollOptions()...) {
		var ae *engagecheck.AuditError
		switch {
		case errors.Is(err, engagecheck.ErrAuditFailed) && errors.As(err, &ae):
			fmt.Printf("@%s failed (credit refunded): %s\n", ae.Username, ae.Message)
		case errors.Is(err, engagecheck.ErrInvalidParams):
			fmt.Printf("%q skipped: not an Instagram handle\n", a.Username)
		case err != nil:
			log.Fatal(err)
		default:
			completed++
		}
	}
	fmt.Println("completed:", completed)
	// Output:
	// "not a handle" skipped: not an Instagram handle
	// @someprivateaccount failed (credit refunded): Account is private.
	// completed: 2
}

// Errors are typed: check their kind with errors.Is.
func ExampleError() {
	srv := engagechecktest.NewServer(engagechecktest.WithCredits(0))
	defer srv.Close()
	c, _ := srv.NewClient()

	_, err := c.Audits.Create(context.Background(), engagecheck.CreateAuditParams{Username: "natgeo"})
	var e *engagecheck.Error
	if errors.Is(err, engagecheck.ErrQuotaExceeded) && errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Message)
	}
	// Output:
	// 402 The key has no credits left to cover the request.
}

// Receive audits by webhook.
func ExampleWebhookHandler() {
	http.Handle("/hooks/engagecheck", engagecheck.WebhookHandler(func(ctx context.Context, ev *engagecheck.WebhookEvent) error {
		switch ev.Event {
		case engagecheck.EventAuditCompleted:
			fmt.Printf("@%s scored %d\n", ev.Username, *ev.AQS)
		case engagecheck.EventAuditFailed:
			fmt.Printf("@%s failed: %s\n", ev.Username, ev.Error)
		}
		return nil // a non-nil error answers 500 so the sender may retry
	}))
}

// Page through recent audits; pages are fetched as the loop reaches them.
func ExampleAuditsService_ListAll() {
	srv := engagechecktest.NewServer()
	defer srv.Close()
	c, _ := srv.NewClient()
	ctx := context.Background()
	if _, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa", "esa"}}); err != nil {
		log.Fatal(err)
	}
	for s, err := range c.Audits.ListAll(ctx, engagecheck.ListAuditsParams{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.ID, s.Username)
	}
	// Output:
	// 144 esa
	// 143 nasa
	// 142 natgeo
}
