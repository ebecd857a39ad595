// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before a destructive action: <button data-confirm="...">.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
  // Radios that choose a group of fields show only that group: <div data-shown-when="name=value">.
  // Without JavaScript every group stays visible and the server reads the chosen one.
  document.querySelectorAll("[data-shown-when]").forEach((group) => {
    const [name, value] = group.dataset.shownWhen.split("=");
    const radios = document.querySelectorAll(`input[type=radio][name="${name}"]`);
    const update = () => {
      const checked = Array.from(radios).find((radio) => radio.checked);
      group.hidden = Boolean(checked) && checked.value !== value;
    };
    radios.forEach((radio) => radio.addEventListener("change", update));
    update();
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
