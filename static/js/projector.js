/* Projector view: the join card, the current skill, live answer counts (self-paced: the room's
   progress through every skill), revealed results, the comment wall. */
"use strict";
(() => {
  const { el, fmt, pct, _, ngettext } = SB;
  const WALL_MAX = 12;
  const root = document.getElementById("proj");
  const stage = document.getElementById("stage");
  const code = root.dataset.code;
  let session = null;
  let joined = 0;
  let finished = null;  // self-paced: how many gave every answer (docs/protocol.md, `finished`)
  let wall = { skill_id: null, comment_id: null, comments: [] };
  const results = {};   // skill_id -> revealed results
  const progress = {};  // skill_id -> {round, answered: {criterion id: n}}
  // A timed skill's time left, as the phones show it; one node, so that one timer runs however often the stage is drawn.
  const clock = el("span", { class: "proj-countdown", role: "timer" });

  const socket = io("/facilitator", { auth: { code, view: "projector" }, transports: ["websocket", "polling"] });
  let broadcasts = 0;  // session_updated and wall_updated shown: one may overtake a sync reply
  function sync() {
    const heard = broadcasts;
    socket.emit("sync", { code }, (ack) => {
      if (!ack.ok) return;
      const older = SB.isOlder(ack.session, session) || SB.isOlder(ack.wall, wall);
      if (broadcasts !== heard && older) { sync(); return; }  // a newer state came meanwhile
      session = SB.localise(ack.session);
      if (relocalise()) return;
      for (const r of ack.results) results[r.skill_id] = r;
      for (const p of ack.progress) progress[p.skill_id] = p;
      setFinished(ack.finished);
      wall = ack.wall;
      setCount(ack.participants);
      render();
    });
  }
  socket.on("connect", sync);
  socket.on("session_updated", (p) => {
    if (SB.isOlder(p, session)) return;  // overtaken by a newer state (several processes)
    broadcasts += 1;
    session = SB.localise(p, session);
    if (relocalise()) return;
    setCount(p.participants);
    render();
    if (SB.lacksTexts(session)) sync();  // a criterion or skill new to this page: its texts come with a sync
  });

  /* The page's words are in the session's language: after an edit of the set-up changed it, load
     the page again in the new one (true: it is reloading). */
  function relocalise() {
    if ((session.language || "") === root.dataset.language) return false;
    window.location.reload();
    return true;
  }
  socket.on("presence", (p) => { setCount(p.participants); setFinished(p.finished); render(); });
  socket.on("progress_updated", (p) => {
    for (const item of p.items) progress[item.skill_id] = item;
    setCount(p.participants);
    setFinished(p.finished);
    render();
  });
  socket.on("results_revealed", (p) => { for (const r of p.items) results[r.skill_id] = r; render(); });
  socket.on("wall_updated", (w) => {
    if (SB.isOlder(w, wall)) return;  // overtaken by a newer wall (several processes)
    broadcasts += 1;
    wall = w;
    render();
  });

  function setCount(n) {
    if (n === undefined) return;
    joined = n;
    SB.joinedLine(document.getElementById("joined-line"), n);
  }

  function setFinished(n) { if (n !== undefined) finished = n; }

  // Full screen: the button, or F on the keyboard.
  const fullButton = document.getElementById("fullscreen");
  function toggleFullScreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  }
  fullButton.addEventListener("click", toggleFullScreen);
  document.addEventListener("fullscreenchange", () => {
    const on = Boolean(document.fullscreenElement);
    fullButton.textContent = on ? _("Exit full screen") : _("Full screen");
    fullButton.setAttribute("aria-pressed", String(on));
  });
  document.addEventListener("keydown", (e) => {
    if ((e.key === "f" || e.key === "F") && !e.ctrlKey && !e.metaKey && !e.altKey) toggleFullScreen();
  });

  function render() {
    if (session) {  // the set-up may change while the projector shows it (an edit saved)
      SB.retitle(document.querySelector(".proj-title"), session.shown_title);
      root.dispatchEvent(new CustomEvent("sb:session", { detail: session }));  // list questions' second language
    }
    const live = Boolean(session) && session.state === "live";
    // Before voting the QR code is the point of the screen; once voting starts it keeps a corner.
    root.classList.toggle("voting", live);
    root.classList.toggle("ended", Boolean(session) && session.state === "closed");  // nobody joins any more
    if (!live) return show("lobby", waiting(session && session.state === "closed" ? _("Thank you!") : _("Scan the code to join.")));
    if (wall.skill_id !== null) return show("wall", wallView());
    const item = session.items.find((i) => i.skill_id === session.current_skill_id);
    if (!item) return session.pacing === "self" ? show("room", roomView()) : show("lobby", waiting(_("Get ready: the first skill is coming.")));
    const r = item.revealed ? results[item.skill_id] : null;
    const n = session.criteria.length;
    const many = `criteria-${n > 3 ? "many" : n}`;  // type shrinks as criteria share the width
    // A re-vote says so, as the dashboard does; revealed figures say the round they are of (until
    // the re-vote's first answer they are the round before's: docs/methodology.md, "Which round counts").
    const round = r ? r.round : item.round;
    return show(r ? `results ${many}` : `counting ${many}`,
      el("div", { class: "proj-head" },
        el("div", { class: "proj-cluster" }, item.cluster,
          item.round > 1 ? el("span", { class: "proj-round" }, `${item.cluster ? " · " : ""}${_("round {n}", { n: round })}`) : null),
        el("h2", { class: "proj-skill", lang: item.shown_language }, item.name),
        r ? null : el("p", { class: "proj-def", lang: item.shown_language }, item.definition),
        secondView(item, !r)),
      r ? resultsView(r) : countsView(item));
  }

  function show(mode, ...children) {
    stage.className = `stage-${mode.split(" ")[0]} ${mode.split(" ").slice(1).join(" ")}`.trim();
    stage.replaceChildren(...children);
  }

  /* The session's second language, when it has one: the skill's name (and definition while
     voting) again, smaller, where the framework has them in that language. */
  function secondView(item, withDefinition) {
    const second = session.second_language;
    const t = second && second !== item.shown_language ? (item.texts || {})[second] : null;
    if (!t || !t.name) return null;
    return el("div", { class: "proj-second", lang: second },
      el("p", { class: "proj-skill-2" }, t.name),
      withDefinition && t.definition ? el("p", { class: "proj-def-2" }, t.definition) : null);
  }

  function waiting(text) { return el("p", { class: "proj-wait" }, text); }

  function countsView(item) {
    const p = progress[item.skill_id];
    const counted = p && p.round === item.round ? p.answered : {};
    SB.countdown(clock, item.status === "open" ? item.locks_at : null);
    return el("div", {},
      el("p", { class: "proj-wait proj-prompt" }, el("span", {}, item.status === "locked" ? _("Voting closed.") : _("Vote on your phone.")),
        clock.textContent ? " " : null, clock.textContent ? clock : null),
      el("div", { class: "proj-counts" }, session.criteria.map((c) => {
        const n = counted[String(c.id)] || 0;
        const share = joined ? Math.min(100, (100 * n) / joined) : 0;
        return el("div", { class: "proj-count-card", "data-criterion": c.id },
          el("h3", {}, c.label),
          el("p", { class: "proj-progress" }, el("strong", {}, String(n)), ` ${_("of {n} answered", { n: joined })}`),
          el("div", { class: "proj-progress-track", role: "presentation" },
            el("span", { class: "proj-progress-fill", style: `width:${share.toFixed(1)}%` })));
      })));
  }

  /* Self-paced: how far the room is, in counts only (who answered what stays on the dashboard), so
     that the room sees the numbers grow and the facilitator sees when to move on. */
  function roomView() {
    const items = session.items;
    const cols = items.length > 14 ? 3 : items.length > 5 ? 2 : 1;
    const rows = Math.ceil(items.length / cols);
    return el("div", { class: "proj-room" },
      el("p", { class: "proj-wait proj-prompt" }, _("Answer on your phone, at your own pace.")),
      el("div", { class: "proj-figures" },
        figure("joined", ngettext("{n} joined", "{n} joined", joined, { n: "{n}" }), joined),
        finished === null ? null : figure("finished", ngettext("{n} finished", "{n} finished", finished, { n: "{n}" }), finished)),
      items.length ? el("h2", { class: "proj-skills-title" }, _("Answers per skill")) : null,
      items.length ? el("ol", { class: `proj-skills cols-${cols}${rows > 6 ? " dense" : ""}`, style: `--rows:${rows}` }, items.map((item) => {
        const n = skillAnswered(item);
        const share = joined ? Math.min(100, (100 * n) / joined) : 0;
        return el("li", { class: "proj-skill-row", "data-skill": item.skill_id },
          el("span", { class: "proj-skill-name", lang: item.shown_language, title: item.name }, item.name),
          el("strong", { class: "proj-skill-count" }, String(n)),
          el("span", { class: "proj-progress-track", role: "presentation" },
            el("span", { class: "proj-progress-fill", style: `width:${share.toFixed(1)}%` })));
      })) : null);
  }

  /* One big number in its phrase, in the plural form it takes ("3 osoby skończyły"). */
  function figure(name, phrase, n) {
    const [before, after = ""] = phrase.split("{n}");
    return el("p", { class: "proj-figure", "data-figure": name }, before, el("strong", {}, String(n)), after);
  }

  /* How many answered a skill in its open round: every criterion of it, as the dashboard's list counts. */
  function skillAnswered(item) {
    const p = progress[item.skill_id];
    if (!p || p.round !== item.round) return 0;
    const counts = session.criteria.map((c) => p.answered[String(c.id)] || 0);
    return counts.length ? Math.min(...counts) : 0;
  }

  function resultsView(r) {
    return el("div", { class: "proj-results" }, session.criteria.map((c) => {
      const s = r.criteria[c.id];
      return el("div", { class: "proj-criterion" }, el("h3", {}, c.label), SB.distribution(c, s),
        // No valid rating (none yet, or only "can't judge"): no median or share to show.
        el("p", { class: "proj-stats" }, s.n ? _("n = {n} · median {median} · {agree} agree", { n: s.n, median: fmt(s.median), agree: pct(s.pct_agree) })
          : _("No ratings.")));
    }));
  }

  function wallView() {
    const item = session.items.find((i) => i.skill_id === wall.skill_id);
    const single = wall.comment_id !== null;
    // A big room may star many: the wall stays readable with the first WALL_MAX, and says how many more.
    const shown = wall.comments.slice(0, WALL_MAX);
    const more = wall.comments.length - shown.length;
    const notes = shown.map((c) => el("blockquote", { class: "proj-note", "data-comment": c.id }, c.text));
    return el("div", { class: `proj-wall${single ? " single" : notes.length > 6 ? " many" : ""}` },
      el("h2", { class: "proj-wall-title" }, item ? _("What you said about {name}", { name: item.name }) : _("What you said about this skill")),
      notes.length ? el("div", { class: "proj-notes" }, notes)
        : el("p", { class: "proj-wait" }, _("Starred comments will appear here.")),
      more > 0 ? el("p", { class: "proj-more" }, ngettext("and {n} more starred comment", "and {n} more starred comments", more)) : null);
  }
})();
