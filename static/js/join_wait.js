/* The join page: before the lobby opens, ask now and then and go in by itself once it opens; on
   the form, ask less often and show the consent text and profile questions the facilitator
   edited meanwhile. */
"use strict";
(() => {
  const box = document.getElementById("not-open");
  const form = document.getElementById("join-form");
  const host = box || form;
  if (!host || !host.dataset.stateUrl) return;
  const url = host.dataset.stateUrl;
  const FIRST = box ? 2000 : 20000;
  // Forty phones asking every ten seconds is a handful of requests a second; on the form, where
  // people stay a minute, a check every twenty is enough for an edit of the consent text.
  const LONGEST = box ? 10000 : 20000;
  const BUSY = 60000;  // over this network's limit (429): ask much less, the join itself still works
  let delay = FIRST;
  let timer = null;

  function reload() { window.location.replace(window.location.href); }  // a GET, even after a refused join form

  async function check() {
    timer = null;
    if (document.hidden) return;  // a phone in a pocket does not ask; it asks again when shown
    try {
      const response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
      if (response.status === 429) { later(BUSY); return; }
      const body = await response.json();
      if (response.status === 404) { reload(); return; }
      if (body.ok && (box ? body.state !== "draft" : !body.accepts_joins)) { reload(); return; }
      if (body.ok && form && consentChanged(body)) return;
      if (body.ok && form) profileChanged(body);
    } catch (_error) {
      // no network for now: the next check will tell
    }
    later();
  }

  /* The facilitator edited the consent text: show the new one, and ask again (the box unticked),
     as a join sent with the old one would be refused (consent_changed). True: the page reloads. */
  function consentChanged(body) {
    const version = form.querySelector("input[name=consent_version]");
    const text = form.querySelector(".consent");
    if ((body.consent_version || "") === version.value) return false;
    if (!text || !body.consent_text) { reload(); return true; }  // a consent text added or taken away
    version.value = body.consent_version;
    text.textContent = body.consent_text;
    form.querySelector("input[name=consent]").checked = false;
    let note = form.querySelector("[data-role=consent-changed]");
    if (!note) {
      note = document.createElement("p");
      note.className = "flash";
      note.setAttribute("role", "alert");
      note.dataset.role = "consent-changed";
      note.textContent = form.dataset.consentChanged;
      text.before(note);
    }
    return false;
  }

  /* The facilitator edited the profile questions: draw them as the server now shows them (as
     join.html does), keeping each answer still offered, and say so. The server checks the answers
     of the join against the questions of then, so an answer no longer offered is not sent. */
  function profileChanged(body) {
    if (!body.profile_version || body.profile_version === form.dataset.profileVersion) return;
    form.dataset.profileVersion = body.profile_version;
    const holder = form.querySelector("[data-role=profile]");
    const chosen = new FormData(form);
    holder.replaceChildren(...body.profile_shown.map((q) => {
      const set = document.createElement("fieldset");
      set.className = "choices";
      const legend = document.createElement("legend");
      const optional = document.createElement("span");
      optional.className = "muted small";
      optional.textContent = form.dataset.optional;
      legend.append(`${q.label} `, optional);
      set.append(legend);
      for (const [key, shown] of q.choices) {
        const label = document.createElement("label");
        label.className = "choice";
        const input = document.createElement("input");
        Object.assign(input, { type: "radio", name: q.key, value: key, checked: chosen.get(q.key) === key });
        label.append(input, ` ${shown}`);
        set.append(label);
      }
      return set;
    }));
    if (!form.querySelector("[data-role=profile-changed]")) {
      const note = document.createElement("p");
      note.className = "flash";
      note.setAttribute("role", "status");
      note.dataset.role = "profile-changed";
      note.textContent = form.dataset.profileChanged;
      holder.before(note);
    }
  }

  function later(wait) {
    clearTimeout(timer);
    timer = setTimeout(check, (wait || delay) * (0.8 + 0.4 * Math.random()));  // phones spread out
    delay = Math.min(delay * 1.5, LONGEST);
  }

  function soon() {
    delay = FIRST;
    clearTimeout(timer);
    timer = setTimeout(check, 300 + 700 * Math.random());
  }

  document.addEventListener("visibilitychange", () => { if (!document.hidden) soon(); });
  window.addEventListener("online", soon);
  later();
})();
