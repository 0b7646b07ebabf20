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
  let second = stage.dataset.second;  // the session's second language: the page's, then each SESSION's
  root.addEventListener("sb:session", (e) => {
    if ((e.detail.second_language || "") === second) return;
    second = e.detail.second_language || "";
    render();
  });


  const socket = io("/facilitator", { auth: { code, view: "projector" }, transports: ["websocket", "polling"] });
  const sync = SB.questionFeed(socket,
    (take) => socket.emit("sync_questions", { code }, (ack) => { if (ack.ok) take(ack); }),
    (ack) => {
      questions = ack.questions;
      items = SB.localise({ items: ack.items }).items;  // the skills in the page's language (the session's), else as stored
      for (const r of ack.results) if (questions.some((q) => q.id === r.question_id && q.revealed)) results[r.question_id] = r;
      render();
    },
    (p) => { questions = p.questions; render(); });
  socket.on("connect", sync);
  socket.on("question_results_revealed", (r) => { results[r.question_id] = r; render(); });

  function render() {
    const q = questions.find((x) => x.on_screen);
    root.classList.toggle("asking", Boolean(q));
    stage.hidden = !q;
    if (!q) return;
    const r = q.revealed && results[q.id] && results[q.id].round === q.round ? results[q.id] : null;
    const prompt = SB.promptOf(q) || stage.dataset[q.kind];
    // A re-vote says so, as the dashboard does: the room knows it answers again, and which round the bars are of.
    const round = stage.querySelector("[data-role=round]");
    round.textContent = q.round > 1 ? SB._("round {n}", { n: q.round }) : "";
    round.hidden = q.round < 2;
    stage.querySelector("[data-role=prompt]").textContent = prompt;
    // The session's second language, as for the skills: the prompt again, where it was translated.
    const other = second && second !== SB.lang ? ((q.i18n || {})[second] || {}).prompt : "";
    const secondLine = stage.querySelector("[data-role=prompt-2]");
    secondLine.textContent = other && other !== prompt ? other : "";
    secondLine.hidden = !secondLine.textContent;
    secondLine.lang = second;
    const body = stage.querySelector("[data-role=body]");
    // Revealed with no answers: say so, rather than a ranking of empty bars (every item "Borda 0").
    if (r && !r.n) body.replaceChildren(SB.el("p", { class: "proj-wait" }, q.status === "open" ? stage.dataset.noneOpen : stage.dataset.noneClosed));
    else if (r) body.replaceChildren(SB.kinds[q.kind].results(q, items, r, { large: true, limit: 12 }),
      SB.el("p", { class: "proj-stats" }, `n = ${r.n}`));
    else body.replaceChildren(SB.el("p", { class: "proj-wait" }, q.status === "open" ? stage.dataset.answer : stage.dataset.closed));
  }
})();
