/* The projector's list question: its prompt and, once revealed, the live ranking as large bars. */
"use strict";
(() => {
  const root = document.getElementById("proj");
  const stage = document.getElementById("question-stage");
  if (!root || !stage) return;
  const code = root.dataset.code;
  let questions = [];
  let items = [];
  const results = {};

  const socket = io("/facilitator", { auth: { code, view: "projector" }, transports: ["websocket", "polling"] });
  socket.on("connect", () => socket.emit("sync_questions", { code }, (ack) => {
    if (!ack.ok) return;
    questions = ack.questions;
    items = ack.items;
    for (const r of ack.results) if (questions.some((q) => q.id === r.question_id && q.revealed)) results[r.question_id] = r;
    render();
  }));
  socket.on("questions_updated", (p) => { questions = p.questions; render(); });
  socket.on("question_results_revealed", (r) => { results[r.question_id] = r; render(); });

  function render() {
    const q = questions.find((x) => x.on_screen);
    root.classList.toggle("asking", Boolean(q));
    stage.hidden = !q;
    if (!q) return;
    const r = q.revealed && results[q.id] && results[q.id].round === q.round ? results[q.id] : null;
    stage.querySelector("[data-role=prompt]").textContent = SB.promptOf(q) || stage.dataset[q.kind];
    const body = stage.querySelector("[data-role=body]");
    if (r) body.replaceChildren(SB.kinds[q.kind].results(q, items, r, { large: true, limit: 12 }),
      SB.el("p", { class: "proj-stats" }, `n = ${r.n}`));
    else body.replaceChildren(SB.el("p", { class: "proj-wait" }, q.status === "open" ? stage.dataset.answer : stage.dataset.closed));
  }
})();
