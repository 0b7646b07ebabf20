/* Buttons with data-copy put their text on the clipboard and say so. */
"use strict";
(() => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const label = button.textContent;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.textContent = "Copied ✓";
      } catch (_err) {  // no clipboard (plain http on some browsers): select the text instead
        const shown = button.previousElementSibling;
        if (shown) window.getSelection().selectAllChildren(shown);
        button.textContent = "Selected: copy it";
      }
      setTimeout(() => { button.textContent = label; }, 3000);
    });
  }
})();
