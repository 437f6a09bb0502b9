#!/usr/bin/env bash
# Performance and scale benchmarks (build/BENCHMARKS.md): builds in Release, runs the scenarios, prints a table and
# writes artifacts/bench/results.json. Usage: build/bench.sh [quick] [scenario...]; no scenario runs all of them but
# peer. Needs no root and no database server (every dependency is a listener on 127.0.0.1), except `peer`: it starts
# the real PostgreSQL, Redis and RabbitMQ with build/deps.sh (idempotent; they are left running) and reads build/.deps.env.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
project=build/DepHealth.AspNetCore.Benchmarks/DepHealth.AspNetCore.Benchmarks.csproj

args=()
peer=0
for arg in "$@"; do
  case "$arg" in
    quick) args+=(--quick) ;;
    peer) peer=1; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done

# The baseline opens a connection per check per probe, and a hung dependency keeps its connections: lift the soft limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "[bench] building (Release)"
dotnet build "$project" -c Release -nologo -clp:ErrorsOnly
mkdir -p artifacts/bench
if [ "$peer" = 1 ]; then
  echo "[bench] starting PostgreSQL, Redis and RabbitMQ (build/deps.sh start)"
  bash build/deps.sh start postgres redis rabbitmq >artifacts/bench/deps-start.log 2>&1 \
    || { tail -n 40 artifacts/bench/deps-start.log; echo "[bench] a server the peer scenario needs did not start"; exit 1; }
  # shellcheck disable=SC1091
  source build/.deps.env
fi
dotnet "build/DepHealth.AspNetCore.Benchmarks/bin/Release/net10.0/DepHealth.AspNetCore.Benchmarks.dll" \
  --out artifacts/bench/results.json "${args[@]}"
