/* Projector view: QR and code, who joined, the current skill and, once revealed, its results. */
"use strict";
(() => {
  const { el, fmt, pct } = SB;
  const root = document.getElementById("proj");
  const code = root.dataset.code;
  let session = null;
  const results = {};

  const socket = io("/facilitator", { auth: { code, view: "projector" }, transports: ["websocket", "polling"] });
  socket.on("connect", () => socket.emit("sync", { code }, (ack) => {
    if (!ack.ok) return;
    session = ack.session;
    for (const r of ack.results) results[r.skill_id] = r;
    setCount(ack.participants);
    render();
  }));
  socket.on("session_updated", (p) => { session = p; setCount(p.participants); render(); });
  socket.on("presence", (p) => setCount(p.participants));
  socket.on("results_revealed", (p) => { for (const r of p.items) results[r.skill_id] = r; render(); });

  function setCount(n) { if (n !== undefined) document.getElementById("participants").textContent = n; }

  function render() {
    const stage = document.getElementById("stage");
    const item = session && session.items.find((i) => i.skill_id === session.current_skill_id);
    if (!session || session.state !== "live" || !item) {
      const text = session && session.state === "closed" ? "Thank you!" : "Scan the code to join.";
      stage.classList.remove("with-results");
      stage.replaceChildren(el("p", { class: "proj-wait" }, text));
      return;
    }
    const r = item.revealed ? results[item.skill_id] : null;
    stage.classList.toggle("with-results", Boolean(r));  // smaller headings so the bars fit on screen
    stage.replaceChildren(
      el("div", { class: "proj-cluster" }, item.cluster),
      el("h2", { class: "proj-skill" }, item.name),
      el("p", { class: "proj-def" }, item.definition),
      r ? el("div", { class: "proj-results" }, session.criteria.map((c) => {
        const s = r.criteria[c.id];
        return el("div", { class: "proj-criterion" }, el("h3", {}, c.label), SB.distribution(c, s),
          el("p", { class: "proj-stats" }, `n = ${s.n} · median ${fmt(s.median)} · ${pct(s.pct_agree)} agree`));
      })) : el("p", { class: "proj-wait small" }, item.status === "locked" ? "Voting closed." : "Vote on your phone."));
  }
})();
