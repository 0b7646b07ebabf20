/* The join page of a session not opened yet: ask now and then, and go in by itself once it opens. */
"use strict";
(() => {
  const box = document.getElementById("not-open");
  if (!box) return;
  const url = box.dataset.stateUrl;
  const FIRST = 2000;
  const LONGEST = 10000;  // forty phones asking every ten seconds is a handful of requests a second
  let delay = FIRST;
  let timer = null;

  async function check() {
    timer = null;
    if (document.hidden) return;  // a phone in a pocket does not ask; it asks again when shown
    try {
      const response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
      const body = await response.json();
      if (response.status === 404 || (body.ok && body.state !== "draft")) {
        window.location.replace(window.location.href);  // a GET, even after a refused join form
        return;
      }
    } catch (_error) {
      // no network for now: the next check will tell
    }
    later();
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, delay * (0.8 + 0.4 * Math.random()));  // phones spread out
    delay = Math.min(delay * 1.5, LONGEST);
  }

  function soon() {
    delay = FIRST;
    clearTimeout(timer);
    timer = setTimeout(check, 300 + 700 * Math.random());
  }

  document.addEventListener("visibilitychange", () => { if (!document.hidden) soon(); });
  window.addEventListener("online", soon);
  later();
})();
