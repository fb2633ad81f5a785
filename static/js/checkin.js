// The door's check-in page: a QR code read from the phone camera or from a photo fills in the
// code and submits the form, so the server decides (once) exactly as for a typed code.
// Offline (the hall's network drops), codes are kept on the phone with the time they were scanned
// and sent one by one when it is back; the page then reloads to show what the server said of each.
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (!form || typeof window.jsQR !== "function") { return; }
  var input = form.querySelector("input[name=code]");
  var video = document.getElementById("checkin-video");
  var cameraButton = document.getElementById("checkin-camera");
  var photo = document.getElementById("checkin-photo");
  var status = document.getElementById("checkin-scan-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var MAX_SIDE = 1024; // large photos are scaled down before decoding
  var submitted = false;

  function say(key) { status.textContent = status.dataset[key] || ""; }

  function decode(source, width, height) {
    var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "attemptBoth" });
    return found && found.data ? found.data.trim() : "";
  }

  var pending = document.getElementById("checkin-pending");
  var QUEUE = "roadshow-checkin-queue:" + window.location.pathname;
  var RELOADED = "roadshow-checkin-reloaded";

  function queued() {
    try { return JSON.parse(window.localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }

  function store(items) {
    window.localStorage.setItem(QUEUE, JSON.stringify(items));
    pending.textContent = items.length === 1 ? pending.dataset.one  // English says "1 code", not "1 codes"
      : pending.dataset.template.replace("__N__", String(items.length));
    pending.classList.toggle("d-none", items.length === 0);
  }

  function keep(code) {
    code = (code || "").trim();
    var items = queued();
    if (code && !items.some(function (item) { return item.code === code; })) {
      items.push({ code: code, scanned_at: new Date().toISOString() });
    }
    store(items);
    input.value = "";
  }

  function sync() {
    var items = queued();
    if (!items.length || !navigator.onLine) { return; }
    var item = items[0];
    var body = new FormData();
    body.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    body.append("code", item.code);
    body.append("scanned_at", item.scanned_at);
    // the redirect is not followed: the page the server redirects to would take the message it left
    window.fetch(window.location.href, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (!response.ok && response.type !== "opaqueredirect") {
          // 400: the form's token ran out while offline; a reload brings a new one (once), the queue stays
          if (response.status === 400 && !window.sessionStorage.getItem(RELOADED)) {
            window.sessionStorage.setItem(RELOADED, "1");
            window.location.reload();
          }
          return;
        }
        window.sessionStorage.removeItem(RELOADED);
        store(queued().filter(function (other) { return other.code !== item.code; }));
        if (queued().length) { sync(); } else { window.location.reload(); }
      })
      .catch(function () { /* still unreachable: the next "online" event or tick tries again */ });
  }

  function submit(code) {
    if (submitted) { return; }
    input.value = code;
    if (!navigator.onLine) { keep(code); return; } // the camera keeps scanning for the next person
    submitted = true;
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) { return; }
    event.preventDefault();
    keep(input.value);
  });
  window.addEventListener("online", sync);
  window.setInterval(sync, 15000);
  store(queued());
  sync();

  document.getElementById("checkin-photo-button").addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); photo.click(); }
  });

  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    if (!file) { return; }
    var reader = new FileReader(); // a data: URL (the page's CSP allows images from 'self' and data: only)
    reader.onload = function () {
      var image = new Image();
      image.onload = function () {
        var code = decode(image, image.naturalWidth, image.naturalHeight);
        if (code) { submit(code); } else { say("notFound"); }
      };
      image.onerror = function () { say("notFound"); };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  });

  function scanFrame() {
    if (submitted || video.readyState < 2) {
      if (!submitted) { window.requestAnimationFrame(scanFrame); }
      return;
    }
    var code = decode(video, video.videoWidth, video.videoHeight);
    if (code) { submit(code); }
    if (!submitted) { window.requestAnimationFrame(scanFrame); } // offline: kept, on to the next person
  }

  cameraButton.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say("noCamera"); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.classList.remove("d-none");
        cameraButton.disabled = true;
        say("scanning");
        return video.play().then(function () { window.requestAnimationFrame(scanFrame); });
      })
      .catch(function () { say("noCamera"); });
  });
})();
