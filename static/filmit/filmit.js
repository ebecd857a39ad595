// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before a destructive action: <button data-confirm="...">.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
  // Show the chosen file's size next to an upload field, before sending it.
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
    input.addEventListener("change", () => {
      const file = input.files[0];
      const note = document.getElementById(input.dataset.noteId);
      if (!file || !note) return;
      const max = Number(input.dataset.maxBytes);
      const tooBig = file.size > max;
      note.textContent = tooBig ? input.dataset.tooLarge : "";
      input.setCustomValidity(tooBig ? input.dataset.tooLarge : "");
    });
  });
});
