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
};
