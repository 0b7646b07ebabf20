/* Framework editor: add, remove and reorder skill rows before saving. */
"use strict";
(() => {
  const rows = document.getElementById("skill-rows");
  const template = document.getElementById("skill-row-template");
  // Row numbers, and the names screen readers give each field and button, follow the order.
  const number = () => rows.querySelectorAll(".skill-row").forEach((row, i) => {
    row.querySelector(".pos").textContent = i + 1;
    row.querySelectorAll("input, textarea").forEach((input) => {
      input.setAttribute("aria-label", input.dataset.label.replace("{n}", i + 1));
    });
    row.querySelectorAll("button[data-label]").forEach((button) => {
      button.setAttribute("aria-label", button.dataset.label.replace("{n}", i + 1));
    });
  });
  const add = document.getElementById("add-skill");  // absent for those who may only read it
  if (!add) return;
  add.addEventListener("click", () => {
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
