/* Delphi rounds on the phone: the round badge, and per criterion one's own previous answer and the group's. */
"use strict";
(() => {
  function fromTemplate(id, values) {
    const node = document.getElementById(id).content.firstElementChild.cloneNode(true);
    for (const [slot, value] of Object.entries(values)) {
      node.querySelectorAll(`[data-slot="${slot}"]`).forEach((n) => { n.textContent = value; });
    }
    return node;
  }

  /* "Round 2" beside the skill's cluster; nothing in round 1. */
  SB.roundBadge = (item) => (item.round >= 2 ? fromTemplate("round-badge-tpl", { round: item.round }) : null);

  /* The reasons the panel gave in the previous round, without who gave them: each with its answer. */
  function showReasons(node, reasons, cant) {
    const box = node.querySelector('[data-part="reasons"]');
    box.hidden = reasons.length === 0;
    node.querySelector('[data-slot="reason-count"]').textContent = reasons.length;
    const list = node.querySelector('[data-part="reason-list"]');
    list.replaceChildren();
    for (const reason of reasons) {
      const li = document.createElement("li");
      const value = document.createElement("strong");
      value.textContent = reason.value === "cant_judge" ? cant : String(reason.value);
      li.append(value, " ", reason.text);
      list.append(li);
    }
  }

  /* The facilitator kept a reason from the panel (or gave it back): update the shown list in place,
     without rebuilding the form (a draft being typed stays). */
  SB.refreshReasons = (box, item, criterion) => {
    const node = box && box.querySelector(".round-feedback");
    const group = item.feedback && item.feedback.criteria[criterion.id];
    if (!node || !group) return;
    showReasons(node, group.reasons || [], node.querySelector('[data-slot="mine"]').dataset.cant);
  };

  /* One criterion's feedback; `keep(value)` answers again with the previous answer. Own answers are
     known only after a sync (`item.previous`); until then only the group's part shows. */
  SB.roundFeedback = (item, criterion, keep) => {
    const group = item.feedback && item.feedback.criteria[criterion.id];
    if (item.round < 2 || !group) return null;
    const node = fromTemplate("round-feedback-tpl", {
      "previous-round": item.feedback.round, median: SB.fmt(group.median),
      q1: SB.fmt(group.q1), q3: SB.fmt(group.q3), n: group.n, abstain: group.n_abstain,
    });
    node.querySelector('[data-part="group"]').hidden = group.n === 0;
    node.querySelector('[data-part="group-none"]').hidden = group.n > 0;
    const mine = item.previous ? item.previous[criterion.id] : undefined;
    const shown = node.querySelector('[data-slot="mine"]');
    if (mine !== undefined) shown.textContent = mine === "cant_judge" ? shown.dataset.cant : String(mine);
    node.querySelector('[data-part="mine"]').hidden = mine === undefined;
    node.querySelector('[data-part="none"]').hidden = !item.previous || mine !== undefined;
    const button = node.querySelector('[data-part="keep"]');
    button.hidden = mine === undefined;
    button.addEventListener("click", () => keep(mine));
    node.querySelector('[data-part="median"]').hidden = group.median === undefined;
    node.querySelector('[data-part="iqr"]').hidden = group.q1 === undefined;
    if (group.counts) node.querySelector('[data-slot="bars"]').append(SB.distribution(criterion, group, { short: true }));
    showReasons(node, group.reasons || [], shown.dataset.cant);
    return node;
  };

  /* The session's reason rule (domain/rounds.py needs_reason, which the server enforces): does this
     answer need a short reason? Unknown own previous answer (before a sync): the server decides. */
  SB.needsReason = (rule, item, criterion, value) => {
    const group = item.feedback && item.feedback.criteria[criterion.id];
    if (!rule || rule === "none" || item.round < 2 || !group || value === "cant_judge") return false;
    if (rule === "outside_iqr") return group.q1 !== null && group.q1 !== undefined && (value < group.q1 || value > group.q3);
    if (rule === "away_from_median") {
      const before = item.previous ? item.previous[criterion.id] : undefined;
      if (group.median === null || group.median === undefined || typeof before !== "number") return false;
      return Math.abs(value - group.median) > Math.abs(before - group.median);
    }
    return false;
  };

  /* The question asked before an answer that needs a reason is accepted; `send(text)` sends both. */
  SB.reasonBox = (rule, send) => {
    const node = fromTemplate("round-reason-tpl", {
      why: rule === "outside_iqr" ? SB._("Your answer lies outside the group's middle half (IQR). Why?")
        : SB._("Your answer moves away from the group's median. Why?"),
    });
    const text = node.querySelector("textarea");
    const button = node.querySelector("button");
    const update = () => { button.disabled = !text.value.trim(); };
    text.addEventListener("input", update);
    button.addEventListener("click", () => { if (text.value.trim()) send(text.value.trim()); });
    update();
    return node;
  };
})();
