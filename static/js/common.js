/* Helpers shared by the facilitator, projector and phone pages. */
"use strict";

window.SB = {
  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else if (key === "style") node.style.cssText = value;  // CSSOM: allowed by the CSP, unlike a style attribute
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  },

  fmt(x, digits = 2) {
    if (x === null || x === undefined) return "–";
    // Trailing zeros go only after a decimal point: 60 with no decimals stays "60".
    return Number(x).toFixed(digits).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  },

  pct(x) {
    return x === null || x === undefined ? "–" : Math.round(x * 100) + "%";
  },

  /* A horizontal distribution: one bar per scale point, labelled with its anchor. */
  distribution(criterion, summary, opts = {}) {
    const counts = (summary && summary.counts) || [];
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const rows = criterion.anchors.map((anchor, i) => {
      const n = counts[i] || 0;
      return SB.el("div", { class: "bar-row" },
        SB.el("span", { class: "bar-label", title: anchor }, opts.short ? String(criterion.scale_min + i) : anchor),
        SB.el("span", { class: "bar-track" },
          SB.el("span", { class: "bar-fill", style: `width:${(100 * n / total).toFixed(1)}%` })),
        SB.el("span", { class: "bar-count" }, n));
    });
    return SB.el("div", { class: opts.short ? "distribution short" : "distribution" }, rows);
  },

  countdown(node, isoDeadline) {
    if (node._timer) clearInterval(node._timer);
    if (!isoDeadline) { node.textContent = ""; return; }
    const deadline = Date.parse(isoDeadline);
    const tick = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      node.textContent = left > 0 ? `${left}s left` : "time is up";
      if (left <= 0) clearInterval(node._timer);
    };
    tick();
    node._timer = setInterval(tick, 500);
  },

  /* Which unacknowledged answers to send now. An answer in flight is not sent again; one whose ack
     timed out waits 1-3 s, then 2-6 s, 4-12 s ... (at most 22-67 s, random within each range) so a
     thousand phones facing a slow server do not all resend at once and make it slower still.
     A changed answer, or a new connection, sends at once. */
  resender() {
    const sending = {};  // id -> {value, inflight, tries, retryAt, attempt}
    let attempts = 0;
    return {
      due(id, value) {
        const s = sending[id];
        if (!s || s.value !== value) return true;
        return !s.inflight && Date.now() >= s.retryAt;
      },
      sent(id, value) {  // returns the attempt number the ack callback hands back
        const s = sending[id];
        attempts += 1;
        sending[id] = { value, inflight: true, tries: s && s.value === value ? s.tries : 0, retryAt: 0, attempt: attempts };
        return attempts;
      },
      timedOut(id, attempt) {
        const s = sending[id];
        if (!s || s.attempt !== attempt) return;
        s.inflight = false;
        s.tries += 1;
        const base = Math.min(45000, 1000 * 2 ** s.tries);
        s.retryAt = Date.now() + base / 2 + Math.random() * base;
      },
      done(id, attempt) { if (sending[id] && sending[id].attempt === attempt) delete sending[id]; },
      reconnected() { for (const s of Object.values(sending)) { s.inflight = false; s.retryAt = 0; } },
    };
  },

  /* A per-phone sequence number that only grows, across reloads: the server keeps the answer with
     the highest one, whatever order the answers arrive in (docs/protocol.md, "seq"). */
  sequence(storageKey) {
    return () => {
      const next = Math.max(Date.now(), Number(localStorage.getItem(storageKey) || 0) + 1);
      localStorage.setItem(storageKey, String(next));
      return next;
    };
  },
};
