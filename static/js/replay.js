// The session's replay on its record page: hls.js (vendored) plays each recorded part; the chapter buttons
// jump to a project's start, and the Q&A of the project being played is shown beside the video.
(() => {
  "use strict";
  const root = document.getElementById("replay");
  if (!root) return;
  const qa = [...root.querySelectorAll(".replay-qa-project")];
  const empty = root.querySelector("[data-replay-qa-empty]");

  function showQa(slotId) {
    qa.forEach((block) => block.classList.toggle("d-none", block.dataset.slotId !== slotId));
    empty.classList.toggle("d-none", qa.some((block) => block.dataset.slotId === slotId));
  }

  root.querySelectorAll(".replay-part").forEach((part) => {
    const video = part.querySelector("video");
    const url = part.dataset.playlist;
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ enableWorker: false }); // no blob: worker, so the CSP needs no worker-src
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
    }
    const chapters = [...part.querySelectorAll("[data-seek]")];
    part.addEventListener("click", (event) => {
      const button = event.target.closest("[data-seek]");
      if (!button) return;
      video.currentTime = Number(button.dataset.seek);
      video.play().catch(() => {});
    });
    video.addEventListener("timeupdate", () => {
      const current = chapters.filter((c) => Number(c.dataset.seek) <= video.currentTime + 0.25).pop();
      chapters.forEach((c) => c.classList.toggle("active", c === current));
      showQa(current ? current.dataset.slotId : null);
    });
  });
})();
