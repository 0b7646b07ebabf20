/* Open questions about an item ("What is missing?", a better wording): text typed stays on the phone
   until the participant sends it; text sent stays on the phone until the server has acknowledged it,
   and is sent again (the same text: the server upserts) after a timeout or a reconnect, as ratings are. */
"use strict";
(() => {
  const { el, _ } = SB;
  // The labels of domain/open_questions.py, in this page's language.
  const LABELS = { missing: _("What is missing?"), unclear: _("What is unclear?"), wording: _("Suggest a better wording") };

  /* The phone's open answers, made once per page: {socket, code, resend, itemOf, notice, changed}.
     `itemOf(skill)` is the item as the session now has it (its round, status, name), or undefined;
     `changed()` is called when an ack changed what is unsent. */
  SB.openAnswers = ({ socket, code, resend, itemOf, notice, changed }) => {
    const draftKey = `sb:open:${code}`;         // "skill:round:question" -> typed, not sent
    const pendingKey = `sb:open-pending:${code}`;  // "skill:round:question" -> sent, not acknowledged
    const drafts = JSON.parse(localStorage.getItem(draftKey) || "{}");
    const pending = JSON.parse(localStorage.getItem(pendingKey) || "{}");
    const store = () => {
      localStorage.setItem(draftKey, JSON.stringify(drafts));
      localStorage.setItem(pendingKey, JSON.stringify(pending));
    };
    let saved = {};  // skill id -> {question: text} acknowledged (the items' current rounds)
    let shown = [];  // the boxes on screen: {key, skill, question, box, mark}

    const savedText = (skill, question) => (saved[skill] || {})[question] || "";
    /* The text as last sent (acknowledged or on its way). */
    const sentText = (key, skill, question) => (key in pending ? pending[key] : savedText(skill, question));

    function refresh() {
      for (const { key, skill, question, mark } of shown) {
        const draft = key in drafts && drafts[key].trim() !== sentText(key, skill, question).trim();
        const unsent = !draft && key in pending;
        const done = !draft && !unsent && Boolean(savedText(skill, question));
        // With no connection an unsent answer waits on this phone: "sending…" would say otherwise.
        mark.textContent = draft ? _("not sent") : unsent ? (socket.connected ? _("sending…") : _("kept on this phone"))
          : done ? _("✓ saved") : "";
        mark.className = `saved-mark ${draft || unsent ? "unsent" : done ? "saved" : ""}`;
      }
    }

    /* Sends what is not yet acknowledged, not in flight and due; drops what a new round made stale. */
    function flush() {
      if (!socket.connected) return;
      for (const [key, text] of Object.entries(pending)) {
        const [skill, round, question] = key.split(":");
        const item = itemOf(Number(skill));
        if (!item) continue;  // the session is not known yet (before the first sync)
        if (item.round !== Number(round)) { delete pending[key]; store(); continue; }  // asked again
        const id = `o:${key}`;
        if (!resend.due(id, text)) continue;
        const attempt = resend.sent(id, text);
        socket.timeout(SB.ackWait).emit("submit_open_answer", { skill_id: Number(skill), question, text }, (err, ack) => {
          if (err) { resend.timedOut(id, attempt); return; }  // stays pending, sent again after a pause
          resend.done(id, attempt);
          if (ack.error === "server_busy") { setTimeout(flush, 2000); return; }  // nothing saved: resend
          if (pending[key] === text) delete pending[key];
          if (ack.ok) {
            if (ack.round === Number(round)) (saved[skill] = saved[skill] || {})[question] = ack.text;
            if (key in drafts && drafts[key].trim() === ack.text) delete drafts[key];
          } else {
            // Refused (the item locked while the text was on its way): the text goes back into its
            // box as not sent, for the participant to copy; it is never sent again by itself.
            if (!(key in drafts)) drafts[key] = text;
            const late = ack.error === "item_locked" && item.name;
            notice(late ? _("Your answer on {name} was not saved: answers were closed before it arrived. It stays in its box, not sent.", { name: item.name }) : ack.message);
            for (const s of shown) if (s.key === key && s.box.value === text) s.box.value = drafts[key];
          }
          store();
          changed();
        });
      }
    }

    /* One box per question of the session for `item`, in place of those shown before. */
    function boxes(item, questions) {
      shown = [];
      return questions.map((q) => {
        const skill = item.skill_id;
        const key = `${skill}:${item.round}:${q.key}`;
        const id = `open-${q.key}`;
        const mark = el("span", { class: "saved-mark", "aria-live": "polite" });
        const box = el("textarea", { id, rows: q.key === "wording" ? 5 : 3, maxlength: 10000, "data-question": q.key });
        box.value = key in drafts ? drafts[key] : sentText(key, skill, q.key);
        box.addEventListener("input", () => {
          if (box.value.trim() === sentText(key, skill, q.key).trim()) delete drafts[key];
          else drafts[key] = box.value;
          store();
          refresh();
        });
        const send = () => {
          const now = itemOf(skill);
          if (!now || now.status !== "open") return;
          pending[key] = box.value.trim();
          delete drafts[key];
          store();
          refresh();
          flush();
        };
        shown.push({ key, skill, question: q.key, box, mark });
        if (q.key === "wording" && !box.value) box.placeholder = _("Your wording of this text");
        return el("div", { class: "comment-box open-question", "data-open-question": q.key },
          el("label", { for: id }, LABELS[q.key] || q.label), mark, box,
          el("button", { type: "button", class: "secondary", onclick: send }, _("Send")));
      });
    }

    /* The answers the server has (the sync reply): a box not typed in since shows the text stored. */
    function loaded(answers) {
      saved = answers || {};
      for (const { key, skill, question, box } of shown) {
        if (!(key in drafts) && !(key in pending)) box.value = savedText(skill, question);
      }
      refresh();
    }

    return { boxes, loaded, flush, refresh, unsent: () => Object.keys(pending).length };
  };
})();
