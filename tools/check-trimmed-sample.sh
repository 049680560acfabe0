#!/usr/bin/env bash
# Publishes samples/Trimmed trimmed (self-contained, ILLink on) and checks issue 12's promise:
#   1. no trim warning comes from our own assemblies (Klaviyo.*) — LanguageExt and Flurl warn about their own code;
#   2. the trimmed app runs a dry run, a stub run decoded into the generated models, and a typed body, correctly.
# Prints what it found; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
log="$out/publish.log"
rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
if ! dotnet publish samples/Trimmed -c Release -r "$rid" --self-contained -p:PublishTrimmed=true \
  -p:TrimmerSingleWarn=false -p:TreatWarningsAsErrors=false -o "$out/app" >"$log" 2>&1; then
  tail -30 "$log"; echo "trimmed sample: publish failed" >&2; exit 1
fi
ours=$(grep -E 'warning IL[0-9]+: Klaviyo\.' "$log" | sed 's/ \[.*//' | sort -u)
theirs=$(grep -E 'warning IL[0-9]+:' "$log" | grep -vE 'warning IL[0-9]+: Klaviyo\.' | sed 's/ \[.*//' | sort -u \
  | sed -nE 's/.*warning IL[0-9]+: ([A-Za-z]+)\..*/\1/p' | sort | uniq -c | tr '\n' ' ')
echo "trimmed sample: trim warnings from Klaviyo assemblies: $(grep -c . <<<"$ours" || true); from dependencies: ${theirs:-none}"
if [ -n "$ours" ]; then echo "$ours" >&2; exit 1; fi
run=$("$out/app/Klaviyo.Samples.Trimmed" 2>&1); code=$?
echo "$run" | sed 's/^/  | /'
for expected in "dry run: ok" "typed: ann@example.com" "typed body: ok"; do
  grep -qxF "$expected" <<<"$run" || { echo "trimmed sample: missing '$expected' (exit $code)" >&2; exit 1; }
done
[ "$code" -eq 0 ] || { echo "trimmed sample: exit $code" >&2; exit 1; }
rm -rf "$out"
echo "trimmed sample: ok"
