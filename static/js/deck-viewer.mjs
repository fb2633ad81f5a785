// The deck viewer: pdf.js renders one page at a time onto a canvas, the reader's name and institution are
// drawn over every page, and the time each page stays visible is reported to the server (at most every
// REPORT_MS, when the page changes and when the tab is hidden), so the company learns what was read.
import * as pdfjsLib from "../vendor/pdfjs/pdf.min.mjs";

const root = document.getElementById("deck-viewer");
const REPORT_MS = 15000;

if (root) {
  const d = root.dataset;
  const canvas = document.getElementById("deck-canvas");
  const label = document.getElementById("deck-page-label");
  const vendor = d.workerUrl.replace(/pdf\.worker\.min\.mjs$/, "");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  pdfjsLib.GlobalWorkerOptions.workerSrc = d.workerUrl;

  let pdf = null;
  let page = 1;
  let rendering = Promise.resolve();
  let visibleSince = null; // when the current page became visible (null while the tab is hidden)

  function report(shownPage, seconds) {
    if (!d.eventsUrl) return; // the company's own members are not counted as readers
    fetch(d.eventsUrl, {
      method: "POST", keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ view: Number(d.viewId), page: shownPage, seconds: Math.min(60, Math.round(seconds)) }),
    }).catch(() => {}); // a lost report loses a few seconds of analytics, never the reading
  }

  // Report the visible time of the current page so far and start counting again from now.
  function flush() {
    if (visibleSince === null) return;
    const now = performance.now();
    const seconds = (now - visibleSince) / 1000;
    visibleSince = document.visibilityState === "visible" ? now : null;
    if (seconds >= 1) report(page, seconds);
  }

  function watermark(ctx, width, height) {
    const text = d.watermark;
    if (!text) return;
    const size = Math.max(14, Math.round(width / 40));
    ctx.save();
    ctx.font = `${size}px sans-serif`;
    ctx.fillStyle = "rgba(30, 50, 90, 0.13)";
    ctx.translate(width / 2, height / 2);
    ctx.rotate(-Math.PI / 7);
    const step = ctx.measureText(text).width + size * 3;
    const diagonal = Math.hypot(width, height);
    for (let y = -diagonal / 2; y < diagonal / 2; y += size * 5) {
      for (let x = -diagonal / 2; x < diagonal / 2; x += step) ctx.fillText(text, x, y);
    }
    ctx.restore();
  }

  async function render(number) {
    const p = await pdf.getPage(number);
    const cssWidth = canvas.parentElement.clientWidth;
    const scale = cssWidth / p.getViewport({ scale: 1 }).width;
    const ratio = window.devicePixelRatio || 1;
    const viewport = p.getViewport({ scale: scale * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    const ctx = canvas.getContext("2d");
    await p.render({ canvasContext: ctx, viewport }).promise;
    watermark(ctx, canvas.width, canvas.height);
    canvas.dataset.renderedPage = String(number);
    label.textContent = d.tPage.replace("{n}", number).replace("{total}", pdf.numPages);
  }

  function show(number) {
    if (!pdf || number < 1 || number > pdf.numPages) return;
    flush();
    page = number;
    visibleSince = document.visibilityState === "visible" ? performance.now() : null;
    report(page, 0); // the page was shown
    root.querySelector('[data-deck="prev"]').disabled = page === 1;
    root.querySelector('[data-deck="next"]').disabled = page === pdf.numPages;
    rendering = rendering.then(() => render(page));
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-deck]");
    if (button) show(page + (button.dataset.deck === "next" ? 1 : -1));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight" || event.key === "PageDown") show(page + 1);
    if (event.key === "ArrowLeft" || event.key === "PageUp") show(page - 1);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") visibleSince = performance.now();
    else flush();
  });
  window.addEventListener("pagehide", flush);
  setInterval(flush, REPORT_MS);

  pdfjsLib.getDocument({
    url: d.fileUrl, withCredentials: true, isEvalSupported: false,
    cMapUrl: `${vendor}cmaps/`, cMapPacked: true, standardFontDataUrl: `${vendor}standard_fonts/`,
  }).promise.then((doc) => { pdf = doc; show(1); }, () => {
    const error = document.getElementById("deck-error");
    error.textContent = d.tFailed;
    error.classList.remove("d-none");
  });
}
