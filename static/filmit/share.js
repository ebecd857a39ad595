// The film page's "Partager / Intégrer" panel: copy buttons for the link and the embed code.
// Without this script the buttons stay hidden and the texts remain selectable fields.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("details.share").forEach((panel) => {
    const status = panel.querySelector(".share-status");
    panel.querySelectorAll("[data-copy]").forEach((button) => {
      const field = document.getElementById(button.dataset.copy);
      if (!field) return;
      button.hidden = false;
      button.addEventListener("click", () => {
        field.focus();
        field.select();
        const done = () => { status.textContent = panel.dataset.copied; };
        const failed = () => { status.textContent = panel.dataset.copyFailed; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, failed);
        } else {
          // Plain http (a school's local install): the older command still copies the selection.
          try {
            if (document.execCommand("copy")) done(); else failed();
          } catch (error) {
            failed();
          }
        }
      });
    });
    // A selected field is ready to copy by hand too.
    panel.querySelectorAll("input[readonly], textarea[readonly]").forEach((field) => {
      field.addEventListener("focus", () => field.select());
    });
  });
});
