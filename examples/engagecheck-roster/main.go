// Command engagecheck-roster audits a roster of Instagram handles and
// prints a summary table: handle, name, followers, engagement rate, AQS,
// verdict (from the common creator summary, Audit.Summary), bot-comment
// share and pod activity, then the handles without a report and why.
//
// Handles come from the arguments, or from a CSV file (-csv roster.csv, the
// first column of each row; a header row is skipped). Progress goes to
// stderr.
//
//	ENGAGECHECK_API_KEY=ec_live_... go run ./examples/engagecheck-roster natgeo nasa @esa
//	go run ./examples/engagecheck-roster -csv roster.csv
//
// -webhook-listen takes the results from EngageCheck's webhooks instead of
// reading each audit: it serves a receiver (engagecheck.NewWebhookReceiver)
// at /hooks/engagecheck on that address, and the roster submits its
// batches with -public-url, the address EngageCheck reaches it at (an
// https tunnel to it, say), as the webhook URL. A secret of the run's own
// (or $WEBHOOK_SECRET) goes in the URL and is checked on every delivery,
// as EngageCheck signs nothing. -reuse-recent 24h adopts the key's audits
// of the roster's handles from the last 24 hours instead of paying for
// them again: run the roster again after it was stopped halfway and it
// pays only for what was never submitted.
//
//	ENGAGECHECK_API_KEY=ec_live_... go run ./examples/engagecheck-roster \
//	    -webhook-listen :8080 -public-url https://hooks.example.com/hooks/engagecheck \
//	    -reuse-recent 24h -csv roster.csv
//
// Without ENGAGECHECK_API_KEY it runs against the built-in fake
// (engagechecktest) on a demo roster, so it works on a fresh clone; with
// -webhook-listen (try 127.0.0.1:0) the fake's webhooks reach the
// example's receiver, at -public-url or, by default, at the address it
// listens on.
package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
)

func main() {
	csvPath := flag.String("csv", "", "CSV file whose first column holds the handles")
	budget := flag.Duration("timeout", 2*time.Hour, "give up waiting after this long (submitted audits keep their ids)")
	listen := flag.String("webhook-listen", "", "take results from webhooks: serve the receiver at /hooks/engagecheck on this address (e.g. :8080)")
	publicURL := flag.String("public-url", "", "with -webhook-listen: the URL EngageCheck reaches the receiver at (default on the fake: the listening address)")
	reuse := flag.Duration("reuse-recent", 0, "adopt the key's audits of these handles from this far back instead of paying again (e.g. 24h)")
	flag.Parse()

	roster, err := readRoster(*csvPath, flag.Args())
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *budget)
	defer cancel()

	var opts []engagecheck.WaitOption
	var c *engagecheck.Client
	fake := os.Getenv("ENGAGECHECK_API_KEY") == ""
	if *listen != "" {
		hook, stopHook, err := serveWebhooks(*listen, *publicURL, fake)
		if err != nil {
			log.Fatal(err)
		}
		defer stopHook()
		opts = append(opts, hook)
	}
	if *reuse > 0 {
		opts = append(opts, engagecheck.WithReuseRecent(*reuse))
	}
	if fake {
		fmt.Fprintln(os.Stderr, "ENGAGECHECK_API_KEY is not set: running against the built-in fake EngageCheck (no network, no credits).")
		srv := engagechecktest.NewServer()
		defer srv.Close()
		c, err = srv.NewClient(engagecheck.WithUserAgent("engagecheck-roster-example"))
		opts = append(opts, srv.PollOptions()...)
		if len(roster) == 0 {
			roster = []string{"natgeo", "@NASA", "https://www.instagram.com/esa/", "someprivateaccount", "thisuserdoesnotexist", "natgeo", "travel_daily", "food.lab", "not a handle!"}
		}
	} else {
		c, err = engagecheck.NewClient(engagecheck.WithUserAgent("engagecheck-roster-example"))
	}
	if err != nil {
		log.Fatal(err)
	}
	if len(roster) == 0 {
		log.Fatal("no handles: pass them as arguments or with -csv")
	}

	var last engagecheck.Progress
	opts = append(opts, engagecheck.WithProgress(func(p engagecheck.Progress) {
		last = p
		fmt.Fprintf(os.Stderr, "\r%d/%d done (%d failed), %d running, %d queued, %d credits left   ",
			p.Succeeded+p.Failed, p.Total, p.Failed, p.Pending, p.Queued, p.CreditsRemaining)
	}))

	// One answer per input, tied to it (ans.Index, ans.Input): a duplicate
	// gets the one result, paid once.
	var done []*engagecheck.Audit
	var failed []*engagecheck.ItemError
	for ans, err := range c.Audits.CreateAndWaitAll(ctx, roster, opts...) {
		var ie *engagecheck.ItemError
		switch {
		case errors.As(err, &ie):
			failed = append(failed, ie)
		case err != nil: // bad options: nothing was sent
			log.Fatal(err)
		default:
			done = append(done, ans.Value)
		}
	}
	fmt.Fprintln(os.Stderr)
	u := c.Usage()
	fmt.Fprintf(os.Stderr, "%d requests (%d list reads, %d status checks), %d credits spent\n", u.Requests, last.Polls, last.Probes, u.Spent)
	printTable(os.Stdout, done, failed)
}

