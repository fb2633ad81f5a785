// The door's check-in page: a QR code read from the phone camera or from a photo fills in the
// code and submits the form, so the server decides (once) exactly as for a typed code.
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

  function submit(code) {
    if (submitted) { return; }
    submitted = true;
    input.value = code;
    form.submit();
  }

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
    if (code) { submit(code); } else { window.requestAnimationFrame(scanFrame); }
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
