"""The layers of the one request path (`contract_tests.session.ContractSession.send`), one job each.

Read from the outside in, as httpx's `_send_handling_auth` -> `_send_handling_redirects` ->
`_send_single_request`:

* `guards`: the origin guard, the AK lockout guard and the ownership guard (what may be sent);
* `marking`: the run's mark on creates, their record in the ledger, and what the answers teach
  the ledger (what the run made);
* `pacing`: the rate limit, 429s and retries (when it is sent, and how often);
* `reading`: the body read within its size cap; `wire`: the whole-request deadline (how long it
  may take);
* `exchange`: what was sent and answered, as a replay a user can run again.
"""
