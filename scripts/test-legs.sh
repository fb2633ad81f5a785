#!/usr/bin/env bash
# `make test`: the suite in legs, then one summary line per leg (passed / FAILED / skipped and why).
#   bandit            static security check of roadshow/ (no medium or high findings)
#   unit-sqlite       every test outside tests/browser and tests/test_topology*, on SQLite files
#   unit-postgresql   the same tests on a throw-away PostgreSQL server (scripts/with-postgres.sh)
#   topology            scripts/serve-prod.sh with Redis + nginx (on PostgreSQL when it is installed)
#   browser             Playwright driving Debian's Chromium against the real server
# PYTEST_ARGS (e.g. "-x -k booking") is passed to every leg. Exit status: 1 if any leg failed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

read -ra extra <<<"${PYTEST_ARGS:-}"
pytest=(.venv/bin/python -m pytest -p no:cacheprovider "${extra[@]}")
unit=(tests --ignore=tests/browser --ignore-glob='tests/test_topology*')
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
summary=()
failed=0

leg() {  # leg NAME COMMAND...
  local name=$1 log="$logs/${#summary[@]}.log" status=passed rc=0
  shift
  echo "=== leg: $name"
  "$@" 2>&1 | tee "$log" || rc=$?
  case $rc in
    0) ;;
    5) status=empty ;;  # pytest: nothing collected (e.g. PYTEST_ARGS=-k deselected it all)
    *) status=FAILED; failed=1 ;;
  esac
  # pytest's closing line, e.g. "312 passed, 2 skipped in 95.1s (0:01:35)"
  local counts
  counts=$(grep -E '(passed|failed|error|skipped|deselected|no tests ran).* in [0-9.]+s' "$log" | tail -1 |
    sed -E 's/^=+ //; s/ =+$//' || true)  # nothing when pytest crashed
  summary+=("$(printf '%-20s %-7s %s' "$name" "$status" "${counts:+($counts)}")")
}
skip() {  # skip NAME REASON
  echo "=== leg: $1 skipped: $2"
  summary+=("$(printf '%-20s %-7s %s' "$1" skipped "$2")")
}

# Static security check: no medium or high findings (-ll) in the application code.
leg "bandit" .venv/bin/bandit -q -r roadshow -ll
leg "unit-sqlite" env -u DATABASE_URL "${pytest[@]}" "${unit[@]}"

if have_postgres; then
  leg "unit-postgresql" scripts/with-postgres.sh "${pytest[@]}" "${unit[@]}"
else
  skip "unit-postgresql" "PostgreSQL is not installed (scripts/install-system-deps.sh needs root and apt)"
fi

if ! have_redis || ! have_nginx; then
  skip "topology" "needs redis-server and nginx (scripts/install-system-deps.sh needs root and apt)"
elif have_postgres; then
  leg "topology" scripts/with-postgres.sh "${pytest[@]}" tests/test_topology.py
else
  leg "topology" env -u DATABASE_URL "${pytest[@]}" tests/test_topology.py
fi

if have_chromium; then
  leg "browser" env -u DATABASE_URL "${pytest[@]}" tests/browser
else
  skip "browser" "Chromium is not installed at /usr/bin/chromium (scripts/install-system-deps.sh needs root and apt)"
fi

echo
echo "=== test legs"
printf '%s\n' "${summary[@]}"
exit "$failed"
