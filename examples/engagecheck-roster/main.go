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
// Without ENGAGECHECK_API_KEY it runs against the built-in fake
// (engagechecktest) on a demo roster, so it works on a fresh clone.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
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
	if os.Getenv("ENGAGECHECK_API_KEY") == "" {
		fmt.Fprintln(os.Stderr, "ENGAGECHECK_API_KEY is not set: running against the built-in fake EngageCheck (no network, no credits).")
		srv := engagechecktest.NewServer()
		defer srv.Close()
		c, err = srv.NewClient(engagecheck.WithUserAgent("engagecheck-roster-example"))
		opts = srv.PollOptions()
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

	opts = append(opts, engagecheck.WithProgress(func(p engagecheck.Progress) {
		fmt.Fprintf(os.Stderr, "\r%d/%d done (%d failed), %d running, %d queued, %d credits left   ",
			p.Succeeded+p.Failed, p.Total, p.Failed, p.Pending, p.Queued, p.CreditsRemaining)
	}))

	var done []*engagecheck.Audit
	var failed []*engagecheck.ItemError
	for a, err := range c.Audits.CreateAndWaitAll(ctx, roster, opts...) {
		var ie *engagecheck.ItemError
		switch {
		case errors.As(err, &ie):
			failed = append(failed, ie)
		case err != nil: // bad options: nothing was sent
			log.Fatal(err)
		default:
			done = append(done, a)
		}
	}
	fmt.Fprintln(os.Stderr)
	printTable(os.Stdout, done, failed)
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
