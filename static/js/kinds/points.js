/* Points: spread a budget with − and + (or by typing); the sum stays visible; results by total. */
"use strict";
(() => {
  const { el, fmt, pct, _ } = SB;
  SB.kinds = SB.kinds || {};
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
  const STEP = 5;

  function phone({ question: q, items, value, onChange }) {
    const node = document.getElementById("kind-points").content.firstElementChild.cloneNode(true);
    const msg = node.dataset;
    const budget = q.params.budget;
    const left = node.querySelector("[data-role=left]");
    const list = node.querySelector("[data-role=list]");
    let points = Object.fromEntries(items.map((i) => [i.skill_id, 0]));
    let locked = false;
    let timer = null;
    const spent = () => Object.values(points).reduce((a, b) => a + b, 0);
    const valid = () => spent() >= 1 && spent() <= budget;
    const load = (saved) => { for (const [id, p] of Object.entries((saved && saved.points) || {})) points[id] = p; };
    load(value);

    const rows = items.map((item) => {
      const input = el("input", { type: "number", inputmode: "numeric", min: 0, max: budget, step: 1,
        "aria-label": say(msg.pointsFor, { name: item.name }), "data-skill": item.skill_id });
      const set = (n) => { points[item.skill_id] = Math.max(0, Number.isFinite(n) ? Math.round(n) : 0); refresh(); send(); };
      input.addEventListener("input", () => set(Number(input.value)));
      const minus = el("button", { type: "button", class: "pts-btn", "aria-label": say(msg.less, { name: item.name }),
        onclick: () => set(points[item.skill_id] - STEP) }, "−");
      const plus = el("button", { type: "button", class: "pts-btn", "aria-label": say(msg.more, { name: item.name }),
        onclick: () => set(points[item.skill_id] + Math.min(STEP, budget - spent())) }, "+");
      list.append(el("li", { class: "pts-item" },
        el("span", { class: "pts-label" }, el("span", { class: "pick-name" }, item.name), el("span", { class: "pick-cluster" }, item.cluster)),
        minus, input, plus));
      return { item, input, minus, plus };
    });

    function send() {  // typing 2, 25: wait for the pause, send the whole allocation once
      clearTimeout(timer);
      timer = setTimeout(() => onChange({ points: { ...points } }, valid()), 300);
    }
    function refresh() {
      const total = spent();
      for (const r of rows) {
        const p = points[r.item.skill_id];
        if (document.activeElement !== r.input || Number(r.input.value) !== p) r.input.value = String(p);
        r.input.disabled = locked;
        r.minus.disabled = locked || p === 0;
        r.plus.disabled = locked || total >= budget;
      }
      left.textContent = total > budget ? say(msg.over, { n: total - budget, budget })
        : say(msg.left, { spent: total, budget, n: budget - total });
      left.classList.toggle("done", total === budget);
      left.classList.toggle("over", total > budget);
    }
    refresh();
    return {
      node,
      heading: say(msg.heading, { budget }),
      lock(on) { locked = on; refresh(); },
      show(saved) { points = Object.fromEntries(items.map((i) => [i.skill_id, 0])); load(saved); refresh(); },  // or none
      hint() { return spent() > budget ? say(msg.overHint, { budget }) : spent() === 0 ? msg.empty : ""; },
    };
  }

  function results(q, items, r, opts = {}) {
    const names = Object.fromEntries(items.map((i) => [i.skill_id, i]));
    const top = opts.limit ? r.items.slice(0, opts.limit) : r.items;
    return el("ol", { class: `rank-bars${opts.large ? " large" : ""}` }, top.map((s, index) => el("li", {
      class: `rank-row${index < 3 ? " in-top" : ""}`, "data-skill": s.skill_id },
      el("span", { class: "rank-name" }, (names[s.skill_id] || { name: "?" }).name),
      el("span", { class: "rank-track" }, el("span", { class: "rank-fill", style: `width:${(100 * (s.bar || 0)).toFixed(1)}%` })),
      el("span", { class: "rank-detail" }, opts.large ? `${fmt(s.total)} · ${pct(s.share)}`
        : `${_("{n} points · mean {mean}", { n: fmt(s.total), mean: fmt(s.mean, 1) })} · ${pct(s.share)}`))));
  }

  function describe(q, items, value) {
    const name = Object.fromEntries(items.map((i) => [i.skill_id, i.name]));
    return Object.entries(value.points).sort((a, b) => b[1] - a[1]).map(([id, p]) => `${name[id] || "?"} ${p}`).join(" · ");
  }
  const answerOf = (value) => ({ points: { ...value.points } });

  SB.kinds.points = { phone, results, describe, answerOf };
})();
