#!/usr/bin/env bash
# Drives GET /api/me on a Kestrel host at 127.0.0.1 with wrk, once behind Microsoft's JwtBearer, once behind
# Bearer.Auth (and once more with the repeat-token cache on), and prints requests/s and latency side by side.
# Manual, not part of `dotnet test`. Needs wrk (Debian: apt-get install -y wrk).
#
#   bench/load.sh                 # HS256, 15 s per server, 2 wrk threads, 32 connections
#   ALG=RS256 DURATION=30s bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ALG=${ALG:-HS256}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-5091}
CACHE=${CACHE:-1024}

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }

dotnet build bench/Bearer.Auth.LoadHost -c Release -nologo -v q >/dev/null
HOST_DLL=bench/Bearer.Auth.LoadHost/bin/Release/net10.0/Bearer.Auth.LoadHost.dll
WORK=$(mktemp -d)
SERVER_PID=

stop_server() {
    if [[ -n "${SERVER_PID}" ]] && kill -0 "${SERVER_PID}" 2>/dev/null; then
        kill "${SERVER_PID}" 2>/dev/null || true
        wait "${SERVER_PID}" 2>/dev/null || true
    fi
    SERVER_PID=
}
trap 'stop_server; rm -rf "${WORK}"' EXIT

TOKEN=$(dotnet "${HOST_DLL}" mint "${WORK}" "${ALG}")

# run LABEL HANDLER CACHE_SIZE: starts the host, checks it, warms it up, measures, stops it.
run() {
    local label=$1 handler=$2 cache=$3
    dotnet "${HOST_DLL}" serve "${WORK}" "${ALG}" "${handler}" "${PORT}" "${cache}" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:${PORT}/health" >/dev/null 2>&1 && break
        sleep 0.1
    done
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN}" "http://127.0.0.1:${PORT}/api/me")
    [[ "${status}" == 200 ]] || { echo "${label}: /api/me answered ${status}, not 200" >&2; exit 1; }
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT}/api/me") == 401 ]] || { echo "${label}: no 401 without a token" >&2; exit 1; }
    wrk -t"${THREADS}" -c"${CONNECTIONS}" -d3s -H "Authorization: Bearer ${TOKEN}" "http://127.0.0.1:${PORT}/api/me" >/dev/null
    wrk -t"${THREADS}" -c"${CONNECTIONS}" -d"${DURATION}" --latency -H "Authorization: Bearer ${TOKEN}" \
        "http://127.0.0.1:${PORT}/api/me" > "${WORK}/${label}.txt"
    stop_server
}

run jwtbearer jwtbearer 0
run bearer bearer 0
run bearer-cache bearer "${CACHE}"

field() { # field FILE PATTERN COLUMN
    awk -v p="$2" -v c="$3" '$0 ~ p { print $c; exit }' "$1"
}

echo "GET /api/me, ${ALG}, wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION}, $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %12s %10s %10s %10s %10s %8s\n' handler "requests/s" p50 p75 p90 p99 errors
base=$(field "${WORK}/jwtbearer.txt" '^Requests/sec' 2)
for label in jwtbearer bearer bearer-cache; do
    file="${WORK}/${label}.txt"
    rps=$(field "${file}" '^Requests/sec' 2)
    errors=$(awk '/Non-2xx|Socket errors/ { n++ } END { print n + 0 }' "${file}")
    name=${label}
    [[ ${label} == bearer-cache ]] && name="bearer (cache ${CACHE})"
    printf '%-22s %12s %10s %10s %10s %10s %8s\n' "${name}" "${rps}" \
        "$(field "${file}" '^ +50%' 2)" "$(field "${file}" '^ +75%' 2)" "$(field "${file}" '^ +90%' 2)" "$(field "${file}" '^ +99%' 2)" "${errors}"
done
awk -v a="$(field "${WORK}/bearer.txt" '^Requests/sec' 2)" -v c="$(field "${WORK}/bearer-cache.txt" '^Requests/sec' 2)" -v b="${base}" \
    'BEGIN { printf "ratio to JwtBearer: bearer %.2fx, bearer with cache %.2fx\n", a / b, c / b }'
