// The film page's audience: once the film has really played for data-play-seconds (30 s), one
// small POST to data-play-url, without cookies. Seeking does not count, nor does a jump (the
// time a seek or a loop skips); pauses stop the count. Nothing is stored in the browser.
(function () {
  "use strict";

  function watch(box) {
    const video = box.querySelector("video.film-player");
    const url = box.dataset.playUrl;
    const needed = parseFloat(box.dataset.playSeconds || "30");
    if (!video || !url || box.dataset.playWatched) return;
    box.dataset.playWatched = "1";
    let played = 0;
    let last = null;
    let sent = false;

    function forget() {
      last = null;
    }

    function send() {
      sent = true;
      box.dataset.playSent = "1";
      fetch(url, { method: "POST", credentials: "omit", keepalive: true }).catch(function () {});
    }

    video.addEventListener("seeking", forget);
    video.addEventListener("pause", forget);
    video.addEventListener("waiting", forget);
    video.addEventListener("timeupdate", function () {
      if (sent) return;
      const now = video.currentTime;
      if (video.paused || video.seeking || last === null) {
        last = now;
        return;
      }
      const step = now - last;
      last = now;
      // timeupdate fires a few times a second: a larger step is a jump, not playing time.
      if (step > 0 && step < 2 * Math.max(1, video.playbackRate)) played += step;
      if (played >= needed) send();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-play-url]").forEach(watch);
  });
})();
