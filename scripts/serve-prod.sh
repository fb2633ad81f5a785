#!/usr/bin/env bash
# Production-like launch on one machine (`make serve-prod`):
#   - WORKERS server processes (default 2), each one gunicorn worker on its own loopback port: one process
#     per port keeps a Socket.IO connection's polling requests in the process that holds its session.
#     WORKER_CLASS picks how a process serves many requests at once: gevent (the default: a greenlet per
#     request, so an open live room costs a few kB instead of a thread; python-socketio in gevent mode,
#     WebSocket through simple-websocket), or gthread (THREADS threads, one held by each open WebSocket).
#     bench/scenario_live_prod.py measured both (README "Performance");
#   - nginx in front (deploy/nginx.conf.template): sticky by client address (ip_hash), WebSocket upgrade;
#   - Redis sharing Socket.IO rooms and rate-limit counts between the processes;
#   - one scheduler process for the periodic jobs (`flask --app wsgi scheduler`).
#   - live video when nginx's RTMP module and ffmpeg are installed (VIDEO=0 turns it off): encoders push
#     to rtmp://HOST:RTMP_PORT/live (default 1935), HLS and replays are served by the same nginx
#     (deploy/media/); MEDIA_DIR (default RUN_DIR/media) holds live playlists, recordings and replays.
# Database: DATABASE_URL (PostgreSQL in production), else the SQLite file in instance/.
# Redis: REDIS_URL, else a private redis-server on a free port. SEED_DEMO=1 loads the demo data.
# PUBLIC_BASE_URL (default http://HOST:PORT) is the address links in emails and feeds point to; nginx answers
# only for its host name and drops requests for any other.
# Everything started here is stopped, by process id, when the script ends: Ctrl-C, SIGTERM, or any
# one of the processes dying (KEEP_GOING=1: the others serve on, as when a supervisor restarts the dead one
# later; the fault tests kill parts on purpose). RUN_DIR (default: a new temp dir) holds configs, logs and
# NAME.pid files (redis, web1…, scheduler, nginx).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8080}
WORKERS=${WORKERS:-2}
WORKER_CLASS=${WORKER_CLASS:-gevent}
THREADS=${THREADS:-50}          # gthread only
CONNECTIONS=${CONNECTIONS:-10000}  # open connections a process accepts (each live-room client holds one)
APP=${APP:-wsgi:app}            # the WSGI app the server processes run (the bench runs a bare baseline here)
RUN_DIR=${RUN_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/roadshow-prod.XXXXXX")}
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://$HOST:$PORT}
public_host=$(url_host "$PUBLIC_BASE_URL")
[ -n "$public_host" ] || { echo "serve-prod: PUBLIC_BASE_URL has no host: $PUBLIC_BASE_URL" >&2; exit 2; }
BIN=$PWD/.venv/bin
have_nginx || { echo "serve-prod: nginx is not installed (scripts/install-system-deps.sh)" >&2; exit 3; }
[ -n "${REDIS_URL:-}" ] || have_redis || { echo "serve-prod: no redis-server and no REDIS_URL" >&2; exit 3; }

pids=()
stop() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  wait
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() {  # start NAME COMMAND...: in the background, output in RUN_DIR/NAME.log
  local name=$1; shift
  "$@" >"$RUN_DIR/$name.log" 2>&1 &
  pids+=($!)
  echo $! >"$RUN_DIR/$name.pid"
  echo "$name: pid $!, log $RUN_DIR/$name.log"
}

mkdir -p "$RUN_DIR"
if [ -z "${REDIS_URL:-}" ]; then
  redis_port=$(free_port)
  start redis redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no
  REDIS_URL=redis://127.0.0.1:$redis_port/0
fi
export REDIS_URL               # rooms, rate limits and the page cache, shared by every process
export PROXY_COUNT=1           # nginx: the client address is the last X-Forwarded-For entry
export SCHEDULER_ENABLED=0     # jobs run in the scheduler process only
case $WORKER_CLASS in
  # the server processes only: the scheduler process is not monkey-patched and stays in threading mode
  gevent) async_mode=gevent; concurrency=(--worker-connections "$CONNECTIONS")
    export DATABASE_POOL_SIZE=${DATABASE_POOL_SIZE:-20} ;;
  gthread) async_mode=threading; concurrency=(--threads "$THREADS" --worker-connections "$CONNECTIONS") ;;
  *) echo "serve-prod: WORKER_CLASS must be gevent or gthread, not $WORKER_CLASS" >&2; exit 2 ;;
esac

