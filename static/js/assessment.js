// Self-assessment on a phone: save each answer as soon as it is chosen; copy the personal code.
// The pages work without this file (the form posts on Next); it only saves earlier.
(function () {
  "use strict";
  const _ = (m) => (window.SB_I18N && window.SB_I18N.messages[m]) || m;
  const token = document.querySelector('meta[name="csrf-token"]').content;

  const form = document.getElementById("skill-form");
  if (form) {
    // One request at a time per question, then the latest choice: replies cannot arrive out of
    // order and leave an older answer stored (arrow keys fire a change per level passed).
    const busy = {};
    const pending = {};
    async function save(question, value, mark) {
      if (busy[question]) {
        pending[question] = value;
        return;
      }
      busy[question] = true;
      mark.textContent = _("saving…");
      try {
        const response = await fetch(form.dataset.answerUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify({ skill: form.dataset.skill, question: question, value: value }),
        });
        const ack = await response.json();
        mark.textContent = ack.ok ? _("✓ saved") : ack.message;
      } catch (error) {
        mark.textContent = _("not saved yet: it will be sent with Next");
      }
      busy[question] = false;
      if (pending[question] !== undefined) {
        const next = pending[question];
        delete pending[question];
        save(question, next, mark);
      }
    }
    form.addEventListener("change", (event) => {
      const input = event.target;
      if (input.type !== "radio") return;
      const mark = input.closest("fieldset").querySelector(".saved-mark");
      save(input.name, Number(input.value), mark);
    });
  }

  const print = document.querySelector("[data-print]");
  if (print) print.addEventListener("click", () => window.print());

  const copy = document.getElementById("copy-code");
  if (copy) {
    copy.addEventListener("click", async () => {
      const status = document.getElementById("copy-status");
      try {
        await navigator.clipboard.writeText(copy.dataset.copy);
        status.textContent = _("Copied.");
      } catch (error) {
        status.textContent = _("Copying is not allowed here: write the code down.");
      }
    });
  }
})();
