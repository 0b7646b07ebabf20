/* The facilitator's live dashboard: pace the skills, watch results, moderate, decide. */
"use strict";
(() => {
  const { el, fmt, pct, _, ngettext } = SB;
  const root = document.getElementById("dash");
  const code = root.dataset.code;
  const conn = document.getElementById("conn");
  let session = null;
  let results = {};     // skill_id -> item results
  let comments = {};    // comment id -> comment
  let reasons = {};     // "participant:skill:criterion:round" -> a reason given with a round's answer
  let decisions = {};   // skill_id -> decision
  let completion = { total: 0, participants: [] };
  let selected = null;
  let decisionDraft = null;  // {skill, action, reason} not yet recorded
  let wall = { skill_id: null, comment_id: null, comments: [] };  // what the projector's comment wall shows
  /* Skills, criteria and the title in this page's language (the facilitator's) where the framework
     or the session has it, else as stored: the room's phones name a skill as the dashboard does. */
  const localise = (next, previous) => SB.localise(next, previous, { fallback: false });

  const socket = io("/facilitator", { auth: { code, view: "dashboard" }, transports: ["websocket", "polling"] });
  socket.on("connect", () => { conn.className = "conn conn-ok"; conn.textContent = _("online"); sync(); });
  socket.on("disconnect", () => {
    conn.className = "conn conn-wait"; conn.textContent = _("reconnecting…");
    syncing = 0; heardDuringSync = [];  // a sync's reply never comes on a dropped connection
  });
  socket.on("connect_error", () => { conn.className = "conn conn-bad"; conn.textContent = _("offline"); });
  let broadcasts = 0;  // session_updated and wall_updated shown: one may overtake a sync reply
  /* Events heard while a `sync` is on its way: its reply may have been read before them, and
     would put back what they changed (a comment sent meanwhile would vanish until the next sync).
     They are applied again on top of the reply; each one only sets what it tells. */
  let syncing = 0;
  let heardDuringSync = [];
  function live(event, handler) {
    socket.on(event, (p) => {
      if (syncing) heardDuringSync.push(() => handler(p));
      handler(p);
    });
  }
  socket.on("session_updated", (p) => {
    if (SB.isOlder(p, session)) return;  // overtaken by a newer state (several processes)
    broadcasts += 1;
    session = localise(p, session);
    setCount(p.participants);
    renderAll();
    if (SB.lacksTexts(session)) sync();  // a criterion or skill new to this page: its texts come with a sync
  });
  live("presence", (p) => {
    setCount(p.participants, p.connected);
    if (p.completion) { completion = p.completion; renderCompletion(); }
  });
  live("results_updated", (p) => {
    for (const r of p.items) results[r.skill_id] = r;
    setCount(p.participants);
    completion = p.completion;
    renderAll();
  });
  live("comment_updated", (p) => {
    for (const c of Object.values(comments)) {
      if (c.skill_id === p.skill_id && c.participant === p.participant) delete comments[c.id];
    }
    if (p.comment) comments[p.comment.id] = p.comment;
    renderComments();
  });
  live("reason_recorded", (r) => {
    if (r.reason === null) delete reasons[reasonKey(r)]; else reasons[reasonKey(r)] = r;  // null: cleared
    renderComments();
  });
  live("comment_moderated", (p) => { if (comments[p.comment_id]) comments[p.comment_id].state = p.state; renderComments(); });
  live("decision_recorded", (d) => { decisions[d.skill_id] = d; renderDetail(); });
  socket.on("wall_updated", (w) => {
    if (SB.isOlder(w, wall)) return;  // overtaken by a newer wall (several processes)
    broadcasts += 1;
    wall = w;
    renderComments();
  });
  socket.on("participant_removed", () => sync());  // comments, completion and counts change together

  function sync() {
    const heard = broadcasts;
    syncing += 1;
    socket.emit("sync", { code }, (ack) => {
      syncing = Math.max(syncing - 1, 0);
      if (!ack.ok) { alert(ack.message); return; }
      const older = SB.isOlder(ack.session, session) || SB.isOlder(ack.wall, wall);
      if (broadcasts !== heard && older) { sync(); return; }  // a newer state came meanwhile
      session = localise(ack.session);
      results = Object.fromEntries(ack.results.map((r) => [r.skill_id, r]));
      comments = Object.fromEntries(ack.comments.map((c) => [c.id, c]));
      reasons = Object.fromEntries(ack.reasons.map((r) => [reasonKey(r), r]));
      decisions = Object.fromEntries(ack.decisions.map((d) => [d.skill_id, d]));
      completion = ack.completion;
      wall = ack.wall;
      setCount(ack.participants, ack.connected);
      if (selected === null) selected = session.current_skill_id || (session.items[0] && session.items[0].skill_id);
      for (const again of heardDuringSync) again();  // what changed after the reply was read
      if (!syncing) heardDuringSync = [];
      renderAll();
    });
  }

  function reasonKey(r) { return `${r.participant}:${r.skill_id}:${r.criterion_id}:${r.round}`; }

  function command(event, payload) {
    socket.emit(event, { code, ...payload }, (ack) => { if (!ack.ok) alert(ack.message); });
  }

  /* show_wall and clear_wall answer with the wall: take it from the ack, not only from the broadcast. */
  function wallCommand(event, payload) {
    socket.emit(event, { code, ...payload }, (ack) => {
      if (!ack.ok) { alert(ack.message); return; }
      const next = { skill_id: ack.skill_id, comment_id: ack.comment_id, comments: ack.comments, revision: ack.revision };
      if (!SB.isOlder(next, wall)) wall = next;  // a newer wall_updated may have come first
      renderComments();
    });
  }

  function setCount(joined, connected) {
    if (joined !== undefined) SB.joinedLine(document.getElementById("joined-line"), joined);
    if (connected !== undefined) document.getElementById("connected").textContent = _("{n} connected", { n: connected });
  }

  document.querySelectorAll("[data-state]").forEach((b) => b.addEventListener("click", () => {
    const target = b.dataset.state;
    if (target === "closed" && !confirm(_("Close the session? Answers become read-only."))) return;
    command("set_state", { state: target });
  }));
  document.getElementById("round-all").addEventListener("click", () => {
    if (confirm(_("Start a new round for every skill? Phones see each skill's previous round and answer again."))) command("start_round", { scope: "all" });
  });
  document.getElementById("round-unmet").addEventListener("click", () => {
    if (confirm(_("Start a new round for the skills that do not meet the stopping rule?"))) command("start_round", { scope: "unmet" });
  });
  document.getElementById("sort-disagreement").addEventListener("change", renderItems);
  document.getElementById("comments-current").addEventListener("change", renderComments);
  document.getElementById("wall-show").addEventListener("click", () => wallCommand("show_wall", { skill_id: selected }));
  document.getElementById("wall-clear").addEventListener("click", () => wallCommand("clear_wall", {}));
  document.getElementById("remove-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const who = document.getElementById("remove-who").value.trim().toUpperCase();
    if (!who || !confirm(_("Remove {who}? Their answers and comments are deleted and leave every figure. This cannot be undone.", { who }))) return;
    socket.emit("remove_participant", { code, participant: who }, (ack) => {
      if (!ack.ok) { alert(ack.message); return; }
      document.getElementById("remove-who").value = "";
      sync();
    });
  });

  // Keyboard control, as on the buttons (see the keys help above the skill).
  const KEYS = {
    ArrowRight: () => step(1), n: () => step(1), ArrowLeft: () => step(-1), p: () => step(-1),
    l: () => { const i = selectedItem(); if (i && canLock(i)) command("lock_item", { skill_id: i.skill_id, locked: i.status !== "locked" }); },
    r: () => { const i = selectedItem(); if (i && canToggleReveal(i)) command("reveal_item", { skill_id: i.skill_id, revealed: !i.revealed }); },
    w: () => { if (wall.skill_id === selected) wallCommand("clear_wall", {}); else if (session.state === "live") wallCommand("show_wall", { skill_id: selected }); },
  };
  document.addEventListener("keydown", (e) => {
    const action = KEYS[e.key.length === 1 ? e.key.toLowerCase() : e.key];
    if (!action || !session || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest("input, select, textarea, [contenteditable]")) return;  // typing, not steering
    e.preventDefault();
    action();
  });

  function selectedItem() { return session.items.find((i) => i.skill_id === selected); }

  /* Nothing to reveal before the skill is on the phones (models/session.py); hiding is always possible. */
  function canToggleReveal(item) { return item.status !== "pending" || item.revealed; }

  /* Locked (or unlocked) once on the phones (models/session.py): a skill is skipped by not showing it. */
  /* Lock and Re-vote act on a skill that is (or was) on the phones this round (models/session.py, services/sessions.py). */
  function canLock(item) { return session.state === "live" && item.status !== "pending"; }

  /* Select the next (or previous) skill; in a live facilitator-paced session, show it on phones too. */
  function step(delta) {
    const order = [...session.items].sort((a, b) => a.position - b.position);
    const here = order.findIndex((i) => i.skill_id === selected);
    const next = order[here + delta];
    if (!next) return;
    selected = next.skill_id;
    renderAll();
    if (session.pacing === "facilitator" && session.state === "live") command("open_item", { skill_id: next.skill_id });
  }

  // The lifecycle (models/session.py): only offer the moves the server accepts.
  const NEXT_STATES = { draft: ["open", "live"], open: ["live", "closed"], live: ["closed"], closed: [] };

  function renderLeftOut() {
    document.getElementById("left-out").textContent = (session && session.left_out) || "";
  }

  function renderAll() {
    renderLeftOut();
    if (!session) return;
    // An edit of the set-up saved in another window may change the title.
    SB.retitle(document.querySelector(".dash-title"), session.shown_title);  // the tab's title too
    for (const title of document.querySelectorAll(".topbar-title")) title.textContent = session.shown_title;
    const state = document.getElementById("state");
    state.textContent = JSON.parse(state.dataset.words)[session.state] || session.state;  // the server's words
    state.className = `badge state-${session.state}`;
    document.querySelectorAll("[data-state]").forEach((b) => {
      b.disabled = !(NEXT_STATES[session.state] || []).includes(b.dataset.state);
    });
    renderItems();
    renderRounds();
    renderDetail();
    renderComments();
    renderCompletion();
  }

  /* Which skills meet the stopping rule, and the buttons that start a round for the whole session. */
  function renderRounds() {
    const live = session.state === "live";
    const all = Object.values(results);
    const ruled = all.some((r) => r.stop);
    const met = session.items.filter((i) => results[i.skill_id] && results[i.skill_id].stop && results[i.skill_id].stop.met);
    const unmet = session.items.length - met.length;
    document.getElementById("round-all").disabled = !live;
    const button = document.getElementById("round-unmet");
    button.hidden = !ruled;
    button.disabled = !live || unmet === 0 || met.length === 0;
    button.textContent = ngettext("New round: {n} skill not meeting the stopping rule", "New round: {n} skills not meeting the stopping rule", unmet);
    document.getElementById("stop-status").textContent = !ruled ? ""
      : met.length === 0 ? _("No skill meets the stopping rule yet.")
      : _("{n} of {total} meet the stopping rule: {codes}.", { n: met.length, total: session.items.length, codes: met.map((i) => i.code).join(", ") });
  }

  function answered(skill) {
    const r = results[skill];
    const counts = r ? Object.values(r.criteria).map((s) => s.n + s.n_abstain) : [];
    return counts.length ? Math.min(...counts) : 0;  // a session may ask list questions only
  }

  function renderItems() {
    let items = [...session.items];
    if (document.getElementById("sort-disagreement").checked) {
      items.sort((a, b) => ((results[b.skill_id] || {}).disagreement || 0) - ((results[a.skill_id] || {}).disagreement || 0));
    }
    document.getElementById("items").replaceChildren(...items.map((i) => el("li", {
      class: `item status-${i.status}${i.skill_id === selected ? " selected" : ""}${i.skill_id === session.current_skill_id ? " current" : ""}`,
      "data-skill": i.skill_id,
      onclick: () => { selected = i.skill_id; renderAll(); },
    }, el("span", { class: "item-name", lang: i.shown_language }, `${i.code} · ${i.name}`),
       el("span", { class: "item-meta" }, `${answered(i.skill_id)} ✓`, i.round > 1 ? ` · R${i.round}` : "",
          i.revealed ? ` · ${_("shown")}` : "", i.status === "locked" ? ` · ${_("locked")}` : i.status === "open" ? ` · ${_("open")}` : "",
          stopMet(i.skill_id) ? el("span", { class: "stop-met", title: _("meets the stopping rule") }, ` · ${_("stop")}`) : null))));
  }

  function stopMet(skill) { const r = results[skill]; return Boolean(r && r.stop && r.stop.met); }

  const STOP_WORDS = { consensus: _("consensus"), stability: _("stable answers"), max_rounds: _("rounds held") };

  function stopLine(r) {
    if (!r || !r.stop) return null;
    return el("p", { class: `stop-line small${r.stop.met ? " met" : ""}`, id: "stop-line" }, `${_("Stopping rule:")} `,
      r.stop.met ? el("strong", {}, _("met ({why})", { why: r.stop.because.map((b) => STOP_WORDS[b]).join(", ") })) : _("not met"));
  }

  /* Median and IQR per round, the share of changed answers and stability, per criterion (from round 2 on). */
  function movementBlock(r) {
    if (!r || !r.movement) return null;
    return el("div", { class: "movement", id: "movement" }, el("h3", {}, _("Movement between rounds")),
      session.criteria.map((c) => {
        const m = r.movement.criteria[c.id];
        const change = (round) => m.changes.find((x) => x.to === round);
        return el("table", { class: "table movement-table", "data-criterion": c.id },
          el("caption", {}, c.label),
          el("thead", {}, el("tr", {}, [_("Round"), "n", _("Median"), _("IQR"), _("Changed"), _("Net change"), _("Stable")].map((h) => el("th", {}, h)))),
          el("tbody", {}, m.rounds.map((f) => {
            const x = change(f.round);
            return el("tr", {}, el("td", {}, f.round), el("td", {}, f.n), el("td", {}, fmt(f.median)),
              el("td", {}, f.q1 === null ? "–" : `${fmt(f.iqr)} (${fmt(f.q1)}–${fmt(f.q3)})`),
              el("td", {}, x ? _("{share} of {n}", { share: pct(x.share_changed), n: x.n_paired }) : ""),
              el("td", {}, x ? pct(x.net_change) : ""),
              el("td", {}, x ? (x.stable === null ? "–" : x.stable ? _("yes") : _("no")) : ""));
          })));
      }));
  }

  const DECISIONS = ["keep", "revise", "discuss", "remove"];
  const ACTION_LABELS = { keep: _("Keep"), revise: _("Keep, revise definition"), discuss: _("Discuss and re-vote"),
    remove_candidate: _("Candidate for removal"), remove: _("Remove"), undecided: _("Undecided") };

  /* The statistics' codes (analysis/), in words: docs/methodology.md defines each. */
  const CONSENSUS_LABELS = { consensus: _("consensus"), consensus_against: _("consensus against"),
    no_consensus: _("no consensus"), too_few: _("too few"), appropriate: _("appropriate"),
    inappropriate: _("inappropriate"), uncertain: _("uncertain") };
  const FLAG_LABELS = { small_panel: _("small panel"), many_abstentions: _("many abstentions"),
    revise_wording: _("revise wording"), below_cvi_threshold: _("below the I-CVI threshold"),
    cvr_not_testable: _("CVR not testable"), cvr_not_significant: _("CVR not significant"),
    panel_disagreement: _("panel disagreement"), polarised: _("polarised") };
  const label = (labels, code) => labels[code] || (code || "").replace(/_/g, " ");

  function criterionBlock(c, s) {
    const stats = [
      [_("answered"), s.n], [_("can't judge"), s.n_abstain], [_("not yet"), s.not_answered],
      [_("median"), fmt(s.median)], [_("IQR"), fmt(s.iqr)], [_("mean"), fmt(s.mean)], [_("agree"), pct(s.pct_agree)],
    ];
    if (s.i_cvi !== null && s.i_cvi !== undefined) stats.push(["I-CVI", fmt(s.i_cvi)], ["k*", `${fmt(s.k_star)} ${SB.text((s.texts || {}).k_band || s.k_band) || ""}`]);
    if (c.measure === "essentiality") {
      stats.push(["CVR", fmt(s.cvr)], [_("needed"), s.cvr_testable ? _("{k} of {n}", { k: s.cvr_critical, n: s.n }) : _("not testable at this N")]);
    }
    return el("div", { class: "criterion-result", "data-criterion": c.id },
      el("h3", {}, c.label, " ", el("span", { class: `badge consensus-${s.consensus}` }, label(CONSENSUS_LABELS, s.consensus))),
      SB.distribution(c, s),
      el("dl", { class: "stats" }, stats.map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v)))),
      (s.flags || []).length ? el("p", { class: "small warn" }, s.flags.map((f) => label(FLAG_LABELS, f)).join(" · ")) : null,
      s.consensus_detail ? el("p", { class: "small muted" }, SB.text((s.texts || {}).consensus_detail || s.consensus_detail)) : null);
  }

  function renderDetail() {
    const box = document.getElementById("detail");
    const item = session && session.items.find((i) => i.skill_id === selected);
    if (!item) return;
    const r = results[item.skill_id];
    const live = session.state === "live";
    const decision = decisions[item.skill_id];
    // A decision being typed survives the live updates that re-render this panel.
    const draft = decisionDraft && decisionDraft.skill === item.skill_id ? decisionDraft : null;
    const typing = draft && document.activeElement && document.activeElement.id === "decision-reason";
    // Closed sessions are read-only: what was decided stays on show, but cannot change.
    const closed = session.state === "closed";
    const reason = el("input", { id: "decision-reason", placeholder: _("required unless undecided"), disabled: closed,
      value: draft ? draft.reason : decision ? decision.reason : "" });
    // No decision yet reads as undecided, never as the first action of the list.
    const stored = decision && decision.action !== "undecided" ? decision.action : "";
    const chosenAction = draft ? draft.action : stored;
    const action = el("select", { id: "decision-action", disabled: closed },
      el("option", { value: "", selected: chosenAction === "" }, _("— undecided —")),
      DECISIONS.map((a) => el("option", { value: a, selected: a === chosenAction }, ACTION_LABELS[a])));
    const keepDraft = () => { decisionDraft = { skill: item.skill_id, action: action.value, reason: reason.value }; };
    reason.addEventListener("input", keepDraft);
    action.addEventListener("change", keepDraft);
    // Through SB.el's child rules: parts that do not apply (null) are left out, never printed "null".
    box.replaceChildren(...el("div", {},
      el("div", { class: "detail-head" },
        el("div", {}, el("span", { class: "cluster" }, item.cluster), el("h2", { lang: item.shown_language }, `${item.code} · ${item.name}`),
          el("p", { class: "definition", lang: item.shown_language }, item.definition)),
        el("div", { class: "controls" },
          session.pacing === "facilitator" ? el("button", { class: "primary", disabled: !live,
            onclick: () => command("open_item", { skill_id: item.skill_id }) },
            item.skill_id === session.current_skill_id && item.status === "open" ? _("Showing") : _("Show on phones")) : null,
          el("button", { disabled: !canLock(item),
            title: live && item.status === "pending" ? _("Nobody is answering this skill yet: show it on the phones before locking it.") : null,
            onclick: () => command("lock_item", { skill_id: item.skill_id, locked: item.status !== "locked" }) },
            item.status === "locked" ? _("Unlock") : _("Lock")),
          el("button", { disabled: !canToggleReveal(item),
            title: canToggleReveal(item) ? null : _("Nobody is answering this skill yet: results can be revealed once it is on the phones."),
            onclick: () => command("reveal_item", { skill_id: item.skill_id, revealed: !item.revealed }) },
            item.revealed ? _("Hide results") : _("Reveal results")),
          el("button", { disabled: !canLock(item),
            title: live && item.status === "pending" ? _("Nobody is answering this skill yet: show it on the phones before starting a new round.") : null,
            onclick: () => confirm(_("Start a new round for this skill?")) && command("revote_item", { skill_id: item.skill_id }) },
            _("Re-vote")),
          el("span", { class: "countdown", id: "dash-countdown" }))),
      r ? el("p", { class: "suggestion" }, `${_("Suggested:")} `, el("strong", {}, ACTION_LABELS[r.suggested_action] || r.suggested_action),
            r.action_reasons.length ? ` — ${(r.action_reasons_i18n || r.action_reasons).map(SB.text).join("; ")}` : "", r.round > 1 ? ` (${_("round {n}", { n: r.round })})` : "",
            /* The figures keep the earlier round until the re-vote's first answer (docs/methodology.md, "Which round counts"). */
            r.open_round > r.round ? ` · ${_("round {open} open, no answers yet: figures of round {n}", { open: r.open_round, n: r.round })}` : "") : null,
      stopLine(r),
      el("div", { class: "criteria-results" }, session.criteria.map((c) => criterionBlock(c, r ? r.criteria[c.id] : emptySummary(c)))),
      movementBlock(r),
      el("form", { class: "decision", onsubmit: (e) => { e.preventDefault();
        const chosen = action.value || "undecided";
        socket.emit("record_decision", { code, skill_id: item.skill_id, action: chosen, reason: reason.value }, (ack) => {
          if (!ack.ok) { alert(ack.message); return; }
          decisionDraft = null;
        }); } },
        el("label", { for: "decision-action" }, _("Decision")), action,
        el("label", { for: "decision-reason" }, _("Reason")), reason, el("button", { disabled: closed }, _("Record")),
        decision ? el("span", { class: "small muted" }, ` ${_("recorded by {name}", { name: decision.decided_by })}`) : null)).childNodes);
    SB.countdown(document.getElementById("dash-countdown"), item.status === "open" ? item.locks_at : null);
    if (typing) { reason.focus(); reason.setSelectionRange(reason.value.length, reason.value.length); }
  }

  function emptySummary(c) {
    return { n: 0, n_abstain: 0, not_answered: 0, counts: c.anchors.map(() => 0), consensus: "too_few", flags: [] };
  }

  /* A room of 300: the comment stream and the participant chips can be searched, filtered and
     paged. The tools are made once (typing keeps its focus); only the lists are redrawn. */
  const PAGE = { comments: 40, chips: 60 };
  const view = { commentQuery: "", commentState: "all", commentLimit: PAGE.comments,
    chipQuery: "", chipFilter: "all", chipPage: 0 };

  function listTools(list, parts) {
    const box = el("div", { class: "list-tools" }, parts);
    list.before(box);
    return box;
  }

  const commentList = document.getElementById("comments");
  const commentMore = el("button", { type: "button", class: "secondary list-more", hidden: true,
    onclick: () => { view.commentLimit += PAGE.comments; renderComments(); } }, _("Show more"));
  const commentShown = el("span", { class: "small muted", role: "status", "aria-live": "polite" });
  listTools(commentList, [
    el("input", { type: "search", id: "comment-search", placeholder: _("Search comments"), "aria-label": _("Search comments"),
      oninput: (e) => { view.commentQuery = e.target.value.trim().toLowerCase(); view.commentLimit = PAGE.comments; renderComments(); } }),
    el("select", { id: "comment-state", "aria-label": _("Which comments"),
      onchange: (e) => { view.commentState = e.target.value; view.commentLimit = PAGE.comments; renderComments(); } },
      el("option", { value: "all" }, _("All comments")), el("option", { value: "starred" }, _("Starred")),
      el("option", { value: "visible" }, _("Not starred")), el("option", { value: "hidden" }, _("Hidden"))),
    commentShown]);
  commentList.after(commentMore);

  const chipBox = document.getElementById("completion");
  const chipSummary = el("span", { class: "small muted", role: "status", "aria-live": "polite" });
  const chipPrev = el("button", { type: "button", class: "secondary", "aria-label": _("Previous page"),
    onclick: () => { view.chipPage -= 1; renderCompletion(); } }, "‹");
  const chipNext = el("button", { type: "button", class: "secondary", "aria-label": _("Next page"),
    onclick: () => { view.chipPage += 1; renderCompletion(); } }, "›");
  const chipPageText = el("span", { class: "small" });
  const chipPager = el("span", { class: "pager", hidden: true }, chipPrev, chipPageText, chipNext);
  listTools(chipBox, [
    el("input", { type: "search", id: "participant-search", placeholder: _("Find a participant"), "aria-label": _("Find a participant"),
      oninput: (e) => { view.chipQuery = e.target.value.trim().toUpperCase(); view.chipPage = 0; renderCompletion(); } }),
    el("select", { id: "participant-filter", "aria-label": _("Which participants"),
      onchange: (e) => { view.chipFilter = e.target.value; view.chipPage = 0; renderCompletion(); } },
      el("option", { value: "all" }, _("Everyone")), el("option", { value: "todo" }, _("Not finished")),
      el("option", { value: "offline" }, _("Offline"))),
    chipPager, chipSummary]);

  function renderComments() {
    const onlyCurrent = document.getElementById("comments-current").checked;
    const names = session ? Object.fromEntries(session.items.map((i) => [i.skill_id, i.code])) : {};
    const q = view.commentQuery;
    const all = Object.values(comments).filter((c) => !onlyCurrent || c.skill_id === selected);
    const list = all.filter((c) => (view.commentState === "all" || c.state === view.commentState)
        && (!q || c.text.toLowerCase().includes(q) || c.participant.toLowerCase().includes(q)
          || (names[c.skill_id] || "").toLowerCase().includes(q)))
      .sort((a, b) => (b.state === "starred") - (a.state === "starred") || a.created_at.localeCompare(b.created_at));
    const onWall = new Set(wall.comments.map((c) => c.id));
    const given = Object.values(reasons).filter((x) => !onlyCurrent || x.skill_id === selected);
    document.getElementById("comment-count").textContent = given.length ? `(${all.length} · ${ngettext("{n} round reason", "{n} round reasons", given.length)})` : `(${all.length})`;
    const shown = list.slice(0, view.commentLimit);
    commentShown.textContent = shown.length < all.length ? _("{k} of {n} shown", { k: shown.length, n: all.length }) : "";
    commentMore.hidden = shown.length >= list.length;
    renderWallTools(names);
    const labels = session ? Object.fromEntries(session.criteria.map((c) => [c.id, c.label])) : {};
    commentList.replaceChildren(...given.map((x) => el("li", { class: `comment reason-item${x.hidden ? " state-hidden" : ""}` },
      el("span", { class: "who" }, `${x.participant} · ${names[x.skill_id] || ""}`),
      el("span", { class: "text" }, el("span", { class: "reason-tag" }, _("Round {n} reason · {criterion} {value}", { n: x.round, criterion: labels[x.criterion_id] || "", value: x.value === "cant_judge" ? _("can't judge") : x.value })), " ", x.reason,
        // Rewritten after it was hidden: a new text, back with the panel until judged again.
        x.changed ? el("span", { class: "reason-changed" }, _("Changed after you hid it: the panel sees it again")) : null),
      el("span", { class: "tools" },
        // Reasons go back to the panel in the next round (anonymised); the facilitator may keep one out.
        el("button", { class: "link", title: _("Reasons are shown to the panel in the next round, without names"),
          onclick: () => command("hide_reason", { participant: x.participant, skill_id: x.skill_id, criterion_id: x.criterion_id, round: x.round, hidden: !x.hidden }) },
          x.hidden ? _("show to the panel") : _("hide from the panel"))))), ...shown.map((c) => el("li", {
      class: `comment state-${c.state}${onWall.has(c.id) ? " on-wall" : ""}` },
      el("span", { class: "who" }, `${c.participant} · ${names[c.skill_id] || ""}`),
      el("span", { class: "text" }, c.text),
      el("span", { class: "tools" },
        c.state === "starred" && session.state === "live" ? el("button", { class: "link", title: _("Show only this comment on the projector"),
          onclick: () => wallCommand("show_wall", { skill_id: c.skill_id, comment_id: c.id }) }, _("▶ project")) : null,
        el("button", { class: "link", onclick: () => command("moderate_comment", { comment_id: c.id, state: c.state === "starred" ? "visible" : "starred" }) },
          c.state === "starred" ? _("★ unstar") : _("☆ star")),
        el("button", { class: "link", onclick: () => command("moderate_comment", { comment_id: c.id, state: c.state === "hidden" ? "visible" : "hidden" }) },
          c.state === "hidden" ? _("show") : _("hide"))))));
  }

  function renderWallTools(names) {
    const up = wall.skill_id !== null;
    document.getElementById("wall-show").disabled = !session || session.state !== "live" || selected === null;
    document.getElementById("wall-clear").disabled = !up;
    const n = wall.comments.length;
    document.getElementById("wall-status").textContent = !up ? ""
      : wall.comment_id !== null ? _("On the projector: one comment on {name}", { name: names[wall.skill_id] })
      : ngettext("On the projector: {n} starred comment on {name}", "On the projector: {n} starred comments on {name}", n, { name: names[wall.skill_id] });
  }

  function renderCompletion() {
    const total = completion.total || 1;
    const everyone = completion.participants;
    const q = view.chipQuery;
    const list = everyone.filter((p) => (!q || p.participant.toUpperCase().includes(q))
      && (view.chipFilter === "all" || (view.chipFilter === "offline" ? p.online === false : p.answered < completion.total)));
    const pages = Math.max(1, Math.ceil(list.length / PAGE.chips));
    view.chipPage = Math.min(Math.max(view.chipPage, 0), pages - 1);
    chipPager.hidden = pages === 1;
    chipPrev.disabled = view.chipPage === 0;
    chipNext.disabled = view.chipPage === pages - 1;
    chipPageText.textContent = _("page {k} of {n}", { k: view.chipPage + 1, n: pages });
    const done = everyone.filter((p) => p.answered >= completion.total && completion.total > 0).length;
    const offline = everyone.filter((p) => p.online === false).length;
    // Each count a phrase of its own, in the plural form its number takes ("1 valmis", "3 valmista").
    chipSummary.textContent = [
      ngettext("{n} joined", "{n} joined", everyone.length),
      ngettext("{n} finished", "{n} finished", done),
      ngettext("{n} offline", "{n} offline", offline),
      ...(list.length < everyone.length ? [ngettext("{n} match", "{n} match", list.length)] : []),
    ].join(" · ");
    const page = list.slice(view.chipPage * PAGE.chips, (view.chipPage + 1) * PAGE.chips);
    chipBox.replaceChildren(...page.map((p) => el("span", {
      class: `who-chip${p.online === false ? " offline" : ""}`,
      title: `${_("{k} of {n} answers", { k: p.answered, n: completion.total })}${p.online === false ? ` · ${_("offline")}` : ""}` },
      p.participant, el("span", { class: "chip-bar", style: `width:${Math.round(100 * p.answered / total)}%` }))));
  }
})();
