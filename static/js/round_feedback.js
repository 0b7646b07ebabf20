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
    node.querySelector('[data-slot="bars"]').append(SB.distribution(criterion, group, { short: true }));
    return node;
  };
})();
