// The film player: the browser's <video> with hls.js where Media Source Extensions exist,
// native HLS on Safari, and the MP4 <source> everywhere else. No inline script (CSP).
(function () {
  "use strict";

  function attach(video) {
    if (video.dataset.playerReady) return;
    video.dataset.playerReady = "1";
    const hlsSource = video.dataset.hlsSrc;
    if (!hlsSource) return; // the MP4 <source> plays as it is
    if (window.Hls && window.Hls.isSupported()) {
      // No web worker: the CSP allows scripts from this site only, not blob: workers.
      const hls = new window.Hls({ enableWorker: false, capLevelToPlayerSize: true });
      hls.on(window.Hls.Events.ERROR, function (_event, data) {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        // Signed URLs expire, networks fail: fall back to the progressive MP4.
        hls.destroy();
        video.removeAttribute("src");
        video.load();
      });
      hls.loadSource(hlsSource);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = hlsSource;
    }
  }

  function attachAll(root) {
    (root || document).querySelectorAll("video.film-player").forEach(attach);
  }

  document.addEventListener("DOMContentLoaded", function () {
    attachAll(document);
  });
  // A player swapped in by htmx when a new version becomes ready.
  document.addEventListener("htmx:load", function (event) {
    attachAll(event.detail.elt.parentNode || event.detail.elt);
  });
})();
