/* Pick k of n: the phone's checklist with "N left to pick", and its results as ranked bars. */
"use strict";
(() => {
  const { el, pct, _ } = SB;
  SB.kinds = SB.kinds || {};

  /* Fill a message from the template ("{n} left to pick") with values. */
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));

  function isValid(q, picks) {
    const k = q.params.k;
    return q.params.exact ? picks.length === k : picks.length >= 1 && picks.length <= k;
  }

  /* The phone: one big checkbox per item; emits the whole answer when it is a valid one. */
  function phone({ question: q, items, value, onChange }) {
    const node = document.getElementById("kind-pick").content.firstElementChild.cloneNode(true);
    const msg = node.dataset;
    const left = node.querySelector("[data-role=left]");
    const list = node.querySelector("[data-role=list]");
    let picks = value ? [...value.picks] : [];
    let locked = false;
    const boxes = items.map((item) => {
      const box = el("input", { type: "checkbox", value: item.skill_id, "data-skill": item.skill_id });
      box.addEventListener("change", () => {
        picks = box.checked ? [...picks, item.skill_id] : picks.filter((id) => id !== item.skill_id);
        refresh();
        onChange({ picks: [...picks] }, isValid(q, picks));
      });
      list.append(el("li", {}, el("label", { class: "pick-item" }, box,
        el("span", { class: "pick-name" }, item.name), el("span", { class: "pick-cluster" }, item.cluster))));
      return box;
    });
    function refresh() {
      const k = q.params.k;
      const full = picks.length >= k;
      for (const box of boxes) {
        box.checked = picks.includes(Number(box.value));
        box.disabled = locked || (full && !box.checked);
        box.closest("label").classList.toggle("picked", box.checked);
      }
      const n = k - picks.length;
      left.textContent = full ? say(msg.full, { k }) : say(q.params.exact ? msg.left : msg.upTo, { n, k });
      left.classList.toggle("done", full);
    }
    refresh();
    return {
      node,
      heading: say(q.params.exact ? msg.headingExact : msg.headingAtMost, { k: q.params.k }),
      lock(on) { locked = on; refresh(); },
      show(saved) { picks = saved ? [...saved.picks] : []; refresh(); },  // saved: the answer stored, or none
      hint() { return isValid(q, picks) ? "" : say(msg.unsaved, { k: q.params.k }); },
    };
  }

  /* The group's result: one bar per item, most picked first; `large` for the projector. A tick marks
     the skills the session's share rule chooses; "=" and a striped bar those tied across the k-th
     place; a legend says both in words (never colour alone). */
  function results(q, items, r, opts = {}) {
    const names = Object.fromEntries(items.map((i) => [i.skill_id, i]));
    const top = opts.limit ? r.items.slice(0, opts.limit) : r.items;
    const bars = el("ol", { class: `rank-bars${opts.large ? " large" : ""}` }, top.map((s, index) => {
      const item = names[s.skill_id] || { name: "?" };
      const detail = opts.large ? `${s.count} · ${pct(s.share)}`
        : `${_("{k} of {n}", { k: s.count, n: r.n })} · ${pct(s.share)}${s.ci_low === null ? "" : ` (${_("95% CI")} ${pct(s.ci_low)}–${pct(s.ci_high)})`}`;
      const marks = `${s.chosen ? "✓ " : ""}${s.tied_at_cut ? "= " : ""}`;
      return el("li", { class: `rank-row${index < q.params.k ? " in-top" : ""}${s.tied_at_cut ? " tied" : ""}${s.chosen ? " chosen" : ""}`,
        "data-skill": s.skill_id },
        el("span", { class: "rank-name" }, marks ? el("span", { class: "rank-mark" }, marks) : null, item.name),
        el("span", { class: "rank-track" }, el("span", { class: "rank-fill", style: `width:${(100 * (s.bar || 0)).toFixed(1)}%` })),
        el("span", { class: "rank-detail" }, detail));
    }));
    if (r.threshold === undefined || !r.n) return bars;
    const chosen = r.items.filter((s) => s.chosen).length;
    const tied = r.items.some((s) => s.tied_at_cut);
    return el("div", { class: "pick-result" }, bars,
      el("p", { class: "rank-legend" },
        el("span", {}, `✓ ${_("chosen by at least {share} of the panel: {n} of {all}", { share: pct(r.threshold), n: chosen, all: r.items.length })}`),
        tied ? el("span", { class: "legend-tie" }, `= ${_("tied at place {k}: the top {k} is not decided", { k: q.params.k })}`) : null));
  }

  /* One's own answer as a line of text (round-2 feedback), and as the payload that sends it again. */
  function describe(q, items, value) {
    const name = Object.fromEntries(items.map((i) => [i.skill_id, i.name]));
    return value.picks.map((id) => name[id] || "?").join(", ");
  }
  const answerOf = (value) => ({ picks: [...value.picks] });

  SB.kinds.pick = { phone, results, describe, answerOf };
})();
