/* Helpers shared by the facilitator, projector and phone pages. */
"use strict";

/* Messages: window.SB_I18N comes from /i18n/<lang>.js (core/i18n.py, loaded by base.html before this
   file). _("Text with {name}", {name}) and ngettext("{n} answer", "{n} answers", n) are what
   `pybabel extract` finds; an untranslated message shows its English text. */
const SB_CATALOG = window.SB_I18N || { lang: "en", plural: (n) => (n === 1 ? 0 : 1), messages: {} };

window.SB = {
  lang: SB_CATALOG.lang,

  _(message, params) {
    const found = SB_CATALOG.messages[message];
    return SB.format(typeof found === "string" && found ? found : message, params);
  },

  ngettext(singular, plural, n, params) {
    const found = SB_CATALOG.messages[singular];
    const text = Array.isArray(found) ? found[SB_CATALOG.plural(n)] || found[found.length - 1]
      : n === 1 ? singular : plural;
    return SB.format(text, { n, ...params });
  },

  format(text, params) {
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));
  },

  /* Whether a session state is older than the one shown (docs/protocol.md, `revision`): a
     broadcast overtaken by a newer one, or a sync reply a newer broadcast overtook. A state
     without a revision (a server from before it) is never older. */
  isOlder(next, shown) {
    return Boolean(next && shown) && typeof next.revision === "number"
      && typeof shown.revision === "number" && next.revision < shown.revision;
  },

  /* Puts a session payload into this page's language, in place: preset criteria from their
     `i18n`, each skill from the framework's translations (`item.i18n`); where a skill lacks this
     language, the session's language when the framework has it, marked `lang_note`. Each item
     records what is shown in `shown_language` (the framework's own texts count as English).
     `{ fallback: false }`: no session's language in between (the facilitator's pages, which show
     the framework's own text where it lacks the page's language). */
  localise(session, previous, { fallback: viaSession = true } = {}) {
    if (!session || session._localised === SB.lang) return session;
    // A broadcast leaves the texts out: keep those of the last sync (docs/protocol.md).
    if (previous) {
      if (!session.i18n) session.i18n = previous.i18n;
      const criteria = Object.fromEntries((previous.criteria || []).map((c) => [c.id, c]));
      const items = Object.fromEntries((previous.items || []).map((i) => [i.skill_id, i]));
      for (const c of session.criteria || []) if (!c.i18n && criteria[c.id]) c.i18n = criteria[c.id].i18n;
      for (const i of session.items || []) if (!i.i18n && items[i.skill_id]) i.i18n = items[i.skill_id].i18n;
    }
    const lang = SB.lang;
    const fallback = viaSession ? session.language || "" : "";
    for (const c of session.criteria || []) {
      c.texts = { ...(c.i18n || {}), en: { label: c.label, question: c.question, anchors: c.anchors, cant_judge: c.cant_judge } };
      const t = (c.i18n || {})[lang];
      // A session's own "can't judge" is in its words: another language without a translation
      // gets the catalog's.
      if (lang !== "en") c.cant_judge = (t && t.cant_judge) || null;
      if (!t) continue;
      if (t.label) c.label = t.label;
      if (t.question) c.question = t.question;
      if (t.anchors) c.anchors = t.anchors;
    }
    for (const item of session.items || []) {
      const texts = item.i18n || {};
      item.texts = { ...texts, en: { name: item.name, definition: item.definition, cluster: item.cluster } };
      let shown = "en";
      if (lang !== "en" && texts[lang] && texts[lang].name) shown = lang;
      else if (lang !== "en" && fallback && fallback !== "en" && texts[fallback] && texts[fallback].name) shown = fallback;
      if (shown !== "en") {
        item.name = texts[shown].name;
        if (texts[shown].definition) item.definition = texts[shown].definition;
        if (texts[shown].paragraphs) item.paragraphs = texts[shown].paragraphs;  // a guide section's text
      }
      // A cluster's name follows the reader's language even where the skill's text falls back.
      const cluster = (texts[lang] || {}).cluster || (texts[shown] || {}).cluster;
      if (lang !== "en" && cluster) item.cluster = cluster;
      item.shown_language = shown;
      item.lang_note = shown !== lang;
    }
    const title = ((session.i18n || {})[lang] || {}).title;
    session.shown_title = title || session.title;
    session._localised = lang;
    return session;
  },

  /* Whether a localised session has a criterion or skill without texts: one a broadcast brought
     (a set-up edit's broadcast overtaken by a later one, docs/protocol.md), which is shown in
     English until a `sync` brings its texts. */
  lacksTexts(session) {
    return Boolean(session) && [...(session.criteria || []), ...(session.items || [])].some((x) => !x.i18n);
  },

  /* Shows a session title changed by an edit of the set-up in `element` and in the browser tab's
     title, which names the session in its own words ("Dashboard – <title>", "Join <title>"). */
  retitle(element, title) {
    if (!element || !title) return;
    const before = element.textContent;
    if (before && before !== title && document.title.includes(before)) document.title = document.title.replace(before, title);
    element.textContent = title;
  },

  /* A page's list questions kept current (docs/protocol.md, section 4): `ask(take)` sends
     `sync_questions` (each page its own way) and hands the reply to `take`; a reply that a newer
     `questions_updated` overtook meanwhile is asked again, and a broadcast older than the state
     shown is ignored (`revision`). `synced(reply)` and `updated(broadcast)` get what is taken.
     Returns `sync`, to call on (re)connection. */
  questionFeed(socket, ask, synced, updated) {
    let dated = null;  // the questions' state shown, dated by the session's revision
    let broadcasts = 0;  // questions_updated taken: one may overtake a sync reply
    function sync() {
      const heard = broadcasts;
      ask((ack) => {
        if (broadcasts !== heard && SB.isOlder(ack, dated)) { sync(); return; }  // a newer state came meanwhile
        dated = ack;
        synced(ack);
      });
    }
    socket.on("questions_updated", (p) => {
      if (SB.isOlder(p, dated)) return;  // overtaken by a newer state (several processes)
      dated = p;
      broadcasts += 1;
      updated(p);
    });
    return sync;
  },

  /* "<n> joined" in `line`, the number in its `#participants` (which tests and scripts read) and
     the words around it in this page's language, singular or plural ("1 liittynyt", "3 liittynyttä"). */
  joinedLine(line, n) {
    const number = line.querySelector("#participants");
    // The form for n, with its placeholder kept ({ n: "{n}" }), to put the number element in its place.
    const [before, after = ""] = SB.ngettext("{n} joined", "{n} joined", n, { n: "{n}" }).split("{n}");
    number.textContent = n;
    line.replaceChildren(before, number, after);
  },

  /* A list question's prompt in this page's language: the session's translation (`i18n`), else its own. */
  promptOf(q) {
    return ((q.i18n || {})[SB.lang] || {}).prompt || q.prompt || "";
  },

  /* A language's name in this page's language ("pl" -> "polacco" on an Italian page). */
  languageName(code) {
    try { return new Intl.DisplayNames([SB.lang], { type: "language" }).of(code) || code; } catch (e) { return code; }
  },

  /* A number the local way (0.5 in English, 0,5 in Italian), without thousands separators. */
  num(x, digits = 2) {
    return Number(x).toLocaleString(SB_CATALOG.lang, { maximumFractionDigits: digits, useGrouping: false });
  },

  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key === "text") node.textContent = value;
      else if (key === "style") node.style.cssText = value;  // CSSOM: allowed by the CSP, unlike a style attribute
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  },

  fmt(x, digits = 2) {
    if (x === null || x === undefined) return "–";
    // Trailing zeros go only after a decimal point: 60 with no decimals stays "60".
    const plain = Number(x).toFixed(digits).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
    return SB_CATALOG.lang === "en" ? plain : SB.num(Number(plain), digits);
  },

  pct(x) {
    if (x === null || x === undefined) return "–";
    return Number(x).toLocaleString(SB_CATALOG.lang, { style: "percent", maximumFractionDigits: 0 });
  },

  /* A text of the statistics engine (analysis/text.py as_data) in this page's language: its
     message from the catalog, its numbers the local way; a plain string stays as it is. */
  text(value) {
    if (value === null || value === undefined || typeof value !== "object") return value;
    if ("num" in value) {
      if (value.spec.endsWith("%")) return SB.pct(value.num);
      const digits = /^\.(\d)f$/.exec(value.spec);
      return Number(value.num).toLocaleString(SB_CATALOG.lang, digits
        ? { minimumFractionDigits: Number(digits[1]), maximumFractionDigits: Number(digits[1]), useGrouping: false }
        : { maximumFractionDigits: 6, useGrouping: false });
    }
    const found = SB_CATALOG.messages[value.msgid];
    const template = typeof found === "string" && found ? found : value.msgid;
    return template.replace(/%\((\w+)\)s/g, (whole, key) => (key in value.params ? String(SB.text(value.params[key])) : whole));
  },

  /* A horizontal distribution: one bar per scale point, labelled with its anchor. */
  distribution(criterion, summary, opts = {}) {
    const counts = (summary && summary.counts) || [];
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    const rows = criterion.anchors.map((anchor, i) => {
      const n = counts[i] || 0;
      return SB.el("div", { class: "bar-row" },
        SB.el("span", { class: "bar-label", title: anchor }, opts.short ? String(criterion.scale_min + i) : anchor),
        SB.el("span", { class: "bar-track" },
          SB.el("span", { class: "bar-fill", style: `width:${(100 * n / total).toFixed(1)}%` })),
        SB.el("span", { class: "bar-count" }, n));
    });
    return SB.el("div", { class: opts.short ? "distribution short" : "distribution" }, rows);
  },

  countdown(node, isoDeadline) {
    if (node._timer) clearInterval(node._timer);
    if (!isoDeadline) { node.textContent = ""; return; }
    const deadline = Date.parse(isoDeadline);
    const tick = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      const _ = SB._;
      node.textContent = left > 0 ? _("{n}s left", { n: left }) : _("time is up");
      if (left <= 0) clearInterval(node._timer);
    };
    tick();
    node._timer = setInterval(tick, 500);
  },

  /* How long the phone waits for an ack (ms) before it counts the event as lost. On a live connection
     an emit is not lost: the ack comes, however slow the server is (it answers server_error after
     60 s at the latest, services/rating_writer.py), or the connection drops (engine.io's ping sees a
     dead one within 30 s), which ends the wait at once, and the reconnect sends every answer not yet
     acknowledged again. A shorter wait only made the phone throw away an ack that was on its way
     and queue a second copy behind the first: 10,000 phones waiting 8 s sent 18,790 resends and
     took 58 s instead of 10 (bench/README.md, 2026-11-30). */
  ackWait: 75000,

  /* Which unacknowledged answers to send now. An answer in flight is not sent again (its ack, or
     its connection's end, comes first: ackWait); one whose wait ran out anyway waits 1-3 s, then
     2-6 s, 4-12 s ... (at most 22-67 s, random within each range) so a thousand phones facing a
     server in trouble do not all resend at once. A changed answer, or a new connection, sends at once. */
  resender() {
    const sending = {};  // id -> {value, inflight, tries, retryAt, attempt}
    let attempts = 0;
    return {
      due(id, value) {
        const s = sending[id];
        if (!s || s.value !== value) return true;
        return !s.inflight && Date.now() >= s.retryAt;
      },
      sent(id, value) {  // returns the attempt number the ack callback hands back
        const s = sending[id];
        attempts += 1;
        sending[id] = { value, inflight: true, tries: s && s.value === value ? s.tries : 0, retryAt: 0, attempt: attempts };
        return attempts;
      },
      timedOut(id, attempt) {
        const s = sending[id];
        if (!s || s.attempt !== attempt) return;
        s.inflight = false;
        s.tries += 1;
        const base = Math.min(45000, 1000 * 2 ** s.tries);
        s.retryAt = Date.now() + base / 2 + Math.random() * base;
      },
      done(id, attempt) { if (sending[id] && sending[id].attempt === attempt) delete sending[id]; },
      reconnected() { for (const s of Object.values(sending)) { s.inflight = false; s.retryAt = 0; } },
    };
  },

  /* A per-phone sequence number that only grows, across reloads: the server keeps the answer with
     the highest one, whatever order the answers arrive in (docs/protocol.md, "seq"). */
  sequence(storageKey) {
    return () => {
      const next = Math.max(Date.now(), Number(localStorage.getItem(storageKey) || 0) + 1);
      localStorage.setItem(storageKey, String(next));
      return next;
    };
  },
};
