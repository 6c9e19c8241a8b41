package infludata_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The request examples of influData's README (commit c5ccc0d, every
// ```http block, in ../shared/fixtures/infludata/
// readme_request_examples_c5ccc0d.http; skipped where that folder is
// absent): for each GET or POST example (and the curl line) the SDK is
// called with the params that mean the same thing, and the request it
// sends must have the example's method, path and query (as url.Values:
// order ignored, "%20" and a space alike), and for a POST the example's
// JSON body. What the two may spell differently, each by what the
// documentation says:
//
//   - a parameter at its documented default, sent by one side only: the
//     README's includeAudienceReport and showDatalogAndScore (default
//     false), addToWeeklyEnrichment (false), discovery's skipCount (0),
//     getContent's offset (0) and limit (1000 in this README; the SDK
//     always sends a limit, since the versions of the documentation
//     disagree on its default and every item costs a token);
//   - getContent's documented aliases: the SDK sends min_followers,
//     created_at_gte and created_at_lte where an example writes
//     followerMin, uploadedFrom and uploadedTo ("followerMin or
//     min_followers" in the README, "min_followers / followerMin" in seed
//     002), a date as the same instant in RFC 3339 ("2024-01-01" is
//     2024-01-01T00:00:00Z), and the cursor in the X-Cursor header ("can
//     also be sent via the X-Cursor header", seed 002);
//   - bulkAddToEnrich's accessToken ("can be in query or body"): the SDK
//     never puts the key in a body, it sends it as Authorization: Bearer
//     (the README's Authentication section, the first block of the file),
//     so the body is compared without it and the header is checked.
func TestREADMERequestExamples(t *testing.T) {
	t.Parallel()
	examples := parseHTTPExamples(t, fixture.Shared(t, "infludata", "readme_request_examples_c5ccc0d.http"))
	ctx := context.Background()
	ig, tt, yt, tw := infludata.Instagram, infludata.TikTok, infludata.YouTube, infludata.Twitch
	get := func(p infludata.GetProfileParams) func(*infludata.Client) error {
		return func(c *infludata.Client) error { _, err := c.Profiles.Get(ctx, p); return err }
	}
	status := func(p infludata.DataStatusParams) func(*infludata.Client) error {
		return func(c *infludata.Client) error { _, err := c.Profiles.CheckStatus(ctx, p); return err }
	}
	enrich := func(p infludata.EnrichParams) func(*infludata.Client) error {
		return func(c *infludata.Client) error { _, err := c.Enrichment.Add(ctx, p); return err }
	}
	search := func(p infludata.SearchParams) func(*infludata.Client) error {
		return func(c *infludata.Client) error { _, err := c.Discovery.Search(ctx, p); return err }
	}
	content := func(p infludata.ContentParams) func(*infludata.Client) error {
		return func(c *infludata.Client) error { _, err := c.Content.Get(ctx, p); return err }
	}
	cities := func(country string) func(*infludata.Client) error {
		return func(c *infludata.Client) error {
			_, err := c.Discovery.Cities(ctx, infludata.CitiesParams{Country: country})
			return err
		}
	}
	cats := func(cs ...infludata.Category) []infludata.Category { return cs }
	fields := func(fs ...infludata.KeywordField) []infludata.KeywordField { return fs }
	day := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return d
	}
	// The SDK call for each example, in the file's order; the request line
	// (its query from '?') says which example it answers.
	calls := []struct {
		query string
		call  func(*infludata.Client) error
	}{
		// getUserData
		{"platform=instagram&username=adidas&includeAudienceReport=true", get(infludata.GetProfileParams{Platform: ig, Username: "adidas", IncludeAudienceReport: true})},
		{"platform=tiktok&userId=MS4wLjABAAAA...&includeAudienceReport=false", get(infludata.GetProfileParams{Platform: tt, UserID: "MS4wLjABAAAA..."})},
		{"platform=youtube&username=@MrBeast&showDatalogAndScore=true", get(infludata.GetProfileParams{Platform: yt, Username: "@MrBeast", ShowDatalogAndScore: true})},
		{"platform=twitch&username=ninja", get(infludata.GetProfileParams{Platform: tw, Username: "ninja"})},
		{"_id=507f1f77bcf86cd799439011&includeAudienceReport=true", get(infludata.GetProfileParams{ID: "507f1f77bcf86cd799439011", IncludeAudienceReport: true})},
		// checkDataStatus
		{"platform=instagram&userId=248312442", status(infludata.DataStatusParams{Platform: ig, UserID: "248312442"})},
		{"platform=tiktok&username=charlidamelio&addToWeeklyEnrichment=true", status(infludata.DataStatusParams{Platform: tt, Username: "charlidamelio", AddToWeeklyEnrichment: true})},
		{"_id=507f1f77bcf86cd799439011", status(infludata.DataStatusParams{ID: "507f1f77bcf86cd799439011"})},
		// bulkAddToEnrich (the body says which)
		{"", enrich(infludata.EnrichParams{Platform: ig, Usernames: []string{"cristiano", "leomessi", "neymarjr"}, UserIDs: []string{"123456789", "987654321"}})},
		{"", enrich(infludata.EnrichParams{Platform: tt, Usernames: []string{"charlidamelio", "addisonre"}, AddToWeeklyEnrichment: true})},
		// getClientInfo
		{"", func(c *infludata.Client) error {
			_, err := c.Account.Get(ctx, infludata.ClientInfoParams{})
			return err
		}},
		// discovery
		{"platform=instagram&skipCount=0&country=Germany&followerMin=10000", search(infludata.SearchParams{Platform: ig, Country: "Germany", FollowerMin: 10000})},
		{"platform=tiktok&categories=gaming,tech&followerMin=5000&country=United States", search(infludata.SearchParams{Platform: tt, Categories: cats(infludata.CategoryGaming, infludata.CategoryTech), FollowerMin: 5000, Country: "United States"})},
		{"platform=youtube&categories=fitness&keywords=workout&sorting=descFollowers", search(infludata.SearchParams{Platform: yt, Categories: cats(infludata.CategoryFitness), Keywords: []string{"workout"}, Sorting: infludata.Sort{Field: infludata.SortFollowers, Direction: infludata.Desc}})},
		{"platform=instagram&keywords=dog,pet&keywordFields=bio&followerMin=10000", search(infludata.SearchParams{Platform: ig, Keywords: []string{"dog", "pet"}, KeywordFields: fields(infludata.FieldBio), FollowerMin: 10000})},
		{"platform=tiktok&keywords=fitness&keywordFields=bio,content&country=Germany", search(infludata.SearchParams{Platform: tt, Keywords: []string{"fitness"}, KeywordFields: fields(infludata.FieldBio, infludata.FieldContent), Country: "Germany"})},
		{"platform=instagram&keywords=shopify&keywordFields=website&followerMin=5000", search(infludata.SearchParams{Platform: ig, Keywords: []string{"shopify"}, KeywordFields: fields(infludata.FieldWebsite), FollowerMin: 5000})},
		{"platform=instagram&keywords=personal trainer,fitness coach&keywordFields=bio&followerMin=1000", search(infludata.SearchParams{Platform: ig, Keywords: []string{"personal trainer", "fitness coach"}, KeywordFields: fields(infludata.FieldBio), FollowerMin: 1000})},
		{"platform=youtube&keywords=weight loss,healthy eating&keywordFields=content&country=United States", search(infludata.SearchParams{Platform: yt, Keywords: []string{"weight loss", "healthy eating"}, KeywordFields: fields(infludata.FieldContent), Country: "United States"})},
		{"platform=tiktok&keywords=dog lover,pet care,animal rescue&keywordFields=bio,content", search(infludata.SearchParams{Platform: tt, Keywords: []string{"dog lover", "pet care", "animal rescue"}, KeywordFields: fields(infludata.FieldBio, infludata.FieldContent)})},
		// getContent
		{"platform=instagram,tiktok&min_followers=10000&tags=fashion,style&limit=1000", content(infludata.ContentParams{Platforms: []infludata.Platform{ig, tt}, FollowerMin: 10000, Tags: []string{"fashion", "style"}, Limit: 1000})},
		{"cursor=eyJwaXRJZCI6IkZHbHVZ...&limit=1000", content(infludata.ContentParams{Cursor: "eyJwaXRJZCI6IkZHbHVZ...", Limit: 1000})},
		{"platform=instagram,tiktok&created_at_gte=2025-01-15T10:30:00Z&sorting=uploaded", content(infludata.ContentParams{Platforms: []infludata.Platform{ig, tt}, UploadedFrom: day("2025-01-15T10:30:00Z"), Sorting: infludata.ContentByUploaded, Limit: 1000})},
		{"cursor=eyJwaXRJZCI6...", content(infludata.ContentParams{Cursor: "eyJwaXRJZCI6...", Limit: 1000})},
		{"limit=10&keywords=fashion,style&followerMin=10000", content(infludata.ContentParams{Limit: 10, Keywords: []string{"fashion", "style"}, FollowerMin: 10000})},
		{"limit=100&uploadedFrom=2024-01-01&country=Germany&sorting=viral", content(infludata.ContentParams{Limit: 100, UploadedFrom: day("2024-01-01T00:00:00Z"), Country: "Germany", Sorting: infludata.ContentByViral})},
		{"offset=50&limit=50&viewsMin=100000&platform=instagram&contentTypes=post,reel", content(infludata.ContentParams{LegacyOffset: true, Offset: 50, Limit: 50, ViewsMin: 100000, Platforms: []infludata.Platform{ig}, ContentTypes: []infludata.ContentType{infludata.ContentPost, infludata.ContentReel}})},
		// getCitiesForCountry
		{"country=Germany", cities("Germany")},
		{"country=United%20States", cities("United States")},
		{"country=United%20Kingdom", cities("United Kingdom")},
		// discovery, under "Available Categories"
		{"platform=instagram&categories=fitness,fashion&followerMin=50000", search(infludata.SearchParams{Platform: ig, Categories: cats(infludata.CategoryFitness, infludata.CategoryFashion), FollowerMin: 50000})},
		{"platform=tiktok&categories=gaming&country=Germany&skipCount=20", search(infludata.SearchParams{Platform: tt, Categories: cats(infludata.CategoryGaming), Country: "Germany", SkipCount: 20})},
	}
	require.Len(t, examples, len(calls), "every request example of the file has an SDK call here")
	t.Logf("%d request examples", len(examples))
	for i, ex := range examples {
		cl := calls[i]
		require.Equal(t, cl.query, ex.rawQuery, "example %d (%s) is mapped to the call for another", i+1, ex.line)
		t.Run(fmt.Sprintf("%02d_%s_%s", i+1, ex.method, ex.name), func(t *testing.T) {
			t.Logf("%s: %s", ex.block, ex.line)
			c, mt, rec := mock(t)
			for path, body := range map[string]string{"getUserData": "user_data.json", "checkDataStatus": "data_status.json",
				"bulkAddToEnrich": "bulk_add_to_enrich.json", "getClientInfo": "client_info.json", "discovery": "discovery.json",
				"getContent": "content_cursor.json", "getCitiesForCountry": "cities.json"} {
				mt.RegisterResponder(http.MethodGet, base+"/"+path, reply(t, rec, 200, body))
				mt.RegisterResponder(http.MethodPost, base+"/"+path, reply(t, rec, 200, body))
			}
			require.NoError(t, cl.call(c))
			sent := rec.all()
			require.Len(t, sent, 1)
			s := sent[0]
			assert.Equal(t, ex.method, s.Method)
			assert.Equal(t, ex.url.Path, s.Path)
			assert.Equal(t, "Bearer "+testKey, s.Header.Get("Authorization"), "the key as the README's Authentication block sends it")
			assert.Equal(t, canonicalQuery(ex.name, ex.url.Query(), ""), canonicalQuery(ex.name, s.Query, s.Header.Get("X-Cursor")), "query")
			if ex.method == http.MethodPost {
				assert.Equal(t, "application/json", s.Header.Get("Content-Type"))
				assertSameBody(t, ex.body, []byte(s.Body))
			} else {
				assert.Empty(t, s.Body)
			}
		})
	}
}

