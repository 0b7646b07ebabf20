/* Open questions about an item ("What is missing?", a better wording): text typed stays on the phone
   until the server has acknowledged it. */
"use strict";
(() => {
  const { el, _ } = SB;
  // The labels of domain/open_questions.py, in this page's language.
  const LABELS = { missing: _("What is missing?"), unclear: _("What is unclear?"), wording: _("Suggest a better wording") };

  /* One box per question of the session: {socket, code, item, questions, saved, onSaved, notice}. */
  SB.openQuestions = ({ socket, code, item, questions, saved, onSaved, notice }) => {
    if (!questions.length) return [];
    const storeKey = `sb:open:${code}`;
    const drafts = JSON.parse(localStorage.getItem(storeKey) || "{}");
    const store = () => localStorage.setItem(storeKey, JSON.stringify(drafts));
    return questions.map((q) => {
      const key = `${item.skill_id}:${item.round}:${q.key}`;
      const id = `open-${q.key}`;
      const mark = el("span", { class: "saved-mark", "aria-live": "polite" });
      const box = el("textarea", { id, rows: q.key === "wording" ? 5 : 3, maxlength: 10000, "data-question": q.key });
      const sentText = () => (saved[q.key] || "");
      box.value = key in drafts ? drafts[key] : sentText();
      const refresh = (state) => {
        const draft = key in drafts && drafts[key].trim() !== sentText().trim();
        mark.textContent = state || (draft ? _("not sent") : sentText() ? _("✓ saved") : "");
        mark.className = `saved-mark ${state || draft ? "unsent" : sentText() ? "saved" : ""}`;
      };
      box.addEventListener("input", () => { drafts[key] = box.value; store(); refresh(); });
      const send = () => {
        refresh(_("sending…"));
        socket.timeout(SB.ackWait).emit("submit_open_answer", { skill_id: item.skill_id, question: q.key, text: box.value },
          (err, ack) => {
            if (err) { refresh(_("not sent – kept on this phone")); return; }
            if (!ack.ok) { notice(ack.message); refresh(); return; }
            onSaved(q.key, ack.text);
            saved[q.key] = ack.text;
            if (drafts[key] !== undefined && drafts[key].trim() === ack.text) { delete drafts[key]; store(); }
            refresh();
          });
      };
      if (q.key === "wording" && !box.value) box.placeholder = _("Your wording of this text");
      refresh();
      return el("div", { class: "comment-box open-question", "data-open-question": q.key },
        el("label", { for: id }, LABELS[q.key] || q.label), mark, box,
        el("button", { type: "button", class: "secondary", onclick: send }, _("Send")));
    });
  };
})();
