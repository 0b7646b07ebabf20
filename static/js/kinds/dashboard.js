/* The dashboard's list questions: pace them (show, lock, reveal, re-vote) and watch live results. */
"use strict";
(() => {
  const { el, _ } = SB;
  const panel = document.getElementById("questions-panel");
  if (!panel) return;
  const code = panel.dataset.code;
  const text = panel.dataset;
  // A question's status in the facilitator's words, not the protocol's (pending, open, locked).
  const STATUS = { pending: text.statusPending, open: text.statusOpen, locked: text.statusLocked };
  let questions = [];
  let items = [];
  let results = {};  // question id -> live results of its current round
  let state = panel.dataset.sessionState;  // the session's: questions open, lock and re-vote only while live
  let joined;  // people in the session now (presence): a result counted before phones joined is stale

  const socket = io("/facilitator", { auth: { code, view: "dashboard" }, transports: ["websocket", "polling"] });
  let shown = null;  // the last session state heard: an older one (several processes) is ignored
  const sync = SB.questionFeed(socket,
    (take) => socket.emit("sync_questions", { code }, (ack) => { if (ack.ok) take(ack); }),
    (ack) => {
      // This socket may have connected after a state change it never heard: take the reply's.
      if (!SB.isOlder(ack, shown)) { shown = { state: ack.state, revision: ack.revision }; state = ack.state; }
      questions = ack.questions;
      items = SB.localise({ items: ack.items }).items;  // the skills in the facilitator's language, else as stored
      results = Object.fromEntries(ack.results.map((r) => [r.question_id, r]));
      render();
    },
    (p) => { questions = p.questions; render(); });
  socket.on("connect", sync);
  socket.on("question_results", (r) => { results[r.question_id] = r; render(); });
  socket.on("session_updated", (p) => {
    if (SB.isOlder(p, shown)) return;
    shown = p;
    if (p.state !== state) { state = p.state; render(); }
  });
  socket.on("presence", (p) => { if (p.participants !== joined) { joined = p.participants; render(); } });

  function command(event, payload) {
    socket.emit(event, { code, ...payload }, (ack) => { if (!ack.ok) alert(ack.message); });
  }

  function agreementText(a) {
    const values = { w: SB.fmt(a.w), chi2: SB.fmt(a.chi2, 1), df: a.df, p: a.p < 0.001 ? "< 0.001" : SB.fmt(a.p, 3) };
    return text.agreement.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
  }

  /* "Make a framework from the result": the top k ticked, the facilitator edits, one new version. */
  const drafts = {};  // question id -> {open, ticked ids}, kept across live re-renders
  function frameworkForm(q, r) {
    const draft = drafts[q.id] || (drafts[q.id] = { open: false, edited: null });
    // The live top k stays ticked until the facilitator edits the choice.
    const ticked = draft.edited || r.items.slice(0, q.params.k || 5).map((s) => s.skill_id);
    const names = Object.fromEntries(items.map((i) => [i.skill_id, i]));
    const status = el("p", { class: "small", role: "status" }, draft.done || "");
    const box = el("details", { class: "make-framework", open: draft.open, ontoggle: (e) => { draft.open = e.target.open; } },
      el("summary", {}, text.makeFramework),
      el("p", { class: "small muted" }, text.makeHint),
      el("ol", { class: "framework-pick" }, r.items.map((s) => el("li", {}, el("label", {},
        el("input", { type: "checkbox", checked: ticked.includes(s.skill_id), onchange: (e) => {
          const now = draft.edited || ticked;
          draft.edited = e.target.checked ? [...now, s.skill_id] : now.filter((id) => id !== s.skill_id);
        } }), ` ${(names[s.skill_id] || { name: "?" }).name}`)))),
      el("button", { type: "button", class: "primary", onclick: () => {
        const chosen = r.items.map((s) => s.skill_id).filter((id) => (draft.edited || ticked).includes(id));
        socket.emit("make_framework", { code, question_id: q.id, skill_ids: chosen }, (ack) => {
          if (!ack.ok) { alert(ack.message); return; }
          draft.done = text.made.replace("{name}", ack.name).replace("{n}", ack.skills);
          draft.url = ack.url;
          render();
        });
      } }, text.makeButton),
      status);
    if (draft.url) status.append(" ", el("a", { href: draft.url }, text.openFramework));
    return box;
  }

  function render() {
    panel.hidden = questions.length === 0;
    const anyShown = questions.some((q) => q.on_screen);
    panel.querySelector("[data-role=back]").hidden = !anyShown;
    panel.querySelector("[data-role=list]").replaceChildren(...questions.map((q, index) => {
      const r = results[q.id];
      const fresh = r && r.round === q.round;
      const kind = SB.kinds[q.kind];
      const note = state === "live" ? null : el("p", { class: "small muted" }, text.notLive);
      return el("article", { class: `list-q status-${q.status}${q.on_screen ? " on-screen" : ""}`, "data-question": q.id },
        el("div", { class: "detail-head" },
          el("div", {},
            el("h3", {}, `${index + 1}. ${SB.promptOf(q) || text[q.kind]}`),
            el("p", { class: "small muted" }, `${text[q.kind]} · ${STATUS[q.status] || q.status}${q.on_screen ? ` · ${text.onScreen}` : ""}`,
              q.revealed ? ` · ${text.shown}` : "", q.round > 1 ? ` · ${_("round {n}", { n: q.round })}` : "",
              fresh ? ` · ${r.n} / ${joined ?? r.joined} ${text.answered}` : "")),
          el("div", { class: "controls" },
            el("button", { class: "primary", disabled: state !== "live", title: state === "live" ? null : text.notLive,
              onclick: () => command("open_question", { question_id: q.id }) },
              q.on_screen && q.status === "open" ? text.showing : text.show),
            el("button", { disabled: state !== "live" || q.status === "pending",
              onclick: () => command("lock_question", { question_id: q.id, locked: q.status !== "locked" }) },
              q.status === "locked" ? text.unlock : text.lock),
            // Nothing to reveal before the question was on the phones; hiding is always possible.
            el("button", { disabled: q.status === "pending" && !q.revealed, title: q.status === "pending" && !q.revealed ? text.revealLater : null,
              onclick: () => command("reveal_question", { question_id: q.id, revealed: !q.revealed }) },
              q.revealed ? text.hide : text.reveal),
            el("button", { disabled: state !== "live" || q.status === "pending",
              onclick: () => confirm(text.revoteConfirm) && command("revote_question", { question_id: q.id }) }, text.revote))),
        note,
        fresh && r.n > 0 ? kind.results(q, items, r) : el("p", { class: "muted small" }, text.none),
        fresh && r.agreement && r.agreement.w !== null ? el("p", { class: "agreement" }, agreementText(r.agreement)) : null,
        fresh && r.n > 0 ? frameworkForm(q, r) : null);
    }));
  }

  panel.querySelector("[data-role=back]").addEventListener("click", () => command("clear_question", {}));
})();