# Live video: the app shows hosts where to push and runs ffmpeg on the recordings (deploy/media/).
video=0
if [ "${VIDEO:-1}" != 0 ] && have_rtmp && have_ffmpeg; then
  video=1
  RTMP_PORT=${RTMP_PORT:-1935}
  MEDIA_DIR=${MEDIA_DIR:-$RUN_DIR/media}
  mkdir -p "$MEDIA_DIR/hls" "$MEDIA_DIR/records" "$MEDIA_DIR/replays"
  chmod 755 "$MEDIA_DIR" "$MEDIA_DIR/replays"
  chmod 1777 "$MEDIA_DIR/hls" "$MEDIA_DIR/records"  # written by nginx's workers (nobody when started as root)
  export LIVE_VIDEO_RTMP_URL="rtmp://$public_host:$RTMP_PORT/live" LIVE_VIDEO_MEDIA_DIR="$MEDIA_DIR"
else
  echo "serve-prod: live video off (needs libnginx-mod-rtmp and ffmpeg, and VIDEO unset or 1)"
fi

"$BIN/flask" --app wsgi db upgrade
[ "${SEED_DEMO:-0}" = 1 ] && "$BIN/flask" --app wsgi seed-demo --if-empty

# gunicorn 27+ opens a control socket, by default at one path in $HOME: give each process its own.
control=()
[[ $("$BIN/gunicorn" --help) == *--control-socket* ]] && control=(--control-socket "$RUN_DIR/NAME.ctl")
upstreams=""
: >"$RUN_DIR/backends"
for i in $(seq "$WORKERS"); do
  port=$(free_port)
  start "web$i" env SOCKETIO_ASYNC_MODE="$async_mode" "$BIN/gunicorn" --workers 1 --worker-class "$WORKER_CLASS" "${concurrency[@]}" \
    "${control[@]/NAME/web$i}" --bind "127.0.0.1:$port" --backlog 4096 --graceful-timeout 5 "$APP"
  upstreams+="server 127.0.0.1:$port; "
  echo "http://127.0.0.1:$port" >>"$RUN_DIR/backends"
done
if "$BIN/flask" --app wsgi scheduler --help >/dev/null 2>&1; then
  start scheduler "$BIN/flask" --app wsgi scheduler
fi
while read -r backend; do wait_http "$backend/readyz" 60 "$public_host"; done <"$RUN_DIR/backends"

# nginx workers drop root privileges: they must be able to enter RUN_DIR for their temp files.
mkdir -p "$RUN_DIR/nginx-tmp" && chmod 711 "$RUN_DIR"
sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LISTEN@|$HOST:$PORT|g" -e "s|@UPSTREAM_SERVERS@|$upstreams|" \
  -e "s|@SERVER_NAME@|$public_host|" \
  deploy/nginx.conf.template >"$RUN_DIR/nginx.conf"
: >"$RUN_DIR/media-main.conf"; : >"$RUN_DIR/media-http.conf"; : >"$RUN_DIR/media-locations.conf"
if [ "$video" = 1 ]; then
  callback_port=$(free_port)
  for part in main http locations; do
    sed -e "s|@RTMP_LISTEN@|$HOST:$RTMP_PORT|" -e "s|@MEDIA_DIR@|$MEDIA_DIR|g" -e "s|@SERVER_NAME@|$public_host|" \
      -e "s|@CALLBACK@|http://127.0.0.1:$callback_port|" -e "s|@CALLBACK_LISTEN@|127.0.0.1:$callback_port|" \
      "deploy/media/$part.conf.template" >"$RUN_DIR/media-$part.conf"
  done
fi
start nginx "$(nginx_bin)" -p "$RUN_DIR" -e "$RUN_DIR/nginx-error.log" -c "$RUN_DIR/nginx.conf" -g 'daemon off;'
wait_http "http://$HOST:$PORT/readyz" 60 "$public_host"
echo "http://$HOST:$PORT" >"$RUN_DIR/ready"
echo "serving http://$HOST:$PORT as $PUBLIC_BASE_URL ($WORKERS server processes behind nginx, Redis $REDIS_URL); Ctrl-C stops everything"
[ "$video" = 1 ] && echo "live video: push to $LIVE_VIDEO_RTMP_URL with the key shown in the room's host panel"
if [ "${KEEP_GOING:-0}" = 1 ]; then
  while [ -n "$(jobs -rp)" ]; do
    wait -n || echo "serve-prod: a process exited; the others serve on (KEEP_GOING=1)" >&2
  done
  exit 1
fi
wait -n  # the first process to exit ends the launch (and the trap stops the others)
echo "serve-prod: a process exited; stopping" >&2
exit 1
