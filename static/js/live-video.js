// The room's video: plays the session's HLS stream while the media server reports it live.
// hls.js (vendored) feeds Media Source Extensions; Safari plays HLS natively. live.js dispatches
// `live:stream` ({configured, state, hls_url}) on every state it learns, on connect and on each change.
(() => {
  "use strict";
  const root = document.getElementById("live-room");
  const video = document.getElementById("live-video-player");
  if (!root || !video) return;
  const t = document.getElementById("live-video").dataset;
  const badge = document.getElementById("live-video-state");
  const note = document.getElementById("live-video-note");
  let hls = null;
  let playing = null; // the URL being played

  function stop() {
    if (hls) hls.destroy();
    hls = null;
    playing = null;
    video.removeAttribute("src");
    video.load();
  }

  function play(url) {
    if (playing === url) return;
    stop();
    playing = url;
    if (window.Hls && window.Hls.isSupported()) {
      // No worker (it would need a blob: worker in the CSP); the playlist may lag the push by a segment or two.
      hls = new window.Hls({ enableWorker: false, liveSyncDurationCount: 2, manifestLoadingMaxRetry: 30,
        manifestLoadingRetryDelay: 1000, levelLoadingMaxRetry: 30 });
      hls.on(window.Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        note.textContent = t.tFailed;
        note.classList.remove("d-none");
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
        else setTimeout(() => { if (playing === url) { playing = null; play(url); } }, 2000);
      });
      hls.on(window.Hls.Events.FRAG_LOADED, () => note.classList.add("d-none"));
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
    }
    video.play().catch(() => {}); // muted autoplay; the controls start it otherwise
  }

  root.addEventListener("live:stream", (event) => {
    const s = event.detail;
    if (!s.configured) return;
    badge.dataset.state = s.state;
    badge.className = "badge rounded-pill text-bg-" + ({ live: "danger", ended: "dark" }[s.state] || "secondary");
    badge.textContent = { waiting: t.tWaiting, live: t.tLive, ended: t.tEnded }[s.state] || s.state_label;
    if (s.state === "live") play(s.hls_url);
    else stop();
  });
})();
