/* The review page follows the review live: when the dashboard room says something changed (an
   answer, a join, a visit, a new round), the page fetches its figures again, at most once a
   second, and replaces them: response rate, who has finished, the counts. No reload. */
"use strict";
(() => {
  const root = document.getElementById("review");
  if (!root || typeof io === "undefined") return;
  const parts = { counts: "review-counts", rate: "review-rate", people: "people-rows" };
  let timer = null;
  let busy = false;
  let again = false;

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(root.dataset.progress, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const shown = await response.json();
        for (const [key, id] of Object.entries(parts)) document.getElementById(id).innerHTML = shown[key];
        root.dataset.finished = shown.finished;
      }
    } catch (error) {
      again = true;  // offline for a moment: the next event or reconnect tries again
    } finally {
      busy = false;
      if (again) { again = false; later(); }
    }
  }

  function later() {
    if (!timer) timer = setTimeout(() => { timer = null; refresh(); }, 1000);
  }

  const socket = io("/facilitator", {
    auth: { code: root.dataset.code, view: "dashboard" }, transports: ["websocket", "polling"],
  });
  for (const event of ["results_updated", "session_updated", "presence", "open_answer_updated", "participant_removed"]) {
    socket.on(event, later);
  }
  socket.on("connect", later);  // after a reconnect: whatever happened meanwhile
})();
