#!/usr/bin/env bash
# Issue 12's build-cost figures: the solution's build time before and after the generated models
# (src/Klaviyo.Models), the CPU the Models trim/AOT analyzers cost, and the size of the generated code.
#
#   tools/measure-build-time.sh [ROUNDS]      (2 rounds by default)
#
# "before" is the parent of the commit that added src/Klaviyo.Models/Klaviyo.Models.csproj, "after" is main (or HEAD
# when there is no main); override with BEFORE=rev AFTER=rev. Each is checked out in a detached worktree
# (BEFORE_DIR, AFTER_DIR; temporary folders by default, removed at the end unless KEEP=1) and built as .ci/run builds
# it: `dotnet build Klaviyo.sln --no-restore`, Debug.
#   cold:        git clean -fdx (no bin/, no obj/), dotnet restore (not timed), dotnet build-server shutdown, build;
#   incremental: the same build again, nothing changed.
# Runs are interleaved (round 1: before, after; round 2: after, before; …) and each prints the 1-minute load
# average before and after it: on a shared machine the wall-clock figures are only as quiet as the machine was.
# `dotnet build-server shutdown` stops every build server of the user, other checkouts' included: run it where that
# is fine. The analyzer figure is CPU time (user+sys), which load disturbs less: Klaviyo.Models rebuilt alone, with the compiler
# in-process (no build server), with and without -p:KlaviyoAnalyzeTrimming=true.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
rounds=${1:-2}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

added=$(git log --diff-filter=A --format=%H -- src/Klaviyo.Models/Klaviyo.Models.csproj | tail -1)
[ -n "$added" ] || { echo "measure: no commit adds src/Klaviyo.Models/Klaviyo.Models.csproj" >&2; exit 1; }
before_rev=$(git rev-parse "${BEFORE:-$added^}")
after_rev=$(git rev-parse "${AFTER:-$(git rev-parse -q --verify main >/dev/null && echo main || echo HEAD)}")
scratch=$(mktemp -d)
before_dir=${BEFORE_DIR:-$scratch/before}
after_dir=${AFTER_DIR:-$scratch/after}

cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    for d in "$before_dir" "$after_dir"; do git -C "$repo" worktree remove --force "$d" 2>/dev/null || true; done
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

checkout() { # DIR REV
  if [ -e "$1/.git" ]; then git -C "$1" checkout -q --detach "$2"; else git worktree add -q --detach "$1" "$2"; fi
}
checkout "$before_dir" "$before_rev"
checkout "$after_dir" "$after_rev"

load() { cut -d' ' -f1 /proc/loadavg; }
seconds() { # LOG: the elapsed seconds GNU time wrote last
  tail -1 "$1" | cut -d' ' -f1
}
timed() { # LOG COMMAND…: runs it, appends "elapsed user sys" to LOG; fails with the build's output on failure
  local log=$1; shift
  if ! /usr/bin/time -f '%e %U %S' -a -o "$log" "$@" >"$log.out" 2>&1; then
    tail -30 "$log.out" >&2; echo "measure: '$*' failed" >&2; exit 1
  fi
}

echo "machine: $(nproc) cores; dotnet $(dotnet --version)"
echo "before: ${before_rev:0:7} ($before_dir)   after: ${after_rev:0:7} ($after_dir)"
echo
printf '%-7s %-12s %5s %9s %14s\n' tree build round seconds "load (1 min)"

measure() { # NAME DIR ROUND
  local name=$1 dir=$2 round=$3 log l0
  log="$scratch/$name.$round"
  (
    cd "$dir"
    git clean -fdxq
    dotnet restore Klaviyo.sln >/dev/null
    dotnet build-server shutdown >/dev/null 2>&1 || true
  )
  l0=$(load)
  (cd "$dir" && timed "$log.cold" dotnet build Klaviyo.sln --no-restore)
  printf '%-7s %-12s %5s %9s %14s\n' "$name" cold "$round" "$(seconds "$log.cold")" "$l0 → $(load)"
  l0=$(load)
  (cd "$dir" && timed "$log.incr" dotnet build Klaviyo.sln --no-restore)
  printf '%-7s %-12s %5s %9s %14s\n' "$name" incremental "$round" "$(seconds "$log.incr")" "$l0 → $(load)"
}
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
  for name in $order; do
    if [ "$name" = before ]; then measure before "$before_dir" "$round"; else measure after "$after_dir" "$round"; fi
  done
done

echo
echo "Klaviyo.Models alone, compiler in-process, CPU seconds (user+sys):"
for round in $(seq 1 "$rounds"); do
  for analyze in false true; do
    log="$scratch/models.$analyze.$round"
    l0=$(load)
    (cd "$after_dir" && timed "$log" dotnet build src/Klaviyo.Models --no-restore --no-dependencies \
      --no-incremental -nodeReuse:false -p:UseSharedCompilation=false -p:KlaviyoAnalyzeTrimming=$analyze)
    read -r elapsed user sys < <(tail -1 "$log")
    printf '  analyzers %-5s round %s: %6.1f s CPU, %6.1f s elapsed  (load %s → %s)\n' \
      "$([ $analyze = true ] && echo on || echo off)" "$round" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$elapsed" "$l0" "$(load)"
  done
done

echo
echo "generated code (after):"
for d in src/Klaviyo.Models/Generated src/Klaviyo.Operations/Generated; do
  files=$(find "$after_dir/$d" -type f -name '*.cs' | wc -l)
  lines=$(find "$after_dir/$d" -type f -name '*.cs' -print0 | xargs -0 cat | wc -l)
  bytes=$(find "$after_dir/$d" -type f -name '*.cs' -printf '%s\n' | awk '{s+=$1} END {print s}')
  printf '  %-34s %5d files %9d lines %11d bytes\n' "$d" "$files" "$lines" "$bytes"
done
if [ -d "$before_dir/src/Klaviyo.Operations/Generated" ]; then
  d=src/Klaviyo.Operations/Generated
  files=$(find "$before_dir/$d" -type f -name '*.cs' | wc -l)
  lines=$(find "$before_dir/$d" -type f -name '*.cs' -print0 | xargs -0 cat | wc -l)
  bytes=$(find "$before_dir/$d" -type f -name '*.cs' -printf '%s\n' | awk '{s+=$1} END {print s}')
  printf '  %-34s %5d files %9d lines %11d bytes  (before)\n' "$d" "$files" "$lines" "$bytes"
fi
echo "assemblies (Debug, as built above):"
for p in "after:Klaviyo.Models" "after:Klaviyo.Operations" "before:Klaviyo.Operations"; do
  tree=${p%%:*} name=${p#*:}
  dir=$([ "$tree" = before ] && echo "$before_dir" || echo "$after_dir")
  dll="$dir/src/$name/bin/Debug/net10.0/$name.dll"
  [ -f "$dll" ] && printf '  %-6s %-24s %11d bytes\n' "$tree" "$name.dll" "$(stat -c %s "$dll")"
done
