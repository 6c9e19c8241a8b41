// Command ylytic-refresh asks Ylytic for fresh data of creators or posts
// and waits for each refresh, printing progress on stderr and a line per
// result: the Data Refresh API through package ylytic.
//
//	go run ./examples/ylytic-refresh                          # kavya.cooks and a failing post, on the built-in fake
//	go run ./examples/ylytic-refresh natgeo instagram_post:DGx7Qp2tA1b youtube:UC_x5XG1OV2P6uZZ5FSM9Ttw
//
// Each argument is a request: a bare handle refreshes an Instagram
// creator; "<request_type>:<id>" names any documented type (instagram,
// instagram_id, instagram_post, youtube, youtube_post).
//
// Without YLYTIC_TOKEN it starts the ylytictest fake in-process (a
// two-minute refresh takes a second there) and says so; with YLYTIC_TOKEN
// set it calls Ylytic. Each wait is bounded by -timeout (default 10 min).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/creatorkit/creatorkit-go/ylytic/ylytictest"
)

func main() {
	timeout := flag.Duration("timeout", 10*time.Minute, "how long to wait for each refresh")
	flag.Parse()
	args := flag.Args()

	var opts []ylytic.Option
	var wait []ylytic.WaitOption
	if os.Getenv("YLYTIC_TOKEN") == "" {
		srv := ylytictest.NewServer(ylytictest.WithRefreshFailure(func(p ylytic.RefreshParams) string {
			if p.Shortcode == "gone" {
				return "Post not found or not public"
			}
			return ""
		}))
		defer srv.Close()
		fmt.Fprintln(os.Stderr, "YLYTIC_TOKEN is not set: running against the built-in fake (ylytictest) at", srv.URL)
		opts, wait = srv.ClientOptions(), srv.PollOptions()
		if len(args) == 0 {
			args = []string{"@kavya.cooks", "instagram_post:gone"}
		}
	}
	if len(args) == 0 {
		log.Fatal("give handles or <request_type>:<id> arguments")
	}
	c, err := ylytic.NewClient(opts...)
	if err != nil {
		log.Fatal(err)
	}

	failed := 0
	for _, arg := range args {
		p, err := parse(arg)
		if err != nil {
			log.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), *timeout)
		progress := ylytic.WithProgress(func(p ylytic.Progress) {
			fmt.Fprintf(os.Stderr, "  %s: request %s %s after %d checks (%s)\n", arg, p.RequestID, p.State, p.Checks, p.Elapsed.Round(time.Millisecond))
		})
		r, err := c.Refresh.CreateAndWait(ctx, p, append(wait, progress)...)
		cancel()
		var ie *ylytic.ItemError
		switch {
		case errors.As(err, &ie):
			failed++
			fmt.Printf("%-28s %s (request %s)\n", ie.Item, ie.Reason, ie.ID)
		case err != nil:
			log.Fatal(err) // ErrOutcomeUnknown, a refused token, ...: nothing to wait for
		default:
			fmt.Printf("%-28s %s at %s (request %s, %d bytes of data)\n", p.Item(), r.Status.Message,
				r.Status.ResponseAt.Format(time.RFC3339), r.RequestID, len(r.Data))
		}
	}
	u := c.Usage()
	fmt.Printf("%d requests, %d retries; %d of %d refreshes without data\n", u.Requests, u.Retries, failed, len(args))
}

// parse reads "<handle>" or "<request_type>:<id>".
func parse(arg string) (ylytic.RefreshParams, error) {
	typ, id, ok := strings.Cut(arg, ":")
	if !ok {
		return ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: arg}, nil
	}
	p := ylytic.RefreshParams{Type: ylytic.RefreshType(typ)}
	switch p.Type {
	case ylytic.RefreshInstagram:
		p.Handle = id
	case ylytic.RefreshInstagramID:
		p.IGUserID = id
	case ylytic.RefreshInstagramPost:
		p.Shortcode = id
	case ylytic.RefreshYouTube:
		p.ChannelID = id
	case ylytic.RefreshYouTubePost:
		p.VideoID = id
	default:
		return p, fmt.Errorf("%q: unknown request type %q (instagram, instagram_id, instagram_post, youtube, youtube_post)", arg, typ)
	}
	return p, nil
}
