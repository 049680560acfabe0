#!/usr/bin/env bash
# Packs the `klaviyo` dotnet tool (src/Klaviyo.Cli), installs it from that package into a temporary tool path, and
# checks that the installed command runs: `klaviyo operations --tag Accounts` must list get_accounts.
# Exits non-zero on any failure; leaves nothing behind (the package cache used is temporary too, so a stale
# Klaviyo.Cli of the same version in ~/.nuget/packages can never stand in for the one just packed).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "pack-and-install-tool: $1" >&2; exit 1; }

version=$(dotnet msbuild src/Klaviyo.Cli/Klaviyo.Cli.csproj -getProperty:Version) || fail "cannot read the version"
[ -n "$version" ] || fail "the project has no version"

dotnet pack src/Klaviyo.Cli/Klaviyo.Cli.csproj -c Release -o "$tmp/nupkg" || fail "dotnet pack failed"
[ -f "$tmp/nupkg/Klaviyo.Cli.$version.nupkg" ] || fail "no Klaviyo.Cli.$version.nupkg was produced"

# Only the freshly packed package is a source: Klaviyo.Cli is never looked up anywhere else.
cat > "$tmp/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="packed" value="$tmp/nupkg" />
  </packageSources>
</configuration>
XML
NUGET_PACKAGES="$tmp/packages" dotnet tool install Klaviyo.Cli \
  --tool-path "$tmp/tools" --configfile "$tmp/nuget.config" --version "$version" \
  || fail "dotnet tool install failed"

[ -x "$tmp/tools/klaviyo" ] || fail "the tool path has no klaviyo command"
out=$("$tmp/tools/klaviyo" operations --tag Accounts) || fail "klaviyo operations --tag Accounts exited $?"
echo "$out"
grep -qE '^get_accounts +GET +/api/accounts( |$)' <<<"$out" \
  || fail "klaviyo operations --tag Accounts does not list get_accounts"

echo "pack-and-install-tool: Klaviyo.Cli $version packs, installs and runs"
