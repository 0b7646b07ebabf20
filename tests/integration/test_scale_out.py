"""Two run.py processes on PostgreSQL + Redis under the load generator: nothing acknowledged is lost.

Runs bench/scale_out.py's scenario briefly: 60 phones, half on each process, the facilitator on
the first; two skills opened in turn, every phone answering each criterion twice in quick
succession (with seq); then a third skill answered open-loop (`--pace`: a tap every 0.3 s per
phone, acked or not). Checks integrity, not speed (figures: bench/README.md). Once with
python-socketio's client, once with bench/lean_client.py's (the benches' lighter phones), which
must speak the protocol as well: every answer acked, every event heard, nothing lost.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.integration.test_multiprocess import services  # noqa: F401  (fails under CI=true if absent)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


@pytest.mark.parametrize("lean", [False, True], ids=["python-socketio", "lean-client"])
def test_two_processes_under_load_store_every_acknowledged_rating_once(services: None, lean: bool) -> None:  # noqa: F811
    import scale_out

    # In a thread of its own: the browser tests' Playwright (sync API) may keep an event loop
    # running in this one for the rest of the session, and the generator calls asyncio.run.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(scale_out.run, phones=60, skills=2, timeout=90, paces=[0.3], lean=lean).result()
    print(json.dumps(result))  # the figures of this run, for whoever reads the log
    assert "timed_out_after_s" not in result, result
    assert result["client"] == ("lean" if lean else "python-socketio")
    assert result["connected"] == [30, 30] and result["connect_failures"] == [{}, {}]
    assert result["errors"] == {}, result["errors"]
    assert result["all_heard"], result["open_item_heard_ms"]  # events crossed between the processes
    assert result["ratings_acked"] == 60 * 2 * 3 * 2
    (tapped,) = result["open_loop"]
    assert tapped["errors"] == {} and tapped["ratings_acked"] == 60 * 3, tapped
    assert result["integrity"]["ok"], result["integrity"]
    assert result["integrity"]["acked_keys"] == result["integrity"]["stored"] == 60 * 3 * 3
