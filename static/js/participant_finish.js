/* The self-paced finish screen: what is still unanswered, and whether everything is saved. */
"use strict";

/* items: [{skill_id, name, missing: [criterion labels], draft}]; unsaved: answers not yet
   acknowledged; online; goTo(skill_id). Rebuilt only when the lists change, so that a keyboard
   user's focus stays put while acknowledgements arrive. */
SB.finishScreen = (box, { items, unsaved, online, goTo }) => {
  const { el, _, ngettext } = SB;
  const open = items.filter((i) => i.missing.length);
  const drafts = items.filter((i) => i.draft);
  const status = box.querySelector(".save-state") || el("p", { class: "save-state", role: "status" });
  const allDone = open.length === 0;
  if (unsaved === 0) {
    status.textContent = allDone
      ? ngettext("✓ The {n} skill is answered, and everything is saved. Thank you! You may close this page.", "✓ All {n} skills answered, and everything is saved. Thank you! You may close this page.", items.length)
      : _("✓ Everything you answered is saved.");
  } else if (online) {
    status.textContent = ngettext("Sending {n} answer… Keep this page open until it says everything is saved.", "Sending {n} answers… Keep this page open until it says everything is saved.", unsaved);
  } else {
    status.textContent = ngettext("Offline: {n} answer is kept on this phone and sent when the connection returns. Keep this page open.", "Offline: {n} answers are kept on this phone and sent when the connection returns. Keep this page open.", unsaved);
  }
  status.className = `save-state ${unsaved === 0 ? "saved" : "unsent"}`;

  const key = JSON.stringify([open.map((i) => [i.skill_id, i.missing]), drafts.map((i) => i.skill_id)]);
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  const link = (item, detail) => el("li", {},
    el("a", { href: "#item", onclick: (event) => { event.preventDefault(); goTo(item.skill_id); } }, item.name),
    detail ? el("span", { class: "muted small" }, ` – ${detail}`) : null);
  box.replaceChildren(...[
    el("h1", { id: "finish-title", tabindex: "-1" }, _("Your answers")),
    status,
    allDone
      ? el("p", {}, ngettext("You answered the {n} skill.", "You answered all {n} skills.", items.length))
      : el("section", { "aria-labelledby": "unanswered-title" },
        el("h2", { id: "unanswered-title" }, _("Still unanswered: {k} of {n} skills", { k: open.length, n: items.length })),
        el("ul", { class: "todo" }, open.map((i) => link(i, i.missing.join(", "))))),
    drafts.length
      ? el("section", { "aria-labelledby": "drafts-title" },
        el("h2", { id: "drafts-title" }, _("Comments typed but not sent")),
        el("ul", { class: "todo" }, drafts.map((i) => link(i, _("open it and tap Send comment")))))
      : null,
    el("p", { class: "muted small" }, _("You can change any answer until the facilitator closes the session.")),
    el("button", { type: "button", onclick: () => goTo((open[0] || items[0]).skill_id) },
      allDone ? _("‹ Back to the skills") : _("‹ Answer what is left")),
  ].filter(Boolean));
};
