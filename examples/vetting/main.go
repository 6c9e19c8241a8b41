// Command vetting vets a roster of 30 Instagram handles across three
// vendors and prints one merged table: EngageCheck audits every handle,
// then influData (audience) and HypeAuditor (report) look at the handles
// EngageCheck rates at least 60, all read through the common creator
// summary. Each vendor's follower count has its own column: they agree up
// to each vendor's rounding and refresh lag (EngageCheck rounds as
// Instagram displays counts, influData's are of its last weekly refresh).
// Every handle without a figure says why.
//
//	go run ./examples/vetting
//
// Vendors whose credentials are unset run on their built-in fakes.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"text/tabwriter"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/infludata"
)

// row is what the three vendors say about one handle.
type row struct {
	ec, id, ha creatorkit.Summary
	why        []string // every vendor's reason for a missing figure
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	v, err := openVendors() // real clients, or the fakes
	if err != nil {
		log.Fatal(err)
	}
	defer v.close()

	rows := map[string]*row{}
	var order []string // the roster's order, by the handle each vendor knows
	for _, in := range roster() {
		h := handleOf(in)
		rows[h], order = &row{}, append(order, h)
	}
	var good []string
	for ans, err := range v.ec.Audits.CreateAndWaitAll(ctx, roster(), v.ecWait...) {
		a := ans.Value
		var ie *creatorkit.ItemError
		if errors.As(err, &ie) { // invalid, private, out of credits: said once, with the reason
			r := rows[handleOf(ans.Input)] // the input the answer is for
			r.why = append(r.why, "EngageCheck: "+ie.Reason)
			continue
		}
		r := rows[a.Username]
		r.ec = a.Summary()
		if q := r.ec.Quality; q != nil && q.Score >= 60 {
			good = append(good, a.Username)
		} else {
			r.why = append(r.why, "not vetted further: EngageCheck's AQS is below 60")
		}
	}
	for _, h := range good {
		r := rows[h]
		p, err := v.id.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: h}, v.idWait...)
		if err != nil {
			r.why = append(r.why, "influData: "+reason(err))
		} else {
			r.id = p.Summary()
		}
		rep, err := v.ha.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: h}, v.haWait...)
		if err != nil {
			r.why = append(r.why, "HypeAuditor: "+reason(err))
		} else {
			r.ha = rep.Summary()
		}
	}

	tw := tabwriter.NewWriter(os.Stdout, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "handle\tfollowers (EngageCheck)\t(influData)\t(HypeAuditor)\tER %\tAQS (EngageCheck)\tAQS (HypeAuditor)\ttop country (influData)\ttop country (HypeAuditor)\twhy a figure is missing")
	for _, h := range order {
		r := rows[h]
		fmt.Fprintf(tw, "@%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", h, count(r.ec.Followers), count(r.id.Followers), count(r.ha.Followers),
			pct(firstSet(r.ec.EngagementRate, r.ha.EngagementRate, r.id.EngagementRate)), score(r.ec.Quality), score(r.ha.Quality),
			country(r.id.AudienceCountries), country(r.ha.AudienceCountries), join(r.why))
	}
	tw.Flush()
}

// handleOf is the handle as EngageCheck knows it, or the input when it is
// not one.
func handleOf(in string) string {
	h, err := engagecheck.NormalizeUsername(in)
	if err != nil || h == "" {
		return in
	}
	return h
}
