// Package creatorkitotel traces and measures the SDK's calls with
// OpenTelemetry. NewObserver returns a creatorkit.Observer: give it to
// every vendor client with its WithObserver option.
//
//	obs := creatorkitotel.NewObserver() // the global tracer and meter providers
//	c, err := engagecheck.NewClient(engagecheck.WithObserver(obs))
//
// WithTracerProvider and WithMeterProvider choose other providers. It is a
// separate module, so that the SDK itself does not depend on
// OpenTelemetry.
//
// Nothing that is not in the SDK's events goes into a span or a metric:
// the vendor, the SDK operation, the HTTP method, the route template (ids
// replaced by placeholders), statuses, counts, durations, error kinds and
// spend. The SDK keeps secrets, ids, handles and query values out of
// those events; server.address and url.full are not recorded, as the
// events do not carry them.
//
// # Spans
//
// Each call gets a span of kind client, started and ended at the call's
// own times, named "{method} {route}" ("POST audits/{id}/rerun"), or
// "{method}" when the vendor package gave no route (see
// WithSpanNameFormatter). Its attributes:
//
//	creatorkit.vendor              "engagecheck"
//	creatorkit.operation           "Audits.Rerun"
//	http.request.method            "POST"
//	url.template                   "audits/{id}/rerun", relative to the vendor's API root; absent when unknown
//	http.response.status_code      of the final answer; absent when none came
//	error.type                     the error kind (creatorkit.KindName: "rate_limited", "not_found", ...); absent on success
//	creatorkit.attempts            requests sent (0 when the call failed before sending, e.g. "budget_exceeded")
//	http.request.resend_count      attempts - 1, when the call was retried
//	creatorkit.rate_limit_wait     seconds the requests waited for rate-limit admission
//	creatorkit.spend.unit          the vendor's unit ("credits"), for a call that spends
//	creatorkit.spend.spent         spend the answer confirmed
//	creatorkit.spend.spent_unknown spend that may or may not have been charged
//
// A failed call's span has status Error, described by its error kind.
// Each request the call sent is an "attempt" event on the span:
//
//	creatorkit.attempt          1, 2, ...
//	http.response.status_code   absent when no answer came
//	error.type                  absent on success
//	creatorkit.wait             seconds the request waited before it was sent (backoff and rate-limit admission)
//	creatorkit.rate_limit_wait  the part of that wait spent in rate-limit admission
//	creatorkit.duration         seconds from sending to the answer read, or the failure
//	creatorkit.retried          whether another attempt followed
//
// A wait or a roster (Audits.GetAndWait, Audits.CreateAndWaitAll) gets a
// span of kind internal named after the operation, with creatorkit.vendor,
// creatorkit.operation, error.type, creatorkit.polls (the status checks it
// made) and creatorkit.items (the inputs a roster answered). The calls it
// makes are its children. A call's span is the child of the span in the
// context the caller passed.
//
// # Metrics
//
// The call-level duration is not http.client.request.duration: a call
// includes its retries, backoff and rate-limit waits, and the events do
// not carry server.address, which that metric requires. Each request's
// own duration is creatorkit.request.duration.
//
//	creatorkit.call.duration             histogram, s: each call, wait and roster
//	creatorkit.request.duration          histogram, s: each request sent, from sending to its answer
//	creatorkit.request.count             counter, {request}: requests sent, retries included
//	creatorkit.retry.count               counter, {request}: requests that repeated an earlier one of their call
//	creatorkit.rate_limited.count        counter, {request}: 429 answers
//	creatorkit.rate_limit.wait.duration  histogram, s: each request's rate-limit admission wait (0 included)
//	creatorkit.spend.spent               counter, {spend}: spend the answers confirmed
//	creatorkit.spend.spent_unknown       counter, {spend}: spend that may or may not have been charged
//
// Their attributes are low-cardinality: creatorkit.vendor,
// creatorkit.operation, http.request.method and url.template (when the
// call has them) on all; http.response.status_code and error.type (when
// there are) on the durations and on the request and retry counts (a
// retry counts with its own outcome); creatorkit.spend.unit, with the
// vendor and operation only, on the spend counters.
//
// The metrics follow the events, which differ from a client's Usage in
// two ways: creatorkit.request.count counts every request sent, also one
// that failed before it was written (Usage.Requests counts those that
// reached the vendor), and the spend counters count each call's spend when
// it ends, so refunds and outcomes settled by later calls (HypeAuditor's
// reports) are not in them. Usage remains the ledger to bill by.
//
// # Propagation
//
// By default no header is added: the requests go to third-party APIs,
// which need not learn your trace ids, nor your baggage. WithPropagators
// (propagation.TraceContext{} for traceparent alone) or WithPropagation
// (the global propagator) make every request carry the call span's
// context.
package creatorkitotel
