// Site-wide behaviour, kept out of the HTML so the pages need no inline script.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
// Filter forms submit themselves when a select changes.
document.querySelectorAll("form[data-autosubmit] select").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
// List tables (table.table-stack) become cards on phones: each cell is labelled with its column's heading
// (CSS shows it before the value); cells under an empty heading hold the row's actions.
document.querySelectorAll("table.table-stack").forEach((table) => {
  const headings = Array.from(table.querySelectorAll(":scope > thead > tr:first-child > th"), (th) => th.textContent.trim());
  table.querySelectorAll(":scope > tbody > tr").forEach((row) => {
    let column = 0;
    Array.from(row.children).forEach((cell) => {
      const label = cell.colSpan > 1 ? "" : (headings[column] || "");
      column += cell.colSpan || 1;
      if (cell.hasAttribute("data-label")) return;  // the template labelled it itself
      cell.setAttribute("data-label", label);
      if (!label) cell.classList.add("stack-actions");
    });
  });
});
