// Command infludata-discovery searches influData's creator database with
// filters and prints the results as a table. Every page of 20 creators
// costs one token, so the search stops at a page cap (-pages) and fetches a
// page only when the table needs it.
//
//	INFLUDATA_API_KEY=... go run ./examples/infludata-discovery -platform instagram -country Germany -categories fitness,diet -min-followers 10000
//	go run ./examples/infludata-discovery -platform tiktok -keywords "personal trainer,fitness coach" -fields bio -sort descFollowers
//
// Without INFLUDATA_API_KEY it runs against the built-in fake
// (infludatatest), so it works on a fresh clone and spends nothing.
// INFLUDATA_PLAN=trial paces the client for a trial key.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
)

func main() {
	platform := flag.String("platform", "instagram", "instagram, tiktok, youtube, twitch, facebook or snapchat")
	country := flag.String("country", "Germany", "creator country, full English name")
	city := flag.String("city", "", "creator city (instagram and tiktok; see -cities)")
	categories := flag.String("categories", "", "comma-separated categories, e.g. fitness,diet")
	keywords := flag.String("keywords", "", "comma-separated keywords; a term with spaces is an exact phrase")
	fields := flag.String("fields", "", "restrict keywords to: bio,hashtags,content,website")
	language := flag.String("language", "", "2-letter language code")
	minFollowers := flag.Int64("min-followers", 10000, "minimum followers")
	maxFollowers := flag.Int64("max-followers", 0, "maximum followers (0: none)")
	minER := flag.Float64("min-engagement", 0, "minimum engagement rate in percent (1 = 1%)")
	sorting := flag.String("sort", "descFollowers", "sort: [asc|desc]Field, e.g. descFollowers, ascUsername, descEngagementMean")
	pages := flag.Int("pages", 2, "page cap: at most this many pages (1 token each)")
	cities := flag.Bool("cities", false, "list the cities the -city filter takes for -country (free) and exit")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	var c *infludata.Client
	var err error
	if os.Getenv("INFLUDATA_API_KEY") == "" {
		fmt.Fprintln(os.Stderr, "INFLUDATA_API_KEY is not set: running against the built-in fake influData (no network, no tokens).")
		srv := infludatatest.NewServer()
		defer srv.Close()
		c, err = srv.NewClient(infludata.WithUserAgent("infludata-discovery-example"))
	} else {
		c, err = infludata.NewClient(infludata.WithUserAgent("infludata-discovery-example"))
	}
	if err != nil {
		log.Fatal(err)
	}

	if *cities {
		l, err := c.Discovery.Cities(ctx, infludata.CitiesParams{Country: *country})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", l.Country, strings.Join(l.Cities, ", "))
		return
	}

	pl, err := infludata.ParsePlatform(*platform) // any case: "TikTok", "tiktok"
	if err != nil {
		log.Fatal(err)
	}
	sort, err := parseSort(*sorting)
	if err != nil {
		log.Fatal(err)
	}
	p := infludata.SearchParams{
		Platform:       pl,
		Country:        *country,
		City:           *city,
		Language:       *language,
		Keywords:       split[string](*keywords),
		KeywordFields:  split[infludata.KeywordField](*fields),
		Categories:     split[infludata.Category](*categories),
		FollowerMin:    *minFollowers,
		FollowerMax:    *maxFollowers,
		EngagementRate: *minER,
		Sorting:        sort,
	}

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "#\tusername\tfollowers\tengagement\tcountry\trelevance\t")
	n := 0
	for cr, err := range c.Discovery.SearchAll(ctx, p, infludata.WithMaxPages(*pages)) {
		if errors.Is(err, infludata.ErrInvalidParams) {
			log.Fatalf("bad filters (nothing was sent or charged): %v", err)
		}
		if err != nil {
			tw.Flush()
			log.Fatal(err)
		}
		n++
		er, score := "-", "-"
		if cr.EngagementMean != nil {
			er = fmt.Sprintf("%.2f%%", *cr.EngagementMean) // a percentage already
		}
		if cr.Score != nil {
			score = fmt.Sprintf("%.1f", *cr.Score)
		}
		fmt.Fprintf(tw, "%d\t@%s\t%d\t%s\t%s\t%s\t\n", n, strings.TrimPrefix(cr.Username, "@"), cr.Followers, er, cr.Country, score)
	}
	tw.Flush()
	u := c.Usage()
	fmt.Printf("\n%d creators from %d page(s); tokens spent: %d", n, u.Operations["Discovery.Search"].Calls, u.Spent)
	if u.SpentUnknown > 0 {
		fmt.Printf(" (+%d whose answer was lost)", u.SpentUnknown)
	}
	if left := c.TokensRemaining(); left >= 0 {
		fmt.Printf(", remaining: %d", left)
	}
	fmt.Println()
	if n == *pages*infludata.SearchPageSize {
		fmt.Println("page cap reached: raise -pages for more (1 token a page)")
	}
}

// parseSort reads "descFollowers", "ascUsername" or a bare "followers".
func parseSort(s string) (infludata.Sort, error) {
	if s == "" {
		return infludata.Sort{}, nil
	}
	var dir infludata.SortDirection
	for _, d := range []infludata.SortDirection{infludata.Desc, infludata.Asc} {
		if rest, ok := strings.CutPrefix(s, string(d)); ok && rest != "" {
			dir, s = d, rest
			break
		}
	}
	field := infludata.SortField(strings.ToLower(s[:1]) + s[1:])
	return infludata.Sort{Field: field, Direction: dir}, nil
}

func split[T ~string](s string) []T {
	var out []T
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, T(v))
		}
	}
	return out
}