// serveWebhooks serves a webhook receiver on addr at /hooks/engagecheck,
// checking a secret of the run's own (or $WEBHOOK_SECRET) carried in the
// URL, and returns the roster's option and a stop function. publicURL
// defaults, on the fake, to the address it listens on.
func serveWebhooks(addr, publicURL string, fake bool) (engagecheck.WaitOption, func(), error) {
	secret := os.Getenv("WEBHOOK_SECRET")
	if secret == "" {
		secret = rand.Text()
	}
	recv := engagecheck.NewWebhookReceiver(engagecheck.WithWebhookVerifier(func(r *http.Request, _ []byte) error {
		if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("secret")), []byte(secret)) != 1 {
			return errors.New("wrong secret")
		}
		return nil
	}))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /hooks/engagecheck", recv)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	stop := func() { _ = hs.Close() }
	switch {
	case publicURL == "" && fake:
		publicURL = "http://" + ln.Addr().String() + "/hooks/engagecheck"
	case publicURL == "":
		stop()
		return nil, nil, errors.New("-webhook-listen needs -public-url: the URL EngageCheck reaches the receiver at")
	}
	u, err := url.Parse(publicURL)
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("-public-url: %w", err)
	}
	q := u.Query()
	q.Set("secret", secret)
	u.RawQuery = q.Encode()
	fmt.Fprintf(os.Stderr, "receiving webhooks on %s (public URL %s://%s%s)\n", ln.Addr(), u.Scheme, u.Host, u.Path)
	return engagecheck.WithWebhooks(recv, u.String()), stop, nil
}

func readRoster(path string, args []string) ([]string, error) {
	if path == "" {
		return args, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	var out []string
	for i := 0; ; i++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(rec) == 0 || (i == 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "handle")) {
			continue
		}
		out = append(out, rec[0])
	}
}

func printTable(w io.Writer, done []*engagecheck.Audit, failed []*engagecheck.ItemError) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HANDLE\tNAME\tFOLLOWERS\tENGAGEMENT\tAQS\tVERDICT\tBOT COMMENTS\tPODS")
	for _, a := range done {
		s := a.Summary()
		followers, er, aqs, verdict := "-", "-", "-", "-"
		if s.Followers != nil {
			followers = fmt.Sprint(*s.Followers)
		}
		if s.EngagementRate != nil {
			er = fmt.Sprintf("%.2f%%", *s.EngagementRate)
		}
		if s.Quality != nil {
			aqs, verdict = fmt.Sprintf("%.0f", s.Quality.Score), s.Quality.Verdict
		}
		var cq engagecheck.CommentQuality
		if a.Report != nil {
			cq = a.Report.CommentQuality
		}
		fmt.Fprintf(tw, "@%s\t%s\t%s\t%s\t%s\t%s\t%.0f%%\t%t\n", s.Username, s.DisplayName, followers, er, aqs, verdict,
			cq.BotCommentPercentage, cq.PodActivityDetected)
	}
	tw.Flush()
	if len(failed) > 0 {
		fmt.Fprintf(w, "\n%d handle(s) without a report:\n", len(failed))
		for _, f := range failed {
			who := f.Item // "instagram/@natgeo"
			if f.Item == "" {
				who = fmt.Sprintf("%q", f.Input)
			}
			fmt.Fprintf(w, "  %s: %s\n", who, f.Reason)
		}
	}
}
