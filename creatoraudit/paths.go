package creatoraudit

import (
	"reflect"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Paths are the endpoint paths, relative to the base URL, with {id} and
// {account_id} placeholders. DefaultPaths holds CreatorAudit's paths; the
// ones marked [inferred] were not seen verbatim in the published reference
// (they follow the documented pattern) and may need WithPaths once checked
// against https://api.creatoraudit.com/v2/openapi.json.
type Paths struct {
	Health  string // health
	Meta    string // meta
	WhoAmI  string // whoami
	OpenAPI string // openapi.json

	Accounts          string // accounts (list, create)
	Account           string // accounts/{id} (GET documented; PATCH and DELETE [inferred])
	AccountsMetrics   string // accounts/metrics
	AccountAnalytics  string // accounts/{id}/analytics [inferred]
	AccountTimeseries string // accounts/{id}/timeseries [inferred]

	Videos          string // videos (list, create)
	Video           string // videos/{id} [inferred]
	VideosMetrics   string // videos/metrics
	VideosDeltas    string // videos/deltas
	VideoAnalytics  string // videos/{id}/analytics [inferred]
	VideoTimeseries string // videos/{id}/timeseries [inferred]

	AccountVideos          string // account-videos
	AccountVideo           string // account-videos/{id} [inferred]
	AccountVideosMetrics   string // account-videos/metrics
	AccountVideoAnalytics  string // account-videos/{id}/analytics [inferred]
	AccountVideoTimeseries string // account-videos/{id}/timeseries [inferred]

	Creators          string // creators (list, create)
	Creator           string // creators/{id}
	CreatorAccount    string // creators/{id}/accounts/{account_id} (link, unlink)
	CreatorsTop       string // creators/top
	CreatorAnalytics  string // creators/{id}/analytics
	CreatorTimeseries string // creators/{id}/timeseries [inferred]

	Overview           string // overview
	OverviewTimeseries string // overview/timeseries [inferred]
	Search             string // search
}

// DefaultPaths returns CreatorAudit's v2 paths.
func DefaultPaths() Paths {
	return Paths{
		Health: "health", Meta: "meta", WhoAmI: "whoami", OpenAPI: "openapi.json",

		Accounts: "accounts", Account: "accounts/{id}", AccountsMetrics: "accounts/metrics",
		AccountAnalytics: "accounts/{id}/analytics", AccountTimeseries: "accounts/{id}/timeseries",

		Videos: "videos", Video: "videos/{id}", VideosMetrics: "videos/metrics", VideosDeltas: "videos/deltas",
		VideoAnalytics: "videos/{id}/analytics", VideoTimeseries: "videos/{id}/timeseries",

		AccountVideos: "account-videos", AccountVideo: "account-videos/{id}", AccountVideosMetrics: "account-videos/metrics",
		AccountVideoAnalytics: "account-videos/{id}/analytics", AccountVideoTimeseries: "account-videos/{id}/timeseries",

		Creators: "creators", Creator: "creators/{id}", CreatorAccount: "creators/{id}/accounts/{account_id}",
		CreatorsTop: "creators/top", CreatorAnalytics: "creators/{id}/analytics", CreatorTimeseries: "creators/{id}/timeseries",

		Overview: "overview", OverviewTimeseries: "overview/timeseries", Search: "search",
	}
}

// merge returns p with the non-empty fields of o, checking each override
// keeps the placeholders its default has.
func (p Paths) merge(o Paths) (Paths, error) {
	pv, ov := reflect.ValueOf(&p).Elem(), reflect.ValueOf(o)
	for i := 0; i < pv.NumField(); i++ {
		override := strings.TrimSpace(ov.Field(i).String())
		if override == "" {
			continue
		}
		name := pv.Type().Field(i).Name
		def := pv.Field(i).String()
		if strings.Contains(override, "://") || strings.ContainsAny(override, "?#") {
			return p, transport.InvalidParams(vendor, "NewClient", "WithPaths."+name, "path %q must be relative to the base URL, without query", override)
		}
		for _, ph := range []string{"{id}", "{account_id}"} {
			if strings.Contains(def, ph) != strings.Contains(override, ph) {
				return p, transport.InvalidParams(vendor, "NewClient", "WithPaths."+name, "path %q must contain %s exactly when the default %q does", override, ph, def)
			}
		}
		pv.Field(i).SetString(strings.TrimPrefix(override, "/"))
	}
	return p, nil
}

// expand fills a path template.
func expand(tmpl, id string, accountID ...string) string {
	s := strings.ReplaceAll(tmpl, "{id}", id)
	if len(accountID) > 0 {
		s = strings.ReplaceAll(s, "{account_id}", accountID[0])
	}
	return s
}
