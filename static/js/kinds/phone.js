/* The phone's list questions (pick, rank, points): shows the one on screen, keeps unsent answers. */
"use strict";
(() => {
  if (!SB.phone) return;
  const { socket, showNotice } = SB.phone;
  const app = document.getElementById("app");
  const box = document.getElementById("question");
  const storeKey = `sb:pending-answers:${app.dataset.code}`;
  const mark = box.querySelector("[data-role=mark]");
  let questions = [];
  let items = [];
  let answers = {};   // question id -> saved value (current round)
  let results = {};   // question id -> revealed results
  let previous = {};  // question id -> {round, mine, group}: the round before a re-vote
  let shown = null;   // "id:round" on screen
  let view = null;    // the kind's controller for the question on screen
  // Unsent answers survive reloads and lost connections: question id -> {round, value}
  let pending = JSON.parse(localStorage.getItem(storeKey) || "{}");
  const save = () => localStorage.setItem(storeKey, JSON.stringify(pending));
  const resend = SB.resender();

  // A reply a newer questions_updated overtook (the facilitator showed a question) is asked
  // again, for one's own answers and the results that go with it (SB.questionFeed).
  const sync = SB.questionFeed(socket,
    (take) => socket.timeout(SB.ackWait).emit("sync_questions", {}, (err, ack) => {
      if (err || !ack || !ack.ok) { setTimeout(sync, 2000); return; }
      take(ack);
    }),
    (ack) => {
      items = SB.localise({ items: ack.items }).items;  // the skills in the phone's language
      answers = ack.answers;
      previous = ack.previous || {};
      results = {};
      for (const r of ack.results) results[r.question_id] = r;
      setQuestions(ack.questions);
      shown = null;  // rebuild with the items and answers just loaded
      render();
      flush();
    },
    (p) => {
      const revote = p.questions.some((q) => questions.some((o) => o.id === q.id && o.round !== q.round));
      setQuestions(p.questions);
      render();
      if (revote) sync();  // fetch one's own answer and the group's result of the round just closed
    });
  socket.on("connect", () => { resend.reconnected(); refreshMark(); sync(); });
  socket.on("disconnect", () => refreshMark());
  // The socket may have connected while this script was still loading: then "connect" is past.
  if (socket.connected) sync();
  socket.on("question_results_revealed", (r) => { results[r.question_id] = r; renderResults(); });

  /* A re-vote starts a new round: what was kept for the old one is neither shown nor sent. */
  function setQuestions(next) {
    for (const q of next) {
      const before = questions.find((o) => o.id === q.id);
      if (before && before.round !== q.round) { delete answers[q.id]; delete results[q.id]; }
      if (pending[q.id] && pending[q.id].round !== q.round) delete pending[q.id];
    }
    save();
    questions = next;
  }

  function flush() {
    if (!socket.connected) return;
    for (const [id, entry] of Object.entries(pending)) {
      if (!resend.due(id, entry)) continue;
      const attempt = resend.sent(id, entry);
      socket.timeout(SB.ackWait).emit("submit_answer", { question_id: Number(id), value: entry.value }, (err, ack) => {
        if (err) { resend.timedOut(id, attempt); return; }  // stays pending, sent again after a pause
        resend.done(id, attempt);
        if (ack.error === "server_busy") { setTimeout(flush, 2000); return; }  // nothing saved: resend
        if (pending[id] === entry) delete pending[id];
        if (ack.ok) answers[id] = ack.value;
        else {
          // Back to the answer stored, or to none: a refused first answer no longer looks given.
          showNotice(ack.error === "item_locked" ? box.dataset.lateLocked : ack.message);
          if (view && shown && shown.startsWith(`${id}:`)) view.show(answers[id]);
        }
        save();
        refreshMark();
      });
    }
  }

  function onChange(question, value, valid) {
    if (valid) { pending[question.id] = { round: question.round, value }; save(); flush(); }
    refreshMark();
  }

  function render() {
    if (!items.length) return;  // a push came before the first sync: wait for the items
    const q = questions.find((x) => x.on_screen);
    app.classList.toggle("asking", Boolean(q));
    box.hidden = !q;
    if (!q) { shown = null; view = null; return; }
    const kind = SB.kinds[q.kind];
    const key = `${q.id}:${q.round}`;
    if (shown !== key) {
      shown = key;
      const value = pending[q.id] ? pending[q.id].value : answers[q.id];
      view = kind.phone({ question: q, items, value, onChange: (v, ok) => onChange(q, v, ok) });
      const prompt = SB.promptOf(q);
      box.querySelector("[data-role=prompt]").textContent = prompt || view.heading;
      // The rule under a prompt of the session's own, not the same words twice (the demo asks
      // "Spread 100 points over the skills", which is also the points question's rule).
      box.querySelector("[data-role=rule]").textContent = prompt && prompt !== view.heading ? view.heading : "";
      box.querySelector("[data-role=body]").replaceChildren(view.node);
      box.querySelector("[data-role=previous]").replaceChildren(feedback(q, kind) || "");
    }
    const locked = q.status !== "open";
    view.lock(locked);
    box.querySelector("[data-role=locked]").hidden = !locked;
    // Each kind's line of what is left to do ("All 3 picked: untick one to change") is advice for
    // answering: under "answers can no longer change" it would contradict the note.
    const todo = box.querySelector("[data-role=body] [data-role=left]");
    if (todo) todo.hidden = locked;
    refreshMark();
    renderResults();
  }

  /* From round 2 on: one's own answer and the group's result of the round before; "keep" sends it again. */
  function feedback(q, kind) {
    const prev = previous[q.id];
    if (!prev || q.round < 2) return null;
    const node = document.getElementById("list-feedback-tpl").content.firstElementChild.cloneNode(true);
    node.querySelectorAll("[data-slot=round]").forEach((n) => { n.textContent = prev.round; });
    node.querySelector("[data-slot=n]").textContent = prev.group.n;
    if (prev.mine) node.querySelector("[data-slot=mine]").textContent = kind.describe(q, items, prev.mine);
    node.querySelector("[data-part=mine]").hidden = !prev.mine;
    node.querySelector("[data-part=none]").hidden = Boolean(prev.mine);
    const keep = node.querySelector("[data-part=keep]");
    keep.hidden = !prev.mine || q.status !== "open";
    keep.addEventListener("click", () => { view.show(prev.mine); onChange(q, kind.answerOf(prev.mine), true); });
    node.querySelector("[data-slot=group]").append(prev.group.n > 0
      ? kind.results(q, items, prev.group, { limit: Math.max(5, (q.params.k || 0) + 2) }) : SB.el("p", { class: "muted small" }, node.dataset.none));
    return node;
  }

  function refreshMark() {
    const q = questions.find((x) => x.on_screen);
    if (!q || !view) return;
    const unsent = Boolean(pending[q.id]);
    const saved = !unsent && answers[q.id] !== undefined;
    const hint = q.status === "open" ? view.hint() : "";  // "Pick 3 to save your answer": too late
    // With no connection an unsent answer waits on this phone: "sending…" would say otherwise.
    mark.textContent = unsent ? (socket.connected ? mark.dataset.sending : mark.dataset.kept) : hint || (saved ? mark.dataset.saved : "");
    mark.className = `saved-mark question-mark ${unsent || hint ? "unsent" : saved ? "saved" : ""}`;
  }

  function renderResults() {
    const q = questions.find((x) => x.on_screen);
    const target = box.querySelector("[data-role=results]");
    const r = q && q.revealed ? results[q.id] : null;
    if (!r) { target.replaceChildren(); return; }
    target.replaceChildren(SB.el("h2", {}, target.dataset.heading), r.n ? SB.kinds[q.kind].results(q, items, r)
      : SB.el("p", { class: "muted" }, q.status === "open" ? target.dataset.noneOpen : target.dataset.noneClosed));
  }

  setInterval(flush, 1000);  // sends what is due: answers whose pause after a timeout is over
})();
