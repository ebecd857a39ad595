// The scoring form, live: each score is read as the server reads it (7,5 or 7.5, whatever the
// browser's language), one message per invalid score, the "il manque" list, the state badge and
// the score sur 20 shown only while every score is valid. The server's answer (htmx, after a
// pause in typing) then replaces these with its own, in the same words. "Valider mes notes"
// asks in a <dialog>; without JavaScript it leads to a confirmation page.
(function () {
  "use strict";

  const SCORE = /^-?\d+(?:[.,]\d+)?$/;

  // The same rule as judging.forms.juror.parse_score: null for what is not a score.
  function parseScore(text) {
    const value = text.trim();
    return SCORE.test(value) ? Number(value.replace(",", ".")) : null;
  }

  function shown(value, separator) {
    return String(Number(value.toFixed(2))).replace(".", separator);
  }

  // Compare in hundredths: scores have two decimals at most.
  function hundredths(value) {
    return Math.round(value * 100);
  }

  // The message for a score, or "" when it is empty or valid.
  function problem(input, separator) {
    const text = input.value.trim();
    if (text === "") return "";
    const data = input.dataset;
    const value = parseScore(text);
    if (value === null) return data.messageInvalid;
    const low = Number(data.min);
    const high = Number(data.max);
    const step = Number(data.step);
    if (value < low || value > high) return data.messageScale;
    if (Math.abs(value * 100 - hundredths(value)) > 1e-6) return data.messagePlaces;
    if (step > 0 && (hundredths(value) - hundredths(low)) % hundredths(step) !== 0) {
      const below = low + Math.floor((value - low) / step) * step;
      return data.messageStep
        .replace("{below}", shown(below, separator))
        .replace("{above}", shown(Math.min(below + step, high), separator));
    }
    return "";
  }

  function showProblem(input, message) {
    const box = document.getElementById(input.id + "_errors");
    if (!box) return;
    const current = box.querySelector("li");
    if ((current ? current.textContent : "") === message) return;
    box.replaceChildren();
    if (message) {
      const list = document.createElement("ul");
      list.className = "errorlist";
      const item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
      box.appendChild(list);
    }
  }

  function setUp(form) {
    const separator = form.dataset.decimalSeparator || ",";
    const inputs = Array.from(form.querySelectorAll("input.score-input"));
    const dialog = document.getElementById("validate-dialog");

    // Returns the invalid and the missing inputs, after saying so on the page.
    function refresh(typed) {
      const invalid = [];
      const missing = [];
      inputs.forEach(function (input) {
        const message = problem(input, separator);
        if (typed === undefined || typed === input) showProblem(input, message);
        input.setAttribute("aria-invalid", message ? "true" : "false");
        if (message) invalid.push(input);
        if (input.dataset.required === "true" && (message || input.value.trim() === "")) {
          missing.push(input);
        }
      });
      const banner = form.querySelector("[data-missing]");
      const list = form.querySelector("[data-missing-list]");
      if (banner && list) {
        list.textContent = missing
          .map(function (input) {
            return input.dataset.criterion;
          })
          .join(", ");
        banner.hidden = missing.length === 0;
      }
      const on20 = form.querySelector("[data-on-20]");
      if (on20) on20.hidden = invalid.length > 0;
      const summary = form.querySelector("[data-invalid-summary]");
      if (summary) summary.hidden = invalid.length === 0;
      return { invalid: invalid, missing: missing };
    }

    function markDraft() {
      const badge = document.getElementById("evaluation-state");
      if (badge && badge.classList.contains("to_watch")) {
        badge.classList.replace("to_watch", "draft");
        badge.textContent = form.dataset.draftLabel;
      }
    }

    // The badge says "Brouillon" as soon as something the server will keep is typed.
    form.addEventListener("input", function (event) {
      const target = event.target;
      if (target.matches("input.score-input")) {
        refresh(target);
        if (target.value.trim() !== "" && !problem(target, separator)) markDraft();
      } else {
        markDraft();
      }
    });
    // After htmx puts the server's status in, the live state stays the one on screen.
    document.body.addEventListener("htmx:afterSettle", function () {
      refresh(null);
    });
    refresh(null);

    const validate = form.querySelector("[data-validate-dialog]");
    if (!validate || !dialog || typeof dialog.showModal !== "function") return;
    // The dialog's own button validates. htmx sends a form's drafts to the formaction of the
    // last button clicked in it: this one must not have any once the dialog takes over.
    validate.removeAttribute("formaction");
    validate.addEventListener("click", function (event) {
      event.preventDefault();
      const state = refresh();
      const first = state.invalid[0] || state.missing[0];
      if (first) {
        first.focus();
        return;
      }
      dialog.showModal();
    });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      button.addEventListener("click", function () {
        dialog.close();
        validate.focus();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("scoring-form");
    if (form && !form.querySelector("input.score-input:disabled")) setUp(form);
  });
})();
