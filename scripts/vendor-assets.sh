#!/usr/bin/env bash
# Re-vendor the front-end assets from the npm registry into static/vendor/ (with their licenses).
# The results are committed: the center may run on an intranet, so pages never load from a CDN.
# axe-core (accessibility checks) is used only by the browser tests: it goes into tests/browser/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP=5.3.9
ICONS=1.13.2
SOCKETIO=4.8.4
AXE=4.11.0
PDFJS=4.10.38  # legacy build: also runs on older phone browsers
HLSJS=1.6.15
JSQR=1.4.0  # check-in: decodes QR codes from the phone camera or a photo
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent "bootstrap@$BOOTSTRAP" "bootstrap-icons@$ICONS" "socket.io-client@$SOCKETIO" "axe-core@$AXE" \
  "pdfjs-dist@$PDFJS" "hls.js@$HLSJS" "jsqr@$JSQR" >/dev/null )
for pkg in bootstrap bootstrap-icons socket.io-client axe-core pdfjs-dist hls.js jsqr; do mkdir -p "$tmp/$pkg"; tar -xzf "$tmp/$pkg"-[0-9]*.tgz -C "$tmp/$pkg"; done
out=static/vendor; rm -rf "$out"; mkdir -p "$out/bootstrap" "$out/bootstrap-icons" "$out/socket.io" "$out/pdfjs" "$out/hls.js" "$out/jsqr"
cp "$tmp/bootstrap/package/dist/css/bootstrap.min.css" "$tmp/bootstrap/package/dist/css/bootstrap.min.css.map" \
   "$tmp/bootstrap/package/dist/js/bootstrap.bundle.min.js" "$tmp/bootstrap/package/dist/js/bootstrap.bundle.min.js.map" \
   "$tmp/bootstrap/package/LICENSE" "$out/bootstrap/"
cp -r "$tmp/bootstrap-icons/package/font/bootstrap-icons.min.css" "$tmp/bootstrap-icons/package/font/fonts" \
   "$tmp/bootstrap-icons/package/LICENSE" "$out/bootstrap-icons/"
cp "$tmp/socket.io-client/package/dist/socket.io.min.js" "$tmp/socket.io-client/package/dist/socket.io.min.js.map" \
   "$tmp/socket.io-client/package/LICENSE" "$out/socket.io/"
axe=tests/browser/vendor/axe-core; rm -rf "$axe"; mkdir -p "$axe"
cp "$tmp/axe-core/package/axe.min.js" "$tmp/axe-core/package/LICENSE" "$axe/"
echo "axe-core $AXE (MPL-2.0), vendored from the npm registry by scripts/vendor-assets.sh" > "$axe/VERSION"
# pdf.js: the library and its worker (ES modules), the CJK character maps and the standard fonts
# (Chinese decks often use fonts they do not embed).
cp "$tmp/pdfjs-dist/package/legacy/build/pdf.min.mjs" "$tmp/pdfjs-dist/package/legacy/build/pdf.worker.min.mjs" \
   "$tmp/pdfjs-dist/package/LICENSE" "$out/pdfjs/"
cp -r "$tmp/pdfjs-dist/package/cmaps" "$tmp/pdfjs-dist/package/standard_fonts" "$out/pdfjs/"
cp "$tmp/hls.js/package/dist/hls.min.js" "$tmp/hls.js/package/LICENSE" "$out/hls.js/"
cp "$tmp/jsqr/package/dist/jsQR.js" "$tmp/jsqr/package/LICENSE" "$out/jsqr/"
cat > "$out/README.md" <<MD
Vendored from the npm registry by \`scripts/vendor-assets.sh\`; each folder keeps its LICENSE.

| package | version | license |
|---|---|---|
| bootstrap | $BOOTSTRAP | MIT |
| bootstrap-icons | $ICONS | MIT |
| socket.io-client | $SOCKETIO | MIT |
| pdfjs-dist (legacy build) | $PDFJS | Apache-2.0 |
| hls.js | $HLSJS | Apache-2.0 |
| jsqr | $JSQR | Apache-2.0 |
MD
echo "vendored into $out"
