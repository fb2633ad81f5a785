#!/usr/bin/env bash
# Install, with apt-get, the system components the test legs and `make serve-prod` use, only those
# missing: PostgreSQL, Redis, nginx, Chromium, CJK fonts (Chinese pages render as boxes without them), and
# for live video nginx's RTMP module (RTMP in, HLS out) and ffmpeg (test streams, replay checks).
# Without root or a reachable apt this never fails: it says what is missing and the legs needing it skip.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

missing=()
have_postgres || missing+=(postgresql)
have_redis || missing+=(redis-server)
have_nginx || missing+=(nginx-light)
have_chromium || missing+=(chromium)
have_cjk_fonts || missing+=(fonts-noto-cjk)
have_rtmp || missing+=(libnginx-mod-rtmp)
have_ffmpeg || missing+=(ffmpeg)
[ ${#missing[@]} -eq 0 ] && { echo "system components: all present"; exit 0; }

skip() { echo "system components: cannot install ${missing[*]} ($1); the test legs that need them will be skipped" >&2; exit 0; }
[ "$(id -u)" = 0 ] || skip "not root"
command -v apt-get >/dev/null || skip "no apt-get"

# Keep the packages' own services (postgres on 5432, nginx on 80 and RTMP on 1935, redis on 6379) from starting:
# the project starts its own servers on free ports. policy-rc.d is the Debian switch for that.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
echo "system components: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || skip "apt-get update failed (offline?)"
if ! apt-cache show nginx-light >/dev/null 2>&1; then  # dropped after Debian 12
  missing=("${missing[@]/nginx-light/nginx}")
fi
apt-get install -y -qq "${missing[@]}" >/dev/null || skip "apt-get install failed"
echo "system components: installed ${missing[*]}"
