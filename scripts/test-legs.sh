#!/usr/bin/env bash
# `make test`: the suite in legs, then one summary line per leg (passed / FAILED / skipped and why).
#   bandit            static security check of roadshow/ (no medium or high findings)
#   unit-sqlite       every test outside tests/browser, tests/video and tests/ops/test_topology.py, on SQLite files
#   unit-postgresql   the same tests on a throw-away PostgreSQL server (scripts/with-postgres.sh),
#                     run alongside unit-sqlite
#   topology          scripts/serve-prod.sh with Redis + nginx (on PostgreSQL when it is installed)
#   faults            the same topology, broken on purpose: kill -9, restarts, outages, a full disk
#                     (tests/ops/test_faults.py; README "Faults")
#   browser           Playwright driving Debian's Chromium against the real server
#   video             serve-prod.sh with the media server (nginx RTMP module, ffmpeg): a test stream pushed,
#                     played in Chromium, refused to outsiders, replayed with chapters
# PYTEST_ARGS (e.g. "-x -k booking") is passed to every leg. Exit status: 1 if any leg failed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

read -ra extra <<<"${PYTEST_ARGS:-}"
pytest=(.venv/bin/python -m pytest -p no:cacheprovider "${extra[@]}")
unit=(tests --ignore=tests/browser --ignore=tests/ops/test_topology.py --ignore=tests/ops/test_faults.py --ignore=tests/video)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
summary=()
failed=0

finish() {  # finish NAME EXIT-STATUS: the leg's summary line, with pytest's closing line from its log
  local name=$1 rc=$2 status=passed counts
  case $rc in
    0) ;;
    5) status=empty ;;  # pytest: nothing collected (e.g. PYTEST_ARGS=-k deselected it all)
    *) status=FAILED; failed=1 ;;
  esac
  # e.g. "312 passed, 2 skipped in 95.1s (0:01:35)"; nothing when pytest crashed
  counts=$(grep -E '(passed|failed|error|skipped|deselected|no tests ran).* in [0-9.]+s' "$logs/$name.log" |
    tail -1 | sed -E 's/^=+ //; s/ =+$//' || true)
  summary+=("$(printf '%-20s %-7s %s' "$name" "$status" "${counts:+($counts)}")")
}
leg() {  # leg NAME COMMAND...: run it now, its output shown as it comes
  local name=$1 rc=0
  shift
  echo "=== leg: $name"
  "$@" 2>&1 | tee "$logs/$name.log" || rc=$?
  finish "$name" "$rc"
}
background_leg() {  # background_leg NAME COMMAND...: start it, output kept for show_leg
  local name=$1
  shift
  { rc=0; "$@" >"$logs/$name.log" 2>&1 || rc=$?; echo "$rc" >"$logs/$name.rc"; } &
}
show_leg() {  # show_leg NAME: wait for a background leg, then show its output
  wait
  echo "=== leg: $1 (ran alongside the one above)"
  cat "$logs/$1.log"
  finish "$1" "$(cat "$logs/$1.rc")"
}
skip() {  # skip NAME REASON
  echo "=== leg: $1 skipped: $2"
  summary+=("$(printf '%-20s %-7s %s' "$1" skipped "$2")")
}

# Static security check: no medium or high findings (-ll) in the application code.
leg "bandit" .venv/bin/bandit -q -r roadshow -ll
# The two unit legs run side by side: each is one mostly single-threaded pytest, and CI has two cores.
if have_postgres; then
  background_leg "unit-postgresql" scripts/with-postgres.sh "${pytest[@]}" "${unit[@]}"
fi
leg "unit-sqlite" env -u DATABASE_URL "${pytest[@]}" "${unit[@]}"
if have_postgres; then
  show_leg "unit-postgresql"
else
  skip "unit-postgresql" "PostgreSQL is not installed (scripts/install-system-deps.sh needs root and apt)"
fi

if ! have_redis || ! have_nginx; then
  skip "topology" "needs redis-server and nginx (scripts/install-system-deps.sh needs root and apt)"
elif have_postgres; then
  leg "topology" scripts/with-postgres.sh "${pytest[@]}" tests/ops/test_topology.py
else
  leg "topology" env -u DATABASE_URL "${pytest[@]}" tests/ops/test_topology.py
fi

# After the topology leg, alone: these tests stop and start processes and the PostgreSQL server itself.
if ! have_redis || ! have_nginx; then
  skip "faults" "needs redis-server and nginx (scripts/install-system-deps.sh needs root and apt)"
elif have_postgres; then
  leg "faults" scripts/with-postgres.sh "${pytest[@]}" tests/ops/test_faults.py
else  # the PostgreSQL restart test skips itself and says why
  leg "faults" env -u DATABASE_URL "${pytest[@]}" tests/ops/test_faults.py
fi

if have_chromium; then
  leg "browser" env -u DATABASE_URL "${pytest[@]}" tests/browser
else
  skip "browser" "Chromium is not installed at /usr/bin/chromium (scripts/install-system-deps.sh needs root and apt)"
fi

if ! have_rtmp || ! have_ffmpeg; then
  skip "video" "needs libnginx-mod-rtmp and ffmpeg (scripts/install-system-deps.sh needs root and apt)"
elif ! have_redis || ! have_nginx || ! have_chromium; then
  skip "video" "needs redis-server, nginx and Chromium (scripts/install-system-deps.sh needs root and apt)"
else
  leg "video" env -u DATABASE_URL "${pytest[@]}" tests/video
fi

echo
echo "=== test legs"
printf '%s\n' "${summary[@]}"
exit "$failed"
