/* The phone app: answers one skill at a time, keeps unsent answers safe across bad Wi-Fi. */
"use strict";
(() => {
  const { el } = SB;
  const root = document.getElementById("app");
  const code = root.dataset.code;
  const storeKey = `sb:pending:${code}`;
  const conn = document.getElementById("conn");
  const itemBox = document.getElementById("item");
  const waiting = document.getElementById("waiting");
  const progress = document.getElementById("progress");
  const notice = document.getElementById("notice");

  let session = null;          // last session payload from the server
  let answers = {};            // skill_id -> {ratings: {criterion_id: value}, comment}
  let results = {};            // skill_id -> revealed results
  let shownSkill = null;       // skill id on screen
  let selfPacedSkill = null;   // self-paced: where the participant is
  let maxComment = 2000;
  // Unsent work survives reloads: {ratings: {"skill:criterion": value}, comments: {skill: text}}
  let pending = JSON.parse(localStorage.getItem(storeKey) || '{"ratings":{},"comments":{}}');
  const savePending = () => localStorage.setItem(storeKey, JSON.stringify(pending));

  const socket = io("/participant", {
    auth: { token: root.dataset.token },
    transports: ["websocket", "polling"],
    reconnectionDelayMax: 4000,
  });

  function setConn(state, text) {
    conn.className = `conn conn-${state}`;
    conn.textContent = text;
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = !text;
    if (text) setTimeout(() => { if (notice.textContent === text) notice.hidden = true; }, 6000);
  }

  socket.on("connect", () => { setConn("ok", "online"); sync(); });
  socket.on("disconnect", () => setConn("wait", "offline – answers are kept"));
  socket.on("connect_error", (err) => {
    const data = err && err.data;
    if (data && data.error === "unknown_participant") {
      setConn("bad", "please join again");
      window.location.href = `/j/${code}`;
      return;
    }
    setConn("wait", "reconnecting…");
  });
  socket.on("session_updated", (payload) => { forgetOldRounds(payload); session = payload; render(); });
  socket.on("results_revealed", (payload) => {
    for (const r of payload.items) results[r.skill_id] = r;
    renderResults();
  });

  /* A re-vote starts a new round: the earlier ratings no longer count, so they must not look answered. */
  function forgetOldRounds(next) {
    if (!session) return;
    for (const item of next.items) {
      const before = itemById(item.skill_id);
      if (!before || before.round === item.round) continue;
      if (answers[item.skill_id]) answers[item.skill_id].ratings = {};
      for (const key of Object.keys(pending.ratings)) {
        if (key.startsWith(`${item.skill_id}:`)) delete pending.ratings[key];
      }
      savePending();
    }
  }

  function sync() {
    socket.timeout(8000).emit("sync", {}, (err, ack) => {
      if (err || !ack || !ack.ok) { setTimeout(sync, 2000); return; }
      session = ack.session;
      answers = ack.answers;
      maxComment = ack.max_comment_length;
      results = {};
      for (const r of ack.results) results[r.skill_id] = r;
      render();
      flush();
    });
  }

  /* Send everything not yet acknowledged; keep it when the network fails. */
  function flush() {
    if (!socket.connected) return;
    for (const [key, value] of Object.entries(pending.ratings)) {
      const [skill, criterion] = key.split(":").map(Number);
      socket.timeout(8000).emit("submit_rating", { skill_id: skill, criterion_id: criterion, value },
        (err, ack) => settle(err, ack, () => {
          if (pending.ratings[key] === value) delete pending.ratings[key];
          rememberAnswer(skill, criterion, value);
        }, () => { delete pending.ratings[key]; }));
    }
    for (const [skill, text] of Object.entries(pending.comments)) {
      socket.timeout(8000).emit("submit_comment", { skill_id: Number(skill), text },
        (err, ack) => settle(err, ack, () => {
          if (pending.comments[skill] === text) delete pending.comments[skill];
          answerOf(skill).comment = ack.text;
        }, () => { delete pending.comments[skill]; }));
    }
  }

  function settle(err, ack, onSaved, onRefused) {
    if (err) return;  // timed out: stays pending, sent again on reconnect
    if (ack.ok) onSaved(); else { onRefused(); showNotice(ack.message); }
    savePending();
    refreshMarks();
  }

  function answerOf(skill) {
    return (answers[skill] = answers[skill] || { ratings: {}, comment: "" });
  }
  function rememberAnswer(skill, criterion, value) { answerOf(skill).ratings[criterion] = value; }

  function currentValue(skill, criterion) {
    const key = `${skill}:${criterion}`;
    if (key in pending.ratings) return pending.ratings[key];
    return answerOf(skill).ratings[criterion];
  }

  function choose(skill, criterion, value) {
    pending.ratings[`${skill}:${criterion}`] = value;
    savePending();
    refreshMarks();
    flush();
  }

  function itemById(id) { return session.items.find((i) => i.skill_id === id); }

  function targetSkill() {
    if (!session || session.state !== "live") return null;
    if (session.pacing === "self") {
      if (selfPacedSkill === null || !itemById(selfPacedSkill)) {
        const firstOpen = session.items.find((i) => !isDone(i.skill_id)) || session.items[0];
        selfPacedSkill = firstOpen ? firstOpen.skill_id : null;
      }
      return selfPacedSkill;
    }
    return session.current_skill_id;
  }

  function isDone(skill) {
    return session.criteria.every((c) => currentValue(skill, c.id) !== undefined);
  }

  function render() {
    if (!session) return;
    const skill = targetSkill();
    if (session.state === "closed") {
      waiting.textContent = "This session has ended. Thank you for taking part!";
    } else if (session.state !== "live") {
      waiting.textContent = "You're in. Waiting for the facilitator to start…";
    } else if (skill === null) {
      waiting.textContent = "Waiting for the facilitator to open the first skill…";
    }
    waiting.hidden = skill !== null;
    itemBox.hidden = skill === null;
    renderProgress();
    if (skill === null) { shownSkill = null; return; }
    if (skill !== shownSkill) { shownSkill = skill; buildItem(itemById(skill)); }
    updateItemState(itemById(skill));
    refreshCommentBox();
    refreshMarks();
    renderResults();
  }

  function renderProgress() {
    const selfPaced = session && session.pacing === "self" && session.state === "live";
    progress.hidden = !selfPaced;
    if (!selfPaced) return;
    const done = session.items.filter((i) => isDone(i.skill_id)).length;
    progress.replaceChildren(
      el("span", { class: "progress-text" }, `${done} of ${session.items.length} done`),
      el("div", { class: "dots" }, session.items.map((i) => el("button", {
        class: `dot${isDone(i.skill_id) ? " done" : ""}${i.skill_id === selfPacedSkill ? " here" : ""}`,
        "aria-label": `${i.name}${isDone(i.skill_id) ? " (done)" : ""}`,
        onclick: () => { selfPacedSkill = i.skill_id; render(); },
      }, String(i.position + 1)))));
  }

  function buildItem(item) {
    const criteria = session.criteria.map((c) => el("fieldset", { class: "criterion", "data-criterion": c.id },
      el("legend", {}, c.question || c.label, el("span", { class: "saved-mark", "aria-live": "polite" })),
      el("div", { class: c.anchors.length > 5 ? "scale compact" : "scale" }, c.anchors.map((anchor, i) => {
        const value = c.scale_min + i;
        const label = anchor.replace(new RegExp(`^${value}\\b\\s*`), "");  // "9 Fully" -> "Fully", "2" -> ""
        return el("button", { type: "button", class: "scale-btn", "data-value": value,
          onclick: () => choose(item.skill_id, c.id, value) },
          el("span", { class: "scale-num" }, value), el("span", { class: "scale-anchor" }, label));
      })),
      el("button", { type: "button", class: "scale-btn cant", "data-value": "cant_judge",
        onclick: () => choose(item.skill_id, c.id, "cant_judge") }, "Can't judge")));
    const box = el("textarea", { id: "comment", maxlength: maxComment, rows: 3,
      placeholder: "Comment on this skill or its definition (optional)" });
    const draft = item.skill_id in pending.comments ? pending.comments[item.skill_id] : answerOf(item.skill_id).comment;
    box.value = box.dataset.shown = draft || "";
    const sendComment = () => {
      const text = box.value.trim();
      if (text === (answerOf(item.skill_id).comment || "") && !(item.skill_id in pending.comments)) return;
      pending.comments[item.skill_id] = text;
      savePending();
      refreshMarks();
      flush();
    };
    box.addEventListener("blur", sendComment);
    const nav = session.pacing === "self" ? el("div", { class: "self-nav" },
      el("button", { type: "button", onclick: () => step(-1) }, "‹ Previous"),
      el("button", { type: "button", class: "primary", onclick: () => { sendComment(); step(1); } }, "Next ›")) : null;
    itemBox.replaceChildren(
      el("div", { class: "item-head" },
        el("span", { class: "cluster" }, item.cluster),
        el("span", { class: "countdown", id: "countdown" })),
      el("h1", { class: "skill-name" }, item.name),
      el("p", { class: "definition" }, item.definition),
      el("p", { class: "locked-note", id: "locked-note", hidden: true }, "This skill is locked: answers can no longer change."),
      ...criteria,
      el("div", { class: "comment-box" },
        el("label", { for: "comment" }, "Comment", el("span", { class: "saved-mark", id: "comment-mark" })),
        box,
        el("button", { type: "button", class: "secondary", onclick: sendComment }, "Send comment")),
      el("div", { id: "results", class: "results" }),
      ...(nav ? [nav] : []));
  }

  /* The saved comment may arrive after the box was built (an update came before the sync reply):
     show it, unless the participant has typed in the box since. */
  function refreshCommentBox() {
    const box = document.getElementById("comment");
    if (!box || box.value !== box.dataset.shown) return;
    const text = shownSkill in pending.comments ? pending.comments[shownSkill] : answerOf(shownSkill).comment || "";
    box.value = box.dataset.shown = text;
  }

  function step(delta) {
    const index = session.items.findIndex((i) => i.skill_id === selfPacedSkill);
    const next = session.items[Math.min(Math.max(index + delta, 0), session.items.length - 1)];
    selfPacedSkill = next.skill_id;
    render();
    window.scrollTo(0, 0);
  }

  function updateItemState(item) {
    const locked = item.status !== "open";
    itemBox.classList.toggle("locked", locked);
    document.getElementById("locked-note").hidden = !locked;
    itemBox.querySelectorAll("button.scale-btn, .comment-box textarea, .comment-box button").forEach((b) => { b.disabled = locked; });
    SB.countdown(document.getElementById("countdown"), item.status === "open" ? item.locks_at : null);
  }

  function refreshMarks() {
    if (shownSkill === null || !session) return;
    for (const c of session.criteria) {
      const box = itemBox.querySelector(`[data-criterion="${c.id}"]`);
      if (!box) continue;
      const value = currentValue(shownSkill, c.id);
      const unsent = `${shownSkill}:${c.id}` in pending.ratings;
      box.querySelectorAll(".scale-btn").forEach((b) => {
        const v = b.dataset.value === "cant_judge" ? "cant_judge" : Number(b.dataset.value);
        b.classList.toggle("chosen", v === value);
        b.setAttribute("aria-pressed", v === value ? "true" : "false");
      });
      const mark = box.querySelector(".saved-mark");
      mark.textContent = value === undefined ? "" : unsent ? "sending…" : "✓ saved";
      mark.className = `saved-mark ${unsent ? "unsent" : value === undefined ? "" : "saved"}`;
    }
    const cm = document.getElementById("comment-mark");
    if (cm) {
      const unsent = shownSkill in pending.comments;
      const saved = !unsent && Boolean(answerOf(shownSkill).comment);
      cm.textContent = unsent ? "sending…" : saved ? "✓ saved" : "";
      cm.className = `saved-mark ${unsent ? "unsent" : saved ? "saved" : ""}`;
    }
    renderProgress();
  }

  function renderResults() {
    const box = document.getElementById("results");
    if (!box || shownSkill === null) return;
    const r = results[shownSkill];
    const item = session && itemById(shownSkill);
    if (!r || !item || !item.revealed) { box.replaceChildren(); return; }
    box.replaceChildren(el("h2", {}, "Results"), ...session.criteria.map((c) => {
      const s = r.criteria[c.id];
      return el("div", { class: "result" }, el("h3", {}, c.label),
        SB.distribution(c, s, { short: true }),
        el("p", { class: "muted small" }, `n = ${s.n}, median ${SB.fmt(s.median)}`));
    }));
  }

  setInterval(flush, 5000);  // belt and braces: retry anything unacknowledged
})();
