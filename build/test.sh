#!/usr/bin/env bash
# The one test command: installs and starts every real server the tests need (build/deps.sh), builds, runs every
# test project, stops the servers, and ends with one line "N passed, N failed, N skipped" counted from the results.
# Usage: build/test.sh [unit] [integration] [browser] [load]   (no category: all of them, as CI runs)
#   unit         in-process only (loopback listeners the test starts itself); no server, browser or tool: under a minute
#   integration  real servers and tools from build/deps.sh (PostgreSQL, MariaDB, Redis, RabbitMQ, OpenLDAP, etcd,
#                promtool, Prometheus), child processes of the sample, dotnet pack
#   browser      the status page in headless Chromium
#   load         the 10,000-endpoint load test
set -euo pipefail
cd "$(dirname "$0")/.."

categories=()
for category in "$@"; do
  case "$category" in
    unit|integration|browser|load) categories+=("$category") ;;
    *) echo "[test] unknown category '$category': expected unit, integration, browser or load" >&2; exit 2 ;;
  esac
done
filter=()
needs_deps=1
if [ ${#categories[@]} -gt 0 ]; then
  expression=$(printf 'Category=%s|' "${categories[@]}")
  filter=(--filter "${expression%|}")
  [ "${categories[*]}" = unit ] && needs_deps=0
fi
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started_deps=0
cleanup() {
  if [ "$started_deps" = 1 ] && [ "${DEPHEALTH_KEEP_DEPS:-0}" != 1 ]; then
    bash build/deps.sh stop >"$results/deps-stop.log" 2>&1 || true
  fi
}
trap cleanup EXIT

if [ "$needs_deps" = 1 ]; then
  echo "[test] starting real servers (build/deps.sh start)"
  bash build/deps.sh start >"$results/deps-start.log" 2>&1 || { tail -n 60 "$results/deps-start.log"; echo "[test] a required server did not start"; echo "0 passed, 1 failed"; exit 1; }
  started_deps=1
  # shellcheck disable=SC1091
  source build/.deps.env
fi

# Release, as the packages ship: the load test measures optimized code, and nothing depends on debug-only behaviour.
configuration=${DEPHEALTH_TEST_CONFIGURATION:-Release}
echo "[test] building ($configuration)"
dotnet build DepHealth.AspNetCore.sln -c "$configuration" -nologo -clp:ErrorsOnly

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  [ "$name" = DepHealth.AspNetCore.TestKit ] && continue
  echo "[test] running $name"
  dotnet test "$project" --no-build -c "$configuration" --nologo ${filter[@]+"${filter[@]}"} \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then
  failed=1
  status=1
fi

cleanup
started_deps=0
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
