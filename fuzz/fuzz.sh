#!/usr/bin/env bash
# Coverage-guided fuzzing of the token reader + validator (and the JWKS reader) under AFL++ with SharpFuzz.
#   fuzz/fuzz.sh [SECONDS] [WORKERS]     default: 1800 s (30 min), 1 worker; findings in fuzz/out/
# Needs: afl++ (`apt-get install afl++`), the SharpFuzz instrumenter (`dotnet tool install --global SharpFuzz.CommandLine`).
# See fuzz/README.md for what it checks and how to turn a crash into a regression test.
set -euo pipefail

seconds="${1:-1800}"
workers="${2:-1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/fuzz"
bin="$fuzz/out/bin"
corpus="$fuzz/out/seeds"
findings="$fuzz/out/findings"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 1; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || { echo "sharpfuzz not found: dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0" >&2; exit 1; }

rm -rf "$bin" "$corpus" "$findings"   # each run starts over: copy findings you want to keep
dotnet publish "$fuzz/Bearer.Auth.Fuzz" -c Release -o "$bin" --nologo -v quiet
# Seeds first: an instrumented library only runs under afl-fuzz (it writes coverage to AFL's shared memory).
dotnet "$bin/Bearer.Auth.Fuzz.dll" seeds "$corpus" "$root/tests/Bearer.Auth.Tests/Vectors"
# Only the library is instrumented: coverage of the harness or the BCL would only dilute the map.
sharpfuzz "$bin/Bearer.Auth.dll"

# dotnet itself is not instrumented (the library is, at IL level): AFL++ must not refuse the binary for that.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export DOTNET_TieredPGO=0 DOTNET_TC_QuickJitForLoops=1
mkdir -p "$findings"
pids=()
for i in $(seq 1 "$workers"); do
  role=$([ "$i" = 1 ] && echo -M || echo -S)
  afl-fuzz -i "$corpus" -o "$findings" $role "w$i" -V "$seconds" -t 1000+ -m none -x "$fuzz/jwt.dict" \
    -- dotnet "$bin/Bearer.Auth.Fuzz.dll" > "$fuzz/out/afl-w$i.log" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done

for stats in "$findings"/*/fuzzer_stats; do
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|stability)\b' "$stats" | sed "s|^|$(basename "$(dirname "$stats")"): |"
done
crashes=$(find "$findings" -path '*/crashes/id:*' -o -path '*/hangs/id:*' | wc -l)
# The instrumented build runs only under afl-fuzz: replay with a plain build.
echo "crashes + hangs: $crashes (replay: dotnet build $fuzz/Bearer.Auth.Fuzz && dotnet $fuzz/Bearer.Auth.Fuzz/bin/Debug/net10.0/Bearer.Auth.Fuzz.dll replay $findings/w1/crashes)"
exit $status
