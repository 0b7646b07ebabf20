"""The number formatting every page shares (static/js/common.js), run in the browser that uses it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CASES = [
    ((60, 0), "60"),  # whole numbers keep their zeros: 60 points once showed as "6"
    ((100, 0), "100"),
    ((0, 0), "0"),
    ((100, 2), "100"),
    ((20.5, 2), "20.5"),
    ((0.25, 2), "0.25"),
    ((3.456, 2), "3.46"),
    ((10, 1), "10"),
    ((None, 2), "–"),
]


def test_fmt_drops_only_zeros_after_the_decimal_point(live_server, new_phone):
    phone = new_phone()
    phone.goto(f"{live_server.url}/")
    phone.add_script_tag(url=f"{live_server.url}/static/js/common.js")  # as the phone's pages load it
    phone.wait_for_function("() => window.SB && typeof window.SB.fmt === 'function'")
    got = phone.evaluate("cases => cases.map(([x, d]) => window.SB.fmt(x, d))", [list(c) for c, _ in CASES])
    assert got == [want for _, want in CASES]


def _common(live_server, new_phone):
    phone = new_phone()
    phone.goto(f"{live_server.url}/")
    phone.add_script_tag(url=f"{live_server.url}/static/js/common.js")
    phone.wait_for_function("() => window.SB && typeof window.SB.resender === 'function'")
    return phone


def test_resends_wait_longer_after_each_timeout_with_jitter(live_server, new_phone):
    """No resend storm: an answer in flight is not sent again; after a timeout it waits 1-3 s, 2-6 s ..."""
    phone = _common(live_server, new_phone)
    got = phone.evaluate(
        """() => {
          const r = SB.resender();
          const out = {first: r.due("a", 1)};
          let attempt = r.sent("a", 1);
          out.inFlight = r.due("a", 1);
          out.changed = r.due("a", 2);
          out.dueAtOnce = false;
          for (let i = 0; i < 6; i++) {
            r.timedOut("a", attempt);
            out.dueAtOnce = out.dueAtOnce || r.due("a", 1);
            attempt = r.sent("a", 1);
          }
          const spread = [];
          for (let k = 0; k < 50; k++) {
            // The clock stands still at t while the timeout is taken, so the pause counts from t.
            const real = Date.now;
            const t = real(); Date.now = () => t;
            const q = SB.resender(); const a = q.sent("x", 1); q.timedOut("x", a);
            let lo = 0, hi = 10000;  // find the retry time by asking due() at shifted clocks, to 5 ms
            while (hi - lo > 5) {
              const mid = (lo + hi) / 2;
              Date.now = () => t + mid;
              if (q.due("x", 1)) hi = mid; else lo = mid;
            }
            Date.now = real;
            spread.push(hi);
          }
          out.min = Math.min(...spread); out.max = Math.max(...spread);
          out.distinct = new Set(spread.map((x) => Math.round(x / 50))).size;
          const stale = SB.resender(); const a1 = stale.sent("s", 1); const a2 = stale.sent("s", 2);
          stale.timedOut("s", a1);  // the old attempt's timeout does not touch the newer send
          out.staleIgnored = !stale.due("s", 2);
          stale.reconnected();
          out.afterReconnect = stale.due("s", 2);
          return out;
        }"""
    )
    assert got["first"] and not got["inFlight"] and got["changed"] and not got["dueAtOnce"]
    # first pause: 1-3 s, random (the search finds each to within 5 ms above it)
    assert 500 <= got["min"] and got["max"] <= 3005 and got["distinct"] > 5
    assert got["staleIgnored"] and got["afterReconnect"]


def test_the_sequence_only_grows_across_reloads(live_server, new_phone):
    phone = _common(live_server, new_phone)
    got = phone.evaluate(
        """() => {
          localStorage.setItem("sb:seq:T", String(Date.now() + 1e9));  // clock went back since
          const next = SB.sequence("sb:seq:T");
          const a = next(), b = next(), c = SB.sequence("sb:seq:T")();
          return [a, b, c, Number(localStorage.getItem("sb:seq:T"))];
        }"""
    )
    assert got[0] < got[1] < got[2] == got[3]


def test_statistics_texts_and_numbers_in_the_pages_language(live_server, new_phone):
    """Analysis texts sent as message id + parameters (analysis/text.py) read in Finnish, with
    Finnish numbers: the JS catalog carries analysis/'s messages too (core/i18n.py)."""
    phone = new_phone()
    phone.goto(f"{live_server.url}/")
    phone.add_script_tag(url=f"{live_server.url}/i18n/fi.js")  # before common.js, as base.html loads it
    phone.add_script_tag(url=f"{live_server.url}/static/js/common.js")
    phone.wait_for_function("() => window.SB && typeof window.SB.text === 'function'")
    reason = {
        "msgid": "%(measure)s: consensus, but I-CVI %(value)s misses the panel cut-off",
        "params": {"measure": {"msgid": "relevance", "params": {}}, "value": {"num": 0.8, "spec": ".2f"}},
    }
    got = phone.evaluate(
        "r => [SB.text(r), SB.text('plain'), SB.pct(0.75), SB.text({num: 0.75, spec: '.0%'}), SB.fmt(0.5)]",
        reason,
    )
    assert got == [
        "relevanssi: konsensus, mutta I-CVI 0,80 jää paneelin rajan alle",
        "plain",
        "75\xa0%",
        "75\xa0%",
        "0,5",
    ]
