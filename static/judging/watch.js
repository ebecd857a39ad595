// The watch page: tells the server which passages of the film the juror played, so that notes
// are validated only for a film actually watched. No inline script (CSP script-src 'self').
//
// A passage runs from where playback started (or resumed, or landed after a seek) to where it
// is now. It is sent every ~10 s of playback, and when the juror pauses, seeks, reaches the end
// or leaves the page. Media events do not bubble: they are caught on the document in the
// capture phase, so a player swapped in by htmx once the video is ready is followed too.
(function () {
  "use strict";

  const REPORT_EVERY = 10; // seconds of film
  const JUMP = 2; // seconds: a larger step between two timeupdates is a seek, not playback

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUp(section) {
    const url = section.dataset.progressUrl;
    const shown = section.querySelector("[data-watched-value]");
    let start = null; // where the current passage began
    let last = null; // the latest position played in it

    function send(video, from, to, keepalive) {
      if (!(to > from) || !(video.duration > 0)) return;
      const body = new URLSearchParams({
        start: from.toFixed(3),
        end: to.toFixed(3),
        duration: video.duration.toFixed(3),
        session: section.dataset.watchSession || "",
      });
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: Boolean(keepalive),
        headers: { "X-CSRFToken": csrfToken() },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && shown) shown.textContent = String(data.watched_percent);
        })
        .catch(function () {
          // Offline for a moment: the next report covers the passage again.
        });
    }

    function flush(video, keepalive) {
      if (start !== null && last !== null) send(video, start, last, keepalive);
      start = null;
      last = null;
    }

    function inside(event) {
      const video = event.target;
      return video instanceof HTMLVideoElement && section.contains(video) ? video : null;
    }

    document.addEventListener(
      "timeupdate",
      function (event) {
        const video = inside(event);
        // The last timeupdate of a film arrives once the player has paused at its end.
        if (!video || video.seeking || (video.paused && !video.ended)) return;
        const now = video.currentTime;
        if (start === null || now < last || now - last > JUMP) {
          flush(video);
          start = now;
        }
        last = now;
        if (last - start >= REPORT_EVERY) {
          send(video, start, last);
          start = last;
        }
      },
      true,
    );
    // Playback starts (or resumes) here: the first timeupdate only comes a moment later.
    document.addEventListener(
      "playing",
      function (event) {
        const video = inside(event);
        if (video && start === null) {
          start = video.currentTime;
          last = start;
        }
      },
      true,
    );
    document.addEventListener(
      "seeking",
      function (event) {
        const video = inside(event);
        if (video) flush(video);
      },
      true,
    );
    document.addEventListener(
      "seeked",
      function (event) {
        const video = inside(event);
        if (video && !video.paused) {
          start = video.currentTime;
          last = start;
        }
      },
      true,
    );
    // At the end of the film, "pause" comes first, then "ended": both close the passage.
    ["pause", "ended"].forEach(function (type) {
      document.addEventListener(
        type,
        function (event) {
          const video = inside(event);
          if (!video) return;
          if (video.ended && start !== null) last = video.duration;
          flush(video);
        },
        true,
      );
    });
    // Leaving the page mid-film: keepalive lets the last report outlive the page.
    window.addEventListener("pagehide", function () {
      const video = section.querySelector("video");
      if (video) flush(video, true);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-progress-url]").forEach(setUp);
  });
})();
