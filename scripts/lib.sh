# Helpers shared by the project's scripts (sourced, not run).
# The have_* probes decide both what install-system-deps.sh installs and which test legs can run.

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }  # /usr/sbin is not on a normal user's PATH

have_postgres() { [ -x "$(pg_bin)/initdb" ]; }
have_redis() { command -v redis-server >/dev/null; }
have_nginx() { [ -x "$(nginx_bin)" ]; }
have_chromium() { [ -x /usr/bin/chromium ]; }
have_rtmp() { [ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ]; }  # libnginx-mod-rtmp (live video)
have_ffmpeg() { command -v ffmpeg >/dev/null; }
have_cjk_fonts() { compgen -G '/usr/share/fonts/opentype/noto/NotoSansCJK*' >/dev/null; }

# A free TCP port on 127.0.0.1, picked by the kernel.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The host name in a URL (`https://roadshow.example.org:8443` -> roadshow.example.org).
url_host() { python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).hostname or "")' "$1"; }

# initdb refuses to run as root: as root, PostgreSQL runs as the `postgres` user in a directory it owns.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Wait until URL answers 2xx (default 60 s), asking for HOST when given (else the URL's own host);
# fails with the last error otherwise.
wait_http() {
  python3 - "$1" "${2:-60}" "${3:-}" <<'PY'
import sys, time, urllib.request
url, deadline, host = sys.argv[1], time.monotonic() + float(sys.argv[2]), sys.argv[3]
request = urllib.request.Request(url, headers={"Host": host} if host else {})
while True:
    try:
        urllib.request.urlopen(request, timeout=2).close()
        break
    except OSError as exc:
        if time.monotonic() > deadline:
            sys.exit(f"{url} did not answer: {exc}")
        time.sleep(0.2)
PY
}
