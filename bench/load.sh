#!/usr/bin/env bash
# Drives GET /api/me on Kestrel hosts at 127.0.0.1 with wrk: Microsoft's JwtBearer, Bearer.Auth with its defaults
# (repeat-token cache on, CACHE entries), Bearer.Auth with the cache off, and the same endpoint with no
# authentication at all (the ceiling: what a handler that cost nothing would reach). The three hosts run side by side and wrk visits them in turn for ROUNDS rounds,
# so a change in background load hits all three alike; it prints requests/s (mean over rounds) and latency
# percentiles (median over rounds) side by side, and stops its servers on any exit.
# Manual, not part of `dotnet test`. Needs wrk (Debian: apt-get install -y wrk) and curl.
#
#   bench/load.sh                                  # HS256, 3 rounds of 10 s per host, 2 wrk threads, 32 connections
#   ALG=RS256 ROUNDS=5 DURATION=10s bench/load.sh  # ALG: HS256, RS256 or ES256 (the sample's algorithm)
set -euo pipefail
cd "$(dirname "$0")/.."

ALG=${ALG:-HS256}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-5091}
CACHE=${CACHE:-1024}

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 1; }

dotnet build bench/Bearer.Auth.LoadHost -c Release -nologo -v q >/dev/null
HOST_DLL=bench/Bearer.Auth.LoadHost/bin/Release/net10.0/Bearer.Auth.LoadHost.dll
WORK=$(mktemp -d)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "${pid}" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "${pid}" 2>/dev/null || true
    done
    rm -rf "${WORK}"
}
trap cleanup EXIT

TOKEN=$(dotnet "${HOST_DLL}" mint "${WORK}" "${ALG}")
LABELS=(jwtbearer bearer bearer-nocache no-auth)
HANDLERS=(jwtbearer bearer bearer none)
CACHES=(0 "${CACHE}" 0 0)

for i in 0 1 2 3; do
    dotnet "${HOST_DLL}" serve "${WORK}" "${ALG}" "${HANDLERS[$i]}" $((PORT + i)) "${CACHES[$i]}" &
    PIDS+=($!)
done

for i in 0 1 2 3; do
    url="http://127.0.0.1:$((PORT + i))"
    for _ in $(seq 1 150); do
        curl -fsS "${url}/health" >/dev/null 2>&1 && break
        sleep 0.1
    done
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN}" "${url}/api/me")
    [[ "${status}" == 200 ]] || { echo "${LABELS[$i]}: /api/me answered ${status}, not 200" >&2; exit 1; }
    status=$(curl -s -o /dev/null -w '%{http_code}' "${url}/api/me")
    [[ "${HANDLERS[$i]}" == none || "${status}" == 401 ]] || { echo "${LABELS[$i]}: /api/me without a token answered ${status}, not 401" >&2; exit 1; }
    wrk -t"${THREADS}" -c"${CONNECTIONS}" -d3s -H "Authorization: Bearer ${TOKEN}" "${url}/api/me" >/dev/null
done

for round in $(seq 1 "${ROUNDS}"); do
    for i in 0 1 2 3; do
        wrk -t"${THREADS}" -c"${CONNECTIONS}" -d"${DURATION}" --latency -H "Authorization: Bearer ${TOKEN}" \
            "http://127.0.0.1:$((PORT + i))/api/me" > "${WORK}/${LABELS[$i]}.${round}.txt"
    done
done

# Latency in microseconds from wrk's "812.00us" / "1.24ms" / "1.02s".
to_us() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); print v + 0 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v * 1000 } else { sub(/s$/, "", v); print v * 1000000 } }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
rps() { awk '/^Requests\/sec/ { s += $2; n++ } END { printf "%.0f", s / n }' "${WORK}/$1".*.txt; }
pct() { awk -v p="^ +$2%" '$0 ~ p { print $2 }' "${WORK}/$1".*.txt | to_us | median; }
errors() { cat "${WORK}/$1".*.txt | awk '/Non-2xx|Socket errors/ { n++ } END { print n + 0 }'; }

echo "GET /api/me, ${ALG}, ${ROUNDS} rounds x wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION} per host, $(nproc) cores, load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %12s %10s %10s %10s %10s %7s\n' handler "requests/s" "p50 us" "p75 us" "p90 us" "p99 us" errors
for label in "${LABELS[@]}"; do
    name=${label}
    [[ ${label} == bearer ]] && name="bearer (cache ${CACHE})"
    [[ ${label} == bearer-nocache ]] && name="bearer (cache off)"
    [[ ${label} == no-auth ]] && name="no authentication"
    printf '%-22s %12s %10s %10s %10s %10s %7s\n' "${name}" "$(rps "${label}")" \
        "$(pct "${label}" 50)" "$(pct "${label}" 75)" "$(pct "${label}" 90)" "$(pct "${label}" 99)" "$(errors "${label}")"
done
awk -v b="$(rps jwtbearer)" -v a="$(rps bearer)" -v c="$(rps bearer-nocache)" -v n="$(rps no-auth)" \
    'BEGIN { printf "requests/s ratio to JwtBearer: bearer (defaults, cache on) %.2fx, bearer with the cache off %.2fx, no authentication at all (the ceiling) %.2fx\n", a / b, c / b, n / b }'
