// Resumable upload of a film's video (tus protocol), with the vendored tus-js-client.
// Markup: templates/media_pipeline/_upload.html. Every text comes from its data-msg-*
// attributes, translated by the server. No inline script: the CSP forbids them.
(() => {
  "use strict";

  // Network cuts are retried for about five minutes before giving up; a page reload or
  // the "Reprendre" button resumes from the server's offset in any case.
  const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000, 60000, 120000];
  // Answers whose plain-text body is a message written for the teacher.
  const READABLE = [400, 403, 404, 409, 410, 413, 415, 422, 429];

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
  }

  function language() {
    return document.documentElement.lang || "fr";
  }

  function formatSize(bytes) {
    const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return new Intl.NumberFormat(language(), {
      style: "unit",
      unit: units[unit],
      unitDisplay: "short",
      maximumFractionDigits: unit < 2 ? 0 : 1,
    }).format(value);
  }

  function formatPercent(done, total) {
    const fraction = total ? Math.floor((done / total) * 1000) / 1000 : 0;
    return new Intl.NumberFormat(language(), {
      style: "percent",
      maximumFractionDigits: 1,
    }).format(fraction);
  }

  function csrfToken(widget) {
    if (widget.dataset.csrfToken) return widget.dataset.csrfToken;
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
  }

  function serverMessage(error) {
    const response = error && error.originalResponse;
    if (!response || !READABLE.includes(response.getStatus())) return "";
    const type = response.getHeader("Content-Type") || "";
    return type.startsWith("text/plain") ? (response.getBody() || "").trim() : "";
  }

  function setUp(widget) {
    if (widget.dataset.tusReady || typeof tus === "undefined" || !tus.isSupported) return;
    widget.dataset.tusReady = "1";

    const msg = widget.dataset;
    const filmId = widget.dataset.filmId;
    const endpoint = new URL(widget.dataset.endpoint, window.location.href).toString();
    const maxBytes = Number(widget.dataset.maxBytes) || 0;
    const input = widget.querySelector("[data-tus-file]");
    const startButton = widget.querySelector("[data-tus-start]");
    const pauseButton = widget.querySelector("[data-tus-pause]");
    const resumeButton = widget.querySelector("[data-tus-resume]");
    const progress = widget.querySelector("[data-tus-progress]");
    const status = widget.querySelector("[data-tus-status]");
    let upload = null;
    let sending = false;

    function say(text, isError = false) {
      status.textContent = text;
      status.classList.toggle("errorlist", isError);
    }

    function show(element, visible) {
      element.hidden = !visible;
    }

    function setSending(value) {
      sending = value;
      input.disabled = value;
      show(startButton, !value && !upload);
      show(pauseButton, value);
      show(resumeButton, !value && Boolean(upload));
    }

    function showProgress(done, total) {
      show(progress, true);
      progress.value = total ? (done / total) * 100 : 0;
      if (total && done === total) {
        say(msg.msgFinishing);
      } else {
        say(
          format(msg.msgProgress, {
            percent: formatPercent(done, total),
            sent: formatSize(done),
            total: formatSize(total),
          }),
        );
      }
    }

    // Same file, same film, same server: a later upload of it resumes this one.
    function fingerprint(file) {
      return Promise.resolve(
        ["filmit", filmId, file.name, file.type, file.size, file.lastModified, endpoint].join("-"),
      );
    }

    function whenOnline() {
      say(msg.msgOffline);
      window.addEventListener("online", () => upload && !sending && start(), { once: true });
    }

    // Until the page reloads, the widget tells what happened to the video: the media block's
    // own message (no video yet, or the previous version's state) would contradict it. The
    // mark is on the block itself, which the status polling never replaces.
    function quietMediaBlock() {
      const statusBlock = document.getElementById(`film-media-status-${filmId}`);
      const block = statusBlock && statusBlock.closest(".film-media");
      if (block) block.dataset.uploadFinished = "1";
    }

    function finished() {
      setSending(false);
      upload = null;
      show(resumeButton, false);
      show(startButton, false);
      progress.value = 100;
      say(msg.msgSuccess);
      const event = new CustomEvent("filmit:upload-complete", {
        bubbles: true,
        cancelable: true,
        detail: { filmId },
      });
      // A page that refreshes its media block itself cancels the event (htmx: listen
      // to filmit:upload-complete); otherwise the whole page is reloaded.
      if (widget.dispatchEvent(event)) {
        quietMediaBlock();
        window.setTimeout(() => window.location.reload(), 1500);
      }
    }

    function failed(error) {
      setSending(false);
      if (!navigator.onLine) {
        whenOnline();
        return;
      }
      const message = serverMessage(error);
      // Refused for good (not a video, too large, film closed): start over with another file.
      if (message) {
        upload = null;
        input.disabled = false;
        input.value = "";
        show(resumeButton, false);
        show(startButton, true);
        startButton.disabled = true;
        show(progress, false);
        say(message, true);
        return;
      }
      say(msg.msgError, true);
    }

    function start() {
      setSending(true);
      upload.start();
    }

    function prepare(file) {
      upload = new tus.Upload(file, {
        endpoint,
        chunkSize: Number(widget.dataset.chunkBytes) || 8 * 1024 * 1024,
        retryDelays: RETRY_DELAYS,
        metadata: { filename: file.name, filetype: file.type, film: String(filmId) },
        headers: { "X-CSRFToken": csrfToken(widget) },
        fingerprint,
        removeFingerprintOnSuccess: true,
        onProgress: showProgress,
        onSuccess: finished,
        onError: failed,
      });
      return upload.findPreviousUploads().then((previous) => {
        if (previous.length) {
          // The most recent attempt for this very file.
          previous.sort((a, b) => (a.creationTime < b.creationTime ? 1 : -1));
          upload.resumeFromPreviousUpload(previous[0]);
          return true;
        }
        return false;
      });
    }

    input.addEventListener("change", () => {
      const file = input.files[0];
      upload = null;
      show(resumeButton, false);
      show(progress, false);
      show(startButton, true);
      startButton.disabled = true;
      if (!file) {
        say("");
        return;
      }
      if (file.size === 0) {
        say(msg.msgEmpty, true);
        return;
      }
      if (maxBytes && file.size > maxBytes) {
        const sizes = { size: formatSize(file.size), limit: formatSize(maxBytes) };
        say(format(msg.msgTooLarge, sizes), true);
        return;
      }
      prepare(file).then((resuming) => {
        if (resuming) {
          say(msg.msgResuming);
          start();
        } else {
          startButton.disabled = false;
          say(format(msg.msgReady, { name: file.name, size: formatSize(file.size) }));
        }
      });
    });

    startButton.addEventListener("click", () => {
      if (upload && !sending) start();
    });

    pauseButton.addEventListener("click", () => {
      if (!upload || !sending) return;
      upload.abort().then(() => {
        setSending(false);
        say(format(msg.msgPaused, { percent: formatPercent(progress.value, 100) }));
      });
    });

    resumeButton.addEventListener("click", () => {
      if (upload && !sending) start();
    });

    window.addEventListener("beforeunload", (event) => {
      if (sending) {
        event.preventDefault();
        event.returnValue = msg.msgLeave;
      }
    });

    // Tell about an upload interrupted by a reload or a closed tab: the browser cannot
    // reopen the file by itself, the teacher chooses it again.
    if (tus.defaultOptions.urlStorage && tus.defaultOptions.urlStorage.findAllUploads) {
      tus.defaultOptions.urlStorage.findAllUploads().then((stored) => {
        const mine = stored.filter((entry) => (entry.metadata || {}).film === String(filmId));
        if (mine.length && !upload) {
          say(format(msg.msgPending, { name: mine[mine.length - 1].metadata.filename || "" }));
        }
      });
    }

    document.querySelectorAll("[data-tus-fallback]").forEach((form) => {
      form.hidden = true;
    });
    widget.hidden = false;
  }

  function setUpAll(root) {
    root.querySelectorAll("[data-tus-upload]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", () => setUpAll(document));
  // Content swapped in by htmx.
  document.addEventListener("htmx:load", (event) => setUpAll(event.target));
})();