// The README's Authentication block is the scheme the SDK uses.
func TestREADMEAuthenticationBlock(t *testing.T) {
	t.Parallel()
	text := string(fixture.Shared(t, "infludata", "readme_request_examples_c5ccc0d.http"))
	assert.Contains(t, text, "### README.md line 42 (under \"## Authentication\")\nAuthorization: Bearer YOUR_ACCESS_TOKEN\n")
}

// The README's bulkAddToEnrich request bodies (../shared/fixtures/
// infludata/): today's (c5ccc0d) and the one of 2025-07-15 (3fd73da),
// whose weekly flag was named addAlsoToWeeklyEnrich. One test each.
//
// Both use the placeholders "userId1" and "userId2" as Instagram userIds,
// which the SDK refuses before sending anything: the same README defines
// an Instagram userId as the numeric instagramId, and that check stays.
// With numeric ids in their place, Add sends the example's body, compared
// without accessToken (the SDK sends the key as Authorization: Bearer,
// never in a body; see TestREADMERequestExamples). The SDK names the
// weekly flag as the README does since August 2025 and seed 002 does,
// addToWeeklyEnrichment; AddToWeeklyEnrichment is what the older
// addAlsoToWeeklyEnrich asked for, so that example is compared with its
// flag under the newer name (both false there, the default either way).
func TestREADMEEnrichRequestBodies(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"readme_c5ccc0d_bulk_add_request.json", "readme_3fd73da_bulk_add_request_addAlsoToWeeklyEnrich.json"} {
		t.Run(strings.TrimSuffix(file, ".json"), func(t *testing.T) {
			var ex struct {
				AccessToken           string             `json:"accessToken"`
				Platform              infludata.Platform `json:"platform"`
				Usernames             []string           `json:"usernames"`
				UserIDs               []string           `json:"userIds"`
				AddToWeeklyEnrichment *bool              `json:"addToWeeklyEnrichment"`
				AddAlsoToWeeklyEnrich *bool              `json:"addAlsoToWeeklyEnrich"`
			}
			orig := fixture.Shared(t, "infludata", file)
			dec := json.NewDecoder(bytes.NewReader(orig))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&ex))
			weekly := ex.AddToWeeklyEnrichment
			if weekly == nil {
				weekly = ex.AddAlsoToWeeklyEnrich
			}
			require.NotNil(t, weekly, "one of the two flags")
			p := infludata.EnrichParams{Platform: ex.Platform, Usernames: ex.Usernames, UserIDs: ex.UserIDs, AddToWeeklyEnrichment: *weekly}

			c, mt, rec := mock(t)
			mt.RegisterResponder(http.MethodPost, base+"/bulkAddToEnrich", reply(t, rec, 200, "bulk_add_to_enrich.json"))
			_, err := c.Enrichment.Add(context.Background(), p)
			var e *infludata.Error
			require.True(t, errors.As(err, &e), "the placeholder userIds are refused: %v", err)
			assert.ErrorIs(t, err, infludata.ErrInvalidParams)
			assert.Equal(t, "userIds", e.Field)
			assert.Empty(t, rec.all(), "nothing sent")

			numeric := map[string]string{"userId1": "248312442", "userId2": "173560420"}
			for i, id := range p.UserIDs {
				p.UserIDs[i] = numeric[id]
			}
			_, err = c.Enrichment.Add(context.Background(), p)
			require.NoError(t, err)
			sent := rec.all()
			require.Len(t, sent, 1)
			assert.Equal(t, "Bearer "+testKey, sent[0].Header.Get("Authorization"))

			var want map[string]any
			require.NoError(t, json.Unmarshal(orig, &want))
			if v, ok := want["addAlsoToWeeklyEnrich"]; ok {
				want["addToWeeklyEnrichment"] = v
				delete(want, "addAlsoToWeeklyEnrich")
			}
			want["userIds"] = []any{"248312442", "173560420"}
			b, err := json.Marshal(want)
			require.NoError(t, err)
			assertSameBody(t, b, []byte(sent[0].Body))
		})
	}
}

