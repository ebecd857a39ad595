// The watch page's timeline: a scrub bar under the film that shows the storyboard thumbnails the
// media pipeline made (a sprite and a WebVTT track of "sprite.jpg#xywh=x,y,w,h" cues) while the
// juror hovers or drags it. Shown only when the player has such a track. No inline script (CSP).
(function () {
  "use strict";

  function seconds(stamp) {
    const parts = stamp.trim().split(":").map(Number);
    return parts.reduce(function (total, part) {
      return total * 60 + part;
    }, 0);
  }

  function parseCues(text, base) {
    const cues = [];
    text.split(/\r?\n\r?\n/).forEach(function (block) {
      const lines = block.split(/\r?\n/).filter(Boolean);
      const timing = lines.findIndex(function (line) {
        return line.includes("-->");
      });
      if (timing < 0 || !lines[timing + 1]) return;
      const [start, end] = lines[timing].split("-->");
      const [image, hash] = lines[timing + 1].trim().split("#xywh=");
      if (!hash) return;
      const [x, y, w, h] = hash.split(",").map(Number);
      cues.push({
        start: seconds(start),
        end: seconds(end.trim().split(/\s/)[0]),
        url: new URL(image, base).href,
        x: x,
        y: y,
        w: w,
        h: h,
      });
    });
    return cues;
  }

  function clock(value) {
    const total = Math.max(0, Math.floor(value));
    const minutes = Math.floor(total / 60);
    const secs = String(total % 60).padStart(2, "0");
    return minutes + ":" + secs;
  }

  function setUp(box) {
    const section = box.closest("section") || document;
    const video = section.querySelector("video.film-player");
    const track = video && video.querySelector('track[kind="metadata"][label="thumbnails"]');
    if (!track) return;
    const range = box.querySelector("input[type=range]");
    const preview = box.querySelector(".storyboard-preview");
    const frame = preview.querySelector(".storyboard-frame");
    const time = preview.querySelector(".storyboard-time");
    const base = new URL(track.getAttribute("src"), window.location.href);
    let cues = [];
    let dragging = false;

    function duration() {
      if (video.duration > 0 && Number.isFinite(video.duration)) return video.duration;
      return cues.length ? cues[cues.length - 1].end : 0;
    }

    function show(at) {
      const cue = cues.find(function (c) {
        return at >= c.start && at < c.end;
      }) || cues[cues.length - 1];
      if (!cue) return;
      frame.style.width = cue.w + "px";
      frame.style.height = cue.h + "px";
      frame.style.backgroundImage = 'url("' + cue.url + '")';
      frame.style.backgroundPosition = -cue.x + "px " + -cue.y + "px";
      time.textContent = clock(at);
      const width = range.getBoundingClientRect().width;
      const left = (duration() ? at / duration() : 0) * width;
      preview.style.left = Math.min(Math.max(left - cue.w / 2, 0), Math.max(width - cue.w, 0)) + "px";
      preview.hidden = false;
    }

    function atPointer(event) {
      const rect = range.getBoundingClientRect();
      const share = Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1);
      return share * duration();
    }

    function sync() {
      range.max = String(duration() || 0);
      if (!dragging) range.value = String(video.currentTime || 0);
      range.setAttribute("aria-valuetext", clock(Number(range.value)));
    }

    fetch(base.href, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (text) {
        cues = parseCues(text, base);
        if (!cues.length) return;
        // Right under the picture, above the player's other links.
        video.insertAdjacentElement("afterend", box);
        box.hidden = false;
        sync();
      })
      .catch(function () {
        // No thumbnails: the player's own controls still work.
      });

    range.addEventListener("pointermove", function (event) {
      show(dragging ? Number(range.value) : atPointer(event));
    });
    range.addEventListener("pointerdown", function () {
      dragging = true;
    });
    ["pointerup", "pointercancel"].forEach(function (type) {
      range.addEventListener(type, function () {
        dragging = false;
      });
    });
    range.addEventListener("pointerleave", function () {
      if (!dragging) preview.hidden = true;
    });
    range.addEventListener("input", function () {
      show(Number(range.value));
      video.currentTime = Number(range.value);
      range.setAttribute("aria-valuetext", clock(Number(range.value)));
    });
    range.addEventListener("focus", function () {
      show(Number(range.value));
    });
    range.addEventListener("blur", function () {
      preview.hidden = true;
    });
    ["timeupdate", "durationchange", "loadedmetadata"].forEach(function (type) {
      video.addEventListener(type, sync);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-storyboard]").forEach(setUp);
  });
})();
