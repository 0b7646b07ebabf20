/* Rank: tap the items in order, then drag them (touch or mouse) or use the move buttons and keyboard;
   results by Borda score. */
"use strict";
(() => {
  const { el, fmt, _ } = SB;
  SB.kinds = SB.kinds || {};
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));

  function phone({ question: q, items, value, onChange }) {
    const node = document.getElementById("kind-rank").content.firstElementChild.cloneNode(true);
    const msg = node.dataset;
    const k = q.params.k;
    const byId = Object.fromEntries(items.map((i) => [i.skill_id, i]));
    const left = node.querySelector("[data-role=left]");
    const chosenList = node.querySelector("[data-role=order]");
    const restList = node.querySelector("[data-role=rest]");
    let order = value ? [...value.order] : [];
    let locked = false;

    function change(next, focusId) {
      order = next;
      draw(focusId);
      onChange({ ranks: Object.fromEntries(order.map((id, i) => [id, i + 1])) }, order.length === k);
    }
    const move = (id, delta) => {
      const i = order.indexOf(id);
      const j = i + delta;
      if (j < 0 || j >= order.length) return;
      const next = [...order];
      [next[i], next[j]] = [next[j], next[i]];
      change(next, `${id}:${delta < 0 ? "up" : "down"}`);
    };

    /* Drag by the grip (pointer events: finger, pen or mouse). The row follows the pointer and
       swaps places with a neighbour whose middle it passes; the order is sent when it is let go. */
    function startDrag(ev, row) {
      if (locked || order.length < 2 || (ev.pointerType === "mouse" && ev.button !== 0)) return;
      ev.preventDefault();
      const grip = ev.currentTarget;
      grip.setPointerCapture(ev.pointerId);
      const middle = (node) => { const r = node.getBoundingClientRect(); return r.top + r.height / 2; };
      let grabbed = ev.clientY - middle(row);  // where in the row the finger holds it
      row.classList.add("dragging");
      chosenList.classList.add("sorting");
      const follow = (y) => {
        row.style.transform = "";
        const prev = row.previousElementSibling;
        const next = row.nextElementSibling;
        if (prev && y - grabbed < middle(prev)) chosenList.insertBefore(row, prev);
        else if (next && y - grabbed > middle(next)) chosenList.insertBefore(next, row);
        [...chosenList.children].forEach((li, i) => { li.querySelector(".rank-pos").firstChild.textContent = String(i + 1); });
        row.style.transform = `translateY(${(y - grabbed - middle(row)).toFixed(0)}px)`;
        if (y < 48) window.scrollBy(0, -12);
        else if (y > window.innerHeight - 48) window.scrollBy(0, 12);
      };
      const move = (e) => follow(e.clientY);
      const end = () => {
        grip.removeEventListener("pointermove", move);
        grip.removeEventListener("pointerup", end);
        grip.removeEventListener("pointercancel", end);
        row.classList.remove("dragging");
        chosenList.classList.remove("sorting");
        row.style.transform = "";
        const next = [...chosenList.children].map((li) => Number(li.dataset.skill));
        if (next.join() !== order.join()) change(next);
      };
      grip.addEventListener("pointermove", move);
      grip.addEventListener("pointerup", end);
      grip.addEventListener("pointercancel", end);
    }

    function draw(focusId) {
      chosenList.replaceChildren(...order.map((id, i) => el("li", { class: "rank-item", "data-skill": id },
        el("span", { class: "rank-pos rank-grip", title: msg.drag, onpointerdown: (e) => startDrag(e, e.currentTarget.parentNode) },
          String(i + 1), el("span", { class: "grip-dots", "aria-hidden": "true" }, "⠿")),
        el("span", { class: "pick-name" }, byId[id].name),
        el("span", { class: "rank-tools" },
          el("button", { type: "button", class: "rank-move", "data-focus": `${id}:up`, disabled: locked || i === 0,
            "aria-label": say(msg.up, { name: byId[id].name }), onclick: () => move(id, -1) }, "↑"),
          el("button", { type: "button", class: "rank-move", "data-focus": `${id}:down`, disabled: locked || i === order.length - 1,
            "aria-label": say(msg.down, { name: byId[id].name }), onclick: () => move(id, 1) }, "↓"),
          el("button", { type: "button", class: "rank-move", disabled: locked,
            "aria-label": say(msg.remove, { name: byId[id].name }), onclick: () => change(order.filter((x) => x !== id)) }, "✕")))));
      const full = order.length >= k;
      restList.replaceChildren(...items.filter((i) => !order.includes(i.skill_id)).map((i) => el("li", {},
        el("button", { type: "button", class: "rank-add", disabled: locked || full, "data-skill": i.skill_id,
          onclick: () => change([...order, i.skill_id]) },
          el("span", { class: "pick-name" }, i.name), el("span", { class: "pick-cluster" }, i.cluster)))));
      left.textContent = full ? msg.full : say(msg.left, { n: k - order.length, next: order.length + 1 });
      left.classList.toggle("done", full);
      if (focusId) { const target = chosenList.querySelector(`[data-focus="${focusId}"]`); if (target && !target.disabled) target.focus(); }
    }
    draw();
    return {
      node,
      heading: say(k === items.length ? msg.headingAll : msg.headingTop, { k }),
      lock(on) { locked = on; draw(); },
      show(saved) { order = saved ? [...saved.order] : []; draw(); },  // saved: the answer stored, or none
      hint() { return order.length === k ? "" : say(msg.unsaved, { k }); },
    };
  }

  function results(q, items, r, opts = {}) {
    const names = Object.fromEntries(items.map((i) => [i.skill_id, i]));
    const top = opts.limit ? r.items.slice(0, opts.limit) : r.items;
    return el("ol", { class: `rank-bars${opts.large ? " large" : ""}` }, top.map((s, index) => el("li", {
      class: `rank-row${index < 3 ? " in-top" : ""}`, "data-skill": s.skill_id },
      el("span", { class: "rank-name" }, (names[s.skill_id] || { name: "?" }).name),
      el("span", { class: "rank-track" }, el("span", { class: "rank-fill", style: `width:${(100 * (s.bar || 0)).toFixed(1)}%` })),
      el("span", { class: "rank-detail" }, opts.large ? `Borda ${fmt(s.borda, 1)}`
        : `Borda ${fmt(s.borda, 1)} · ${_("mean rank {mean} · median {median}", { mean: fmt(s.mean_rank), median: fmt(s.median_rank) })}`))));
  }

  function describe(q, items, value) {
    const name = Object.fromEntries(items.map((i) => [i.skill_id, i.name]));
    return value.order.map((id, i) => `${i + 1}. ${name[id] || "?"}`).join(" · ");
  }
  const answerOf = (value) => ({ ranks: Object.fromEntries(value.order.map((id, i) => [id, i + 1])) });

  SB.kinds.rank = { phone, results, describe, answerOf };
})();
