/* Session set-up: the criteria read in the words of the item list picked (skills, sections, items). */
"use strict";
(() => {
  const select = document.getElementById("framework_id");  // absent when editing: the list is fixed
  if (!select) return;
  // Every kind's wording comes translated from the server (data-wordings); none is written here.
  const show = () => {
    const kind = select.selectedOptions[0]?.dataset.kind;
    if (!kind) return;
    document.querySelectorAll(".criteria-field [data-wordings], .list-questions [data-wordings]").forEach((element) => {
      const text = JSON.parse(element.dataset.wordings)[kind];
      if (text !== undefined) element.textContent = text;
    });
    document.querySelectorAll(".list-questions [data-placeholders]").forEach((element) => {
      const text = JSON.parse(element.dataset.placeholders)[kind];
      if (text !== undefined) element.placeholder = text;
    });
  };
  select.addEventListener("change", show);
  show();  // a list kept by the browser after "back" may differ from the one the page was made with
})();