// httpExample is one request of the .http file.
type httpExample struct {
	block    string   // the ### heading it is under
	line     string   // the request line as printed
	method   string   // GET or POST (a curl line is a GET)
	url      *url.URL // spaces read as %20
	rawQuery string   // the query as printed
	name     string   // the endpoint: the URL's last path element
	body     []byte   // a POST's JSON body
}

var curlURL = regexp.MustCompile(`"(https://[^"]+)"\s*$`)

// parseHTTPExamples reads the requests of the file: "### " lines head
// blocks; "GET ..." and "POST ..." lines are requests (a POST's header
// lines and body follow, up to the next request or heading); a curl line
// is a GET of its quoted URL; "#" comment lines and the Authentication
// block's header line are not requests.
func parseHTTPExamples(t *testing.T, text []byte) []httpExample {
	t.Helper()
	var out []httpExample
	var cur *httpExample
	var block string
	inBody := false
	sc := bufio.NewScanner(bytes.NewReader(text))
	flush := func() {
		if cur != nil {
			cur.body = bytes.TrimSpace(cur.body)
			out = append(out, *cur)
			cur = nil
		}
		inBody = false
	}
	for sc.Scan() {
		line := sc.Text()
		var method, raw string
		switch {
		case strings.HasPrefix(line, "### "):
			flush()
			block = strings.TrimPrefix(line, "### ")
			continue
		case strings.HasPrefix(line, "GET "), strings.HasPrefix(line, "POST "):
			method, raw, _ = strings.Cut(line, " ")
		case strings.HasPrefix(line, "curl "):
			m := curlURL.FindStringSubmatch(line)
			require.NotNil(t, m, "a curl line without a quoted URL: %s", line)
			method, raw = http.MethodGet, m[1]
		case cur != nil && cur.method == http.MethodPost:
			if inBody {
				cur.body = append(append(cur.body, line...), '\n')
			} else if strings.TrimSpace(line) == "" {
				inBody = true
			}
			continue
		default:
			continue // blank lines, "#" comments, the Authentication block
		}
		flush()
		u, err := url.Parse(strings.ReplaceAll(raw, " ", "%20"))
		require.NoError(t, err, line)
		_, rawQuery, _ := strings.Cut(raw, "?")
		cur = &httpExample{block: block, line: line, method: method, url: u, rawQuery: rawQuery, name: u.Path[strings.LastIndex(u.Path, "/")+1:]}
	}
	require.NoError(t, sc.Err())
	flush()
	return out
}

