/* The phone app: answers one skill at a time, keeps unsent answers safe across bad Wi-Fi. */
"use strict";
(() => {
  const { el, _, ngettext } = SB;
  const root = document.getElementById("app");
  const code = root.dataset.code;
  const storeKey = `sb:pending:${code}`;
  const draftKey = `sb:drafts:${code}`;
  const conn = document.getElementById("conn");
  const itemBox = document.getElementById("item");
  const finishBox = document.getElementById("finish");
  const waiting = document.getElementById("waiting");
  const progress = document.getElementById("progress");
  const notice = document.getElementById("notice");

  let session = null;          // last session payload from the server
  let answers = {};            // skill_id -> {ratings: {criterion_id: value}, comment}
  let results = {};            // skill_id -> revealed results
  let shownSkill = null;       // skill id on screen
  let shownKey = null;         // skill, round and whether own previous answers were known when built
  let selfPacedSkill = null;   // self-paced: where the participant is
  let finished = false;        // self-paced: the finish screen is on
  let maxComment = 2000;
  let broadcasts = 0;          // session_updated broadcasts shown: one may overtake a sync reply
  // Sent but not yet acknowledged; survives reloads: {ratings: {"skill:criterion": value}, comments: {skill: text}}
  const pending = JSON.parse(localStorage.getItem(storeKey) || '{"ratings":{},"comments":{}}');
  pending.reasons = pending.reasons || {};  // "skill:criterion" -> the reason sent with that answer
  const asking = {};  // "skill:criterion" -> an answer waiting for its reason (the session's round rule)
  const reasonDrafts = {};  // "skill:criterion" -> the reason being typed: kept when its box is built again
  pending.seqs = pending.seqs || {};  // "skill:criterion" -> the seq the rating was chosen with
  const savePending = () => localStorage.setItem(storeKey, JSON.stringify(pending));
  const nextSeq = SB.sequence(`sb:seq:${code}`);
  const resend = SB.resender();
  // Typed but not sent, per skill: stays on the device until the participant sends it.
  const drafts = JSON.parse(localStorage.getItem(draftKey) || "{}");
  const saveDrafts = () => localStorage.setItem(draftKey, JSON.stringify(drafts));

  const socket = io("/participant", {
    auth: { token: root.dataset.token, code: root.dataset.code },
    transports: ["websocket", "polling"],
    reconnectionDelayMax: 4000,
  });

  SB.phone = { socket, showNotice };  // list questions (static/js/kinds/phone.js) share the connection
  // Open questions' answers (static/js/open_questions.js): kept and resent as ratings are.
  const open = SB.openAnswers({ socket, code, resend, itemOf: (id) => session && itemById(id),
    notice: showNotice, changed: () => refreshMarks() });

  function setConn(state, text) {
    conn.className = `conn conn-${state}`;
    conn.textContent = text;
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = !text;
    if (text) setTimeout(() => { if (notice.textContent === text) notice.hidden = true; }, 8000);
  }

  socket.on("connect", () => { setConn("ok", _("online")); resend.reconnected(); refreshMarks(); sync(); });
  // Removed by the facilitator, or withdrawn from another tab: nothing more to send.
  socket.on("participant_removed", (p) => {
    socket.disconnect();
    setConn("bad", _("removed"));
    document.getElementById("app").replaceChildren(SB.el("p", { class: "card", role: "alert" }, p.message));
  });
  socket.on("disconnect", () => { setConn("wait", _("offline – answers are kept")); refreshMarks(); });
  socket.on("connect_error", (err) => {
    const data = err && err.data;
    if (data && data.error === "unknown_participant") {
      setConn("bad", _("please join again"));
      window.location.href = `/j/${code}`;
      return;
    }
    setConn("wait", _("reconnecting…"));
  });
  socket.on("session_updated", (payload) => {
    if (SB.isOlder(payload, session)) return;  // overtaken by a newer state (several processes)
    broadcasts += 1;
    const newRound = forgetOldRounds(payload);
    keepPrevious(payload);
    session = SB.localise(payload, session);
    render();
    // One's own previous answers are personal: they come with the sync reply; so do the texts of
    // a criterion or skill this phone has none for (in English until then).
    if (newRound || SB.lacksTexts(session)) sync();
  });
  socket.on("results_revealed", (payload) => {
    for (const r of payload.items) results[r.skill_id] = r;
    renderResults();
  });

  /* A re-vote starts a new round: the earlier ratings no longer count, so they must not look answered. */
  function forgetOldRounds(next) {
    if (!session) return false;
    let changed = false;
    for (const item of next.items) {
      const before = itemById(item.skill_id);
      if (!before || before.round === item.round) continue;
      changed = true;
      if (answers[item.skill_id]) answers[item.skill_id].ratings = {};
      for (const store of [pending.ratings, pending.reasons, pending.seqs, asking, reasonDrafts]) {
        for (const key of Object.keys(store)) if (key.startsWith(`${item.skill_id}:`)) delete store[key];
      }
      savePending();
    }
    // Self-paced and finished: a new round asks again, so go back to the first skill to answer.
    if (changed && finished) { finished = false; selfPacedSkill = null; }
    return changed;
  }

  /* A broadcast has no one's own answers of the previous round: keep those of the last sync. */
  function keepPrevious(next) {
    if (!session) return;
    for (const item of next.items) {
      const before = itemById(item.skill_id);
      if (before && before.round === item.round && item.previous === undefined) item.previous = before.previous;
    }
  }

  function sync() {
    const heard = broadcasts;
    socket.timeout(SB.ackWait).emit("sync", {}, (err, ack) => {
      if (err || !ack || !ack.ok) { setTimeout(sync, 2000); return; }
      // A newer broadcast came while this reply was on its way (slow Wi-Fi while the facilitator
      // moved on): keep the newer state and ask again, for one's own answers in it.
      if (broadcasts !== heard && SB.isOlder(ack.session, session)) { sync(); return; }
      session = SB.localise(ack.session);
      answers = ack.answers;
      open.loaded(ack.open_answers);
      maxComment = ack.max_comment_length;
      results = {};
      for (const r of ack.results) results[r.skill_id] = r;
      render();
      flush();
    });
  }

  /* Send everything not yet acknowledged and not in flight; keep it when the network fails. */
  function flush() {
    if (!socket.connected) return;
    open.flush();
    for (const [key, value] of Object.entries(pending.ratings)) {
      const id = `r:${key}`;
      if (!resend.due(id, value)) continue;
      const [skill, criterion] = key.split(":").map(Number);
      const seq = pending.seqs[key] || (pending.seqs[key] = nextSeq());
      const attempt = resend.sent(id, value);
      const payload = { skill_id: skill, criterion_id: criterion, value, seq,
        language: (itemById(skill) || {}).shown_language || "" };
      if (pending.reasons[key]) payload.reason = pending.reasons[key];
      socket.timeout(SB.ackWait).emit("submit_rating", payload,
        (err, ack) => settle(err, ack, id, attempt, () => {
          if (pending.ratings[key] === value) { delete pending.ratings[key]; delete pending.reasons[key]; delete pending.seqs[key]; }
          rememberAnswer(skill, criterion, ack.value);  // a superseded one: the later answer stored
        }, (refusal) => {
          delete pending.ratings[key];
          delete pending.reasons[key];
          delete pending.seqs[key];
          if (refusal.error === "reason_required") askReason(skill, criterion, value);
          const name = lockedFirst(refusal, skill);
          return name && _("Your answer on {name} was not saved: answers were closed before it arrived.", { name });
        }));
    }
    for (const [skill, text] of Object.entries(pending.comments)) {
      const id = `c:${skill}`;
      if (!resend.due(id, text)) continue;
      const attempt = resend.sent(id, text);
      socket.timeout(SB.ackWait).emit("submit_comment", { skill_id: Number(skill), text, language: SB.lang },
        (err, ack) => settle(err, ack, id, attempt, () => {
          if (pending.comments[skill] === text) delete pending.comments[skill];
          answerOf(skill).comment = ack.text;
          if (drafts[skill] !== undefined && drafts[skill].trim() === ack.text) { delete drafts[skill]; saveDrafts(); }
        }, (refusal) => {
          delete pending.comments[skill];
          // The text goes back into the comment box as not sent, for the participant to copy (unless
          // they typed another since); a draft is never sent by itself, and not to a locked skill.
          if (!(skill in drafts)) { drafts[skill] = text; saveDrafts(); }
          refreshCommentBox();
          const name = lockedFirst(refusal, skill);
          if (name && Number(skill) === shownSkill) {
            return _("Your comment on {name} was not saved: answers were closed before it arrived. It stays in the comment box, not sent.", { name });
          }
          return name && _("Your comment on {name} was not saved: answers were closed before it arrived.", { name });
        }));
    }
  }

  function settle(err, ack, id, attempt, onSaved, onRefused) {
    if (err) { resend.timedOut(id, attempt); return; }  // stays pending, sent again after a pause
    resend.done(id, attempt);
    if (ack.error === "server_busy") { setTimeout(flush, 2000); return; }  // nothing saved: keep, resend
    if (ack.ok) onSaved(); else showNotice(onRefused(ack) || ack.message);  // the refusal may say it better
    savePending();
    refreshMarks();
  }

  /* An answer kept on the phone (offline, say) that reached the server after its skill locked: the
     page already says the skill is locked; the notice says what became of the answer. */
  function lockedFirst(refusal, skill) {
    const item = refusal.error === "item_locked" ? itemById(skill) : null;
    return item ? item.name : "";
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

  /* The comment as last sent (acknowledged or on its way). */
  function sentComment(skill) {
    return skill in pending.comments ? pending.comments[skill] : answerOf(skill).comment || "";
  }
  function shownComment(skill) { return skill in drafts ? drafts[skill] : sentComment(skill); }

  /* An answer; one that the session's round rule asks a reason for waits for it (`reason`). */
  function choose(skill, criterion, value, reason) {
    const key = `${skill}:${criterion}`;
    const c = session.criteria.find((x) => x.id === criterion);
    if (reason === undefined && SB.needsReason(session.rounds && session.rounds.reason, itemById(skill), c, value)) {
      askReason(skill, criterion, value);
      return;
    }
    delete asking[key];
    delete reasonDrafts[key];  // sent with the answer (or none needed): the next reason starts blank
    showReasonBox(skill, criterion);
    pending.ratings[key] = value;
    pending.seqs[key] = nextSeq();
    if (reason) pending.reasons[key] = reason; else delete pending.reasons[key];
    savePending();
    refreshMarks();
    flush();
  }

  /* Only the participant sends a comment: a tap on "Send comment", or on their own way to another skill. */
  function sendComment(skill) {
    if (!(skill in drafts)) return;
    const item = itemById(skill);
    if (!item || item.status !== "open") return;
    pending.comments[skill] = drafts[skill].trim();
    delete drafts[skill];
    saveDrafts();
    savePending();
    refreshMarks();
    flush();
  }

  function askReason(skill, criterion, value) {
    asking[`${skill}:${criterion}`] = value;
    showReasonBox(skill, criterion);
    refreshMarks();
  }

  /* The reason question under a criterion's scale while an answer waits for it; nothing otherwise. */
  function showReasonBox(skill, criterion) {
    if (shownSkill !== skill) return;
    const box = itemBox.querySelector(`[data-criterion="${criterion}"]`);
    if (!box) return;
    const old = box.querySelector(".round-reason");
    if (old) old.remove();
    const key = `${skill}:${criterion}`;
    if (!(key in asking)) return;
    const value = asking[key];
    const ask = SB.reasonBox(session.rounds && session.rounds.reason, (text) => choose(skill, criterion, value, text));
    const text = ask.querySelector("textarea");
    if (reasonDrafts[key]) {  // another value tapped, or the form rebuilt by a sync: the words stay
      text.value = reasonDrafts[key];
      text.dispatchEvent(new Event("input"));
    }
    text.addEventListener("input", () => { reasonDrafts[key] = text.value; });
    box.append(ask);  // below the whole scale, "can't judge" included
    text.focus();
  }

  function itemById(id) { return session.items.find((i) => i.skill_id === Number(id)); }

  function targetSkill() {
    if (!session || session.state !== "live") return null;
    if (session.pacing === "self") {
      if (selfPacedSkill === null || !itemById(selfPacedSkill)) {
        const firstOpen = session.items.find((i) => !isDone(i.skill_id));
        finished = finished || (!firstOpen && session.items.length > 0);  // all answered: back at the end
        selfPacedSkill = (firstOpen || session.items[0] || { skill_id: null }).skill_id;
      }
      return finished ? null : selfPacedSkill;
    }
    return session.current_skill_id;
  }

  function isDone(skill) {
    return session.criteria.every((c) => currentValue(skill, c.id) !== undefined);
  }

  function render() {
    if (!session) return;
    SB.retitle(document.querySelector(".phone-title"), session.shown_title);  // an edit of the set-up may change it
    const skill = targetSkill();
    const finishing = finished && session.state === "live" && session.pacing === "self";
    if (session.state === "closed") {
      waiting.textContent = _("This session has ended. Thank you for taking part!");
    } else if (session.state !== "live") {
      waiting.textContent = _("You're in. Waiting for the facilitator to start…");
    } else if (skill === null) {
      waiting.textContent = _("Waiting for the facilitator to open the first skill…");
    }
    waiting.hidden = skill !== null || finishing;
    itemBox.hidden = skill === null;
    finishBox.hidden = !finishing;
    renderProgress();
    if (skill !== shownSkill) leaving(shownSkill, skill);
    if (finishing) renderFinish();
    if (skill === null) { shownSkill = null; return; }
    const item = itemById(skill);
    // A new round rebuilds the form, and so do texts that changed language: a broadcast that came
    // before the first sync reply has none (docs/protocol.md), and the form built from it was English.
    const words = [item.shown_language, item.name,
      ...session.criteria.map((c) => [c.id, c.label, c.question, ...c.anchors, c.cant_judge])].flat().join("\u0001");
    const key = `${skill}:${item.round}:${item.previous ? "mine" : ""}:${words}`;
    if (skill !== shownSkill || key !== shownKey) {
      shownSkill = skill; shownKey = key; buildItem(item);
      for (const c of session.criteria) if (`${skill}:${c.id}` in asking) showReasonBox(skill, c.id);
    }
    updateItemState(itemById(skill));
    for (const c of session.criteria) SB.refreshReasons(itemBox.querySelector(`[data-criterion="${c.id}"]`), item, c);
    refreshCommentBox();
    refreshMarks();
    renderResults();
  }

  /* The screen moves to another skill without the participant asking: say that a draft stays here. */
  function leaving(skill, next) {
    if (skill === null || !(skill in drafts) || drafts[skill].trim() === sentComment(skill).trim()) return;
    const item = itemById(skill);
    if (!item || next === skill) return;
    showNotice(_("Your comment on {name} was not sent. It is kept on this phone and comes back with that skill.", { name: item.name }));
  }

  /* Built once per list of skills and then updated in place, so that keyboard focus stays on its dot. */
  function renderProgress() {
    const selfPaced = session && session.pacing === "self" && session.state === "live";
    progress.hidden = !selfPaced;
    if (!selfPaced) return;
    const key = session.items.map((i) => i.skill_id).join(",");
    if (progress.dataset.key !== key) {
      progress.dataset.key = key;
      progress.replaceChildren(
        el("span", { class: "progress-text" }),
        el("div", { class: "dots" },
          session.items.map((i) => el("button", { type: "button", class: "dot", "data-skill": i.skill_id,
            onclick: () => goTo(i.skill_id) }, String(i.position + 1))),
          el("button", { type: "button", class: "finish-dot", onclick: finish }, _("Finish"))));
    }
    const done = session.items.filter((i) => isDone(i.skill_id)).length;
    progress.querySelector(".progress-text").textContent = _("{k} of {n} done", { k: done, n: session.items.length });
    for (const button of progress.querySelectorAll(".dot[data-skill]")) {
      const item = itemById(button.dataset.skill);
      const isHere = !finished && item.skill_id === selfPacedSkill;
      button.className = `dot${isDone(item.skill_id) ? " done" : ""}${isHere ? " here" : ""}`;
      // The name starts with the number shown, so that speech input ("press 3") finds it (WCAG 2.5.3).
      button.setAttribute("aria-label", `${item.position + 1} ${item.name}${isDone(item.skill_id) ? ` (${_("done")})` : ""}`);
      button.toggleAttribute("aria-current", isHere);
      if (isHere) button.setAttribute("aria-current", "step");
    }
    const end = progress.querySelector(".finish-dot");
    end.className = `finish-dot${finished ? " here" : ""}`;
    end.toggleAttribute("aria-current", finished);
    if (finished) end.setAttribute("aria-current", "step");
  }

  function buildItem(item) {
    const criteria = session.criteria.map((c) => {
      const group = `criterion-${c.id}`;
      const option = (value, label, extra) => el("label", { class: `scale-opt${extra}` },
        el("input", { type: "radio", class: "scale-btn", name: group, value: String(value), "data-value": value,
          onchange: () => choose(item.skill_id, c.id, value) }),
        el("span", { class: "scale-num" }, label[0]), " ", el("span", { class: "scale-anchor" }, label[1]));
      // The group is named by the question alone; the mark beside it is announced on its own.
      return el("fieldset", { class: "criterion", "data-criterion": c.id, "aria-labelledby": `${group}-q` },
        el("legend", {}, el("span", { id: `${group}-q` }, c.question || c.label),
          el("span", { class: "saved-mark", "aria-live": "polite" })),
        SB.roundFeedback(item, c, (value) => choose(item.skill_id, c.id, value)),
        el("div", { class: c.anchors.length > 5 ? "scale compact" : "scale" }, c.anchors.map((anchor, i) => {
          const value = c.scale_min + i;
          const text = anchor.replace(new RegExp(`^${value}\\b\\s*`), "");  // "9 Fully" -> "Fully", "2" -> ""
          return option(value, [String(value), text], "");
        })),
        option("cant_judge", ["", c.cant_judge || _("Can't judge")], " cant"));
    });
    const box = el("textarea", { id: "comment", maxlength: maxComment, rows: 3,
      placeholder: !session.list || session.list.kind === "skills" ? _("Comment on this skill or its definition (optional)")
        : session.list.kind === "guide" ? _("Comment on this section (optional)") : _("Comment on this item (optional)") });
    box.value = box.dataset.shown = shownComment(item.skill_id);
    box.addEventListener("input", () => {
      if (box.value.trim() === sentComment(item.skill_id).trim()) delete drafts[item.skill_id];
      else drafts[item.skill_id] = box.value;
      saveDrafts();
      refreshMarks();
    });
    const last = session.items[session.items.length - 1].skill_id === item.skill_id;
    const nav = session.pacing === "self" ? el("div", { class: "self-nav" },
      el("button", { type: "button", onclick: () => step(-1) }, _("‹ Previous")),
      el("button", { type: "button", class: "primary", onclick: () => (last ? finish() : step(1)) },
        last ? _("Finish ›") : _("Next ›"))) : null;
    itemBox.replaceChildren(
      el("div", { class: "item-head" },
        el("span", { class: "cluster" }, item.cluster),
        SB.roundBadge(item),
        el("span", { class: "countdown", id: "countdown" })),
      el("h1", { class: "skill-name", id: "skill-name", tabindex: "-1", lang: item.shown_language }, item.name),
      ...(item.definition ? [el("p", { class: "definition", lang: item.shown_language }, item.definition)] : []),
      ...(item.paragraphs.length ? [el("div", { class: "item-body" }, item.paragraphs.map((p) => el("p", {}, p)))] : []),
      ...(item.lang_note ? [el("p", { class: "lang-note muted small" },
        _("This skill is not yet translated into your language: it is shown in {language}.",
          { language: SB.languageName(item.shown_language) }))] : []),
      el("p", { class: "locked-note", id: "locked-note", hidden: true }, _("This skill is locked: answers can no longer change.")),
      ...criteria,
      ...open.boxes(item, session.open_questions || []),
      el("div", { class: "comment-box" },
        el("label", { for: "comment" }, _("Comment")),
        el("span", { class: "saved-mark", id: "comment-mark", "aria-live": "polite" }),
        el("p", { class: "muted small", id: "comment-rounds", hidden: true },
          _("One comment for all rounds: keep the one you sent or change it.")),
        box,
        el("button", { type: "button", class: "secondary", onclick: () => sendComment(item.skill_id) }, _("Send comment"))),
      el("div", { id: "results", class: "results" }),
      ...(nav ? [nav] : []));
  }

  /* The saved comment may arrive after the box was built (an update came before the sync reply):
     show it, unless the participant has typed in the box since. */
  function refreshCommentBox() {
    const box = document.getElementById("comment");
    if (!box || box.value !== box.dataset.shown) return;
    box.value = box.dataset.shown = shownComment(shownSkill);
  }

  /* The participant's own move to another skill (self-paced): what they typed goes with them. */
  function goTo(skill) {
    if (shownSkill !== null) sendComment(shownSkill);
    finished = false;
    selfPacedSkill = skill;
    render();
    window.scrollTo(0, 0);
    document.getElementById("skill-name").focus({ preventScroll: true });
  }

  function step(delta) {
    const index = session.items.findIndex((i) => i.skill_id === selfPacedSkill);
    goTo(session.items[Math.min(Math.max(index + delta, 0), session.items.length - 1)].skill_id);
  }

  function finish() {
    if (shownSkill !== null) sendComment(shownSkill);
    finished = true;
    render();
    window.scrollTo(0, 0);
    document.getElementById("finish-title").focus({ preventScroll: true });
  }

  function renderFinish() {
    SB.finishScreen(finishBox, {
      items: session.items.map((i) => ({
        skill_id: i.skill_id, name: i.name,
        missing: session.criteria.filter((c) => currentValue(i.skill_id, c.id) === undefined).map((c) => c.label),
        draft: i.skill_id in drafts,
      })),
      unsaved: Object.keys(pending.ratings).length + Object.keys(pending.comments).length + open.unsent(),
      online: socket.connected,
      goTo,
    });
  }

  function updateItemState(item) {
    const locked = item.status !== "open";
    itemBox.classList.toggle("locked", locked);
    document.getElementById("locked-note").hidden = !locked;
    itemBox.querySelectorAll("input.scale-btn, .comment-box button").forEach((b) => { b.disabled = locked; });
    // Read-only, not disabled: a text that came too late stays there, and can be selected and copied.
    itemBox.querySelectorAll(".comment-box textarea").forEach((b) => { b.readOnly = locked; });
    SB.countdown(document.getElementById("countdown"), item.status === "open" ? item.locks_at : null);
  }

  /* An answer not yet acknowledged: on its way, or, with no connection, waiting on this phone. */
  function unsentText() { return socket.connected ? _("sending…") : _("kept on this phone"); }

  function refreshMarks() {
    if (!session) return;
    if (finished && !finishBox.hidden) renderFinish();
    if (shownSkill === null) { renderProgress(); return; }
    for (const c of session.criteria) {
      const box = itemBox.querySelector(`[data-criterion="${c.id}"]`);
      if (!box) continue;
      const waiting = `${shownSkill}:${c.id}` in asking;
      const value = waiting ? asking[`${shownSkill}:${c.id}`] : currentValue(shownSkill, c.id);
      const unsent = `${shownSkill}:${c.id}` in pending.ratings;
      box.querySelectorAll("input.scale-btn").forEach((b) => {
        const v = b.value === "cant_judge" ? "cant_judge" : Number(b.value);
        b.checked = v === value;
        b.classList.toggle("chosen", v === value);
      });
      const mark = box.querySelector(".saved-mark");
      mark.textContent = waiting ? _("reason needed") : value === undefined ? "" : unsent ? unsentText() : _("✓ saved");
      mark.className = `saved-mark ${waiting || unsent ? "unsent" : value === undefined ? "" : "saved"}`;
    }
    const cm = document.getElementById("comment-mark");
    if (cm) {
      const draft = shownSkill in drafts;
      const unsent = !draft && shownSkill in pending.comments;
      const saved = !draft && !unsent && Boolean(answerOf(shownSkill).comment);
      cm.textContent = draft ? _("not sent") : unsent ? unsentText() : saved ? _("✓ saved") : "";
      cm.className = `saved-mark ${draft || unsent ? "unsent" : saved ? "saved" : ""}`;
      // A comment is one per skill, not per round (docs/protocol.md, submit_comment): in a re-vote
      // the box holds the one sent before, still saved, and says that it is that one.
      const item = itemById(shownSkill);
      document.getElementById("comment-rounds").hidden = !(item && item.round >= 2 && sentComment(shownSkill));
    }
    open.refresh();
    renderProgress();
  }

  function renderResults() {
    const box = document.getElementById("results");
    if (!box || shownSkill === null) return;
    const r = results[shownSkill];
    const item = session && itemById(shownSkill);
    if (!r || !item || !item.revealed) { box.replaceChildren(); return; }
    box.replaceChildren(el("h2", {}, _("Results")), ...session.criteria.map((c) => {
      const s = r.criteria[c.id];
      return el("div", { class: "result" }, el("h3", {}, c.label),
        SB.distribution(c, s, { short: true }),
        el("p", { class: "muted small" }, s.n ? _("n = {n}, median {median}", { n: s.n, median: SB.fmt(s.median) }) : _("No ratings.")));
    }));
  }

  setInterval(flush, 1000);  // sends what is due: answers whose pause after a timeout is over
})();
