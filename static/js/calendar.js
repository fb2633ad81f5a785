// Calendar subscription page: copy a feed address to the clipboard.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copyTarget);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      document.execCommand("copy"); // older browsers, or pages served over plain http
    }
    const label = button.innerHTML;
    button.textContent = button.dataset.copiedLabel;
    setTimeout(() => { button.innerHTML = label; }, 1500);
  });
});

// Template form: show the weekday or monthly fields only for the rule that uses them.
const ruleSelect = document.querySelector("select[name=rule]");
if (ruleSelect) {
  const sync = () => {
    document.querySelectorAll("[data-rule-only]").forEach((part) => {
      part.hidden = part.dataset.ruleOnly !== ruleSelect.value;
    });
  };
  ruleSelect.addEventListener("change", sync);
  sync();
}
