/* Framework editor: add, remove and reorder skill rows before saving. */
"use strict";
(() => {
  const rows = document.getElementById("skill-rows");
  const template = document.getElementById("skill-row-template");
  const number = () => rows.querySelectorAll(".skill-row .pos").forEach((td, i) => { td.textContent = i + 1; });
  document.getElementById("add-skill").addEventListener("click", () => {
    rows.append(template.content.cloneNode(true));
    number();
    rows.lastElementChild.querySelector("input").focus();
  });
  rows.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const row = button.closest("tr");
    if (button.hasAttribute("data-remove")) row.remove();
    else if (button.dataset.move === "-1" && row.previousElementSibling) row.previousElementSibling.before(row);
    else if (button.dataset.move === "1" && row.nextElementSibling) row.nextElementSibling.after(row);
    number();
  });
  if (!rows.children.length) document.getElementById("add-skill").click();
  number();
})();