// contentAliases are getContent's documented second names, as the SDK
// spells them.
var contentAliases = map[string]string{"followerMin": "min_followers", "uploadedFrom": "created_at_gte", "uploadedTo": "created_at_lte", "skipCount": "offset"}

// documentedDefaults are parameters at their documented default (README
// c5ccc0d), which one side may send and the other leave out.
var documentedDefaults = map[string]map[string]string{
	"getUserData":     {"includeAudienceReport": "false", "showDatalogAndScore": "false"},
	"checkDataStatus": {"addToWeeklyEnrichment": "false"},
	"discovery":       {"skipCount": "0"},
	"getContent":      {"limit": "1000", "offset": "0"},
}

// canonicalQuery writes q as the comparison reads it: getContent's aliases
// under the SDK's names, its dates as RFC 3339 instants, the cursor header
// as the cursor parameter, and parameters at their documented default left
// out.
func canonicalQuery(endpoint string, q url.Values, cursorHeader string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if a, ok := contentAliases[k]; ok && endpoint == "getContent" {
			k = a
		}
		out[k] = append(out[k], vs...)
	}
	if cursorHeader != "" {
		out.Add("cursor", cursorHeader)
	}
	if endpoint == "getContent" {
		for _, k := range []string{"created_at_gte", "created_at_lte"} {
			for i, v := range out[k] {
				for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
					if d, err := time.Parse(layout, v); err == nil {
						out[k][i] = d.UTC().Format(time.RFC3339Nano)
						break
					}
				}
			}
		}
	}
	for k, def := range documentedDefaults[endpoint] {
		if len(out[k]) == 1 && out[k][0] == def {
			delete(out, k)
		}
	}
	return out
}

// assertSameBody compares a bulkAddToEnrich body of the README with the
// one sent: the same JSON without accessToken (which the SDK sends as the
// Authorization header instead), addToWeeklyEnrichment absent counting as
// its default, false.
func assertSameBody(t *testing.T, example, sent []byte) {
	t.Helper()
	var want, got map[string]any
	require.NoError(t, json.Unmarshal(example, &want), "the example's body")
	require.NoError(t, json.Unmarshal(sent, &got), "the body sent")
	assert.NotContains(t, got, "accessToken", "the key is never sent in a body")
	delete(want, "accessToken")
	if _, ok := want["addToWeeklyEnrichment"]; !ok {
		want["addToWeeklyEnrichment"] = false
	}
	assert.Equal(t, want, got, "body")
}
