package engagecheck

import (
	"encoding/json"
	"strings"
)

// platform is the network EngageCheck audits, as Summary.Platform names
// it: EngageCheck is Instagram-only, so the package has no Platform type.
const platform = "instagram"

// QualityName is the name Summary gives EngageCheck's score in
// Summary.Quality: the Audience Quality Score.
const QualityName = "AQS"

// Summary returns the common creator summary of the audit, the same shape
// as every creatorkit-go package's, so creators from several vendors merge
// into one table:
//
//   - Source "engagecheck", Platform "instagram";
//   - Username: the audited handle (the report's when the audit has none);
//   - DisplayName and Followers: the report's profile (fullName,
//     followersCount);
//   - EngagementRate, in percent: the report's EngagementRate (3.1 for
//     "3.10% ER");
//   - Quality: the AQS (0-100) named QualityName, with the verdict as
//     Verdict ("green", "amber", "red"), or the documented band of the
//     score (BandOf: "high quality", "moderate", "high risk") when
//     EngageCheck gave no verdict.
//
// AvgLikes and AvgComments stay nil: EngageCheck's report gives no
// averages (only the engagement rate). AudienceCountries, AudienceGenders
// and AudienceAges stay empty: EngageCheck reports no audience breakdown.
//
// A figure is nil when the audit does not carry it: not complete yet, a
// failed audit, a value absent or null, or one that did not fit its type
// (listed in Response.DecodeIssues) — a missing value is never reported as
// 0. An AQS outside 0-100 is left out. Audits built by hand or with
// encoding/json (no Raw) are taken as they are. Summary is safe on a nil
// *Audit.
func (a *Audit) Summary() Summary {
	if a == nil {
		return summarize("", nil, "", nil, nil, nil)
	}
	var issues []DecodeIssue
	if a.Response != nil {
		issues = a.Response.DecodeIssues
	}
	return summarize(a.Username, a.AQS, a.Verdict, a.Report, a.Raw, issues)
}

// Summary returns the common creator summary of an audit.completed event,
// as Audit.Summary does for the audit (a failed event carries only
// Username). It is safe on a nil *WebhookEvent.
func (e *WebhookEvent) Summary() Summary {
	if e == nil {
		return summarize("", nil, "", nil, nil, nil)
	}
	return summarize(e.Username, e.AQS, e.Verdict, e.Report, e.Raw, e.DecodeIssues)
}

// summarize builds the Summary of an audit or an event body (raw, with the
// issues of its decoding) whose report sits under "report".
func summarize(username string, aqs *float64, verdict Verdict, r *Report, raw json.RawMessage, issues []DecodeIssue) Summary {
	s := Summary{Source: vendor, Platform: platform, Username: strings.TrimSpace(username)}
	sent := sentValues(raw, issues)
	if r != nil {
		if s.Username == "" {
			s.Username = strings.TrimSpace(r.Username)
		}
		s.DisplayName = strings.TrimSpace(r.Profile.FullName)
		if sent("report", "profile", "followersCount") {
			n := r.Profile.FollowersCount
			s.Followers = &n
		}
		if r.EngagementRate != nil {
			v := *r.EngagementRate
			s.EngagementRate = &v
		} else {
			s.EngagementRate = r.engagementRate()
		}
		if aqs == nil && sent("report", "aqs") {
			aqs = &r.AQS
		}
		if verdict == "" {
			verdict = r.Verdict
		}
	}
	if aqs != nil && *aqs >= 0 && *aqs <= 100 {
		q := Quality{Name: QualityName, Score: *aqs, Verdict: string(verdict)}
		if q.Verdict == "" {
			q.Verdict = string(BandOf(*aqs))
		}
		s.Quality = &q
	}
	return s
}

// sentValues returns a test of whether a body carried a usable value at a
// path of object keys: present, not null, and not listed (nor any member
// above it) in issues. Without a body (a value built by hand or with
// encoding/json) every path counts as sent.
func sentValues(raw json.RawMessage, issues []DecodeIssue) func(path ...string) bool {
	if len(raw) == 0 {
		return func(...string) bool { return true }
	}
	bad := make(map[string]bool, len(issues))
	for _, is := range issues {
		bad[is.Path] = true
	}
	return func(path ...string) bool {
		v := raw
		for i, k := range path {
			if bad[strings.Join(path[:i+1], ".")] {
				return false
			}
			var obj map[string]json.RawMessage
			if json.Unmarshal(v, &obj) != nil {
				return false
			}
			v = obj[k]
			if t := strings.TrimSpace(string(v)); t == "" || t == "null" {
				return false
			}
		}
		return true
	}
}
