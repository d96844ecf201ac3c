#!/usr/bin/env bash
# Worker start-up per deployment kind: packs the library, builds one app against the package in each
# way it can be deployed, and measures `new ProcessPoolExecutor` to the first result of a no-op Submit
# (fresh one-worker pools; StartupApp.cs). Prints a markdown table of medians; figures are recorded
# in docs/benchmarks.md.
#
#   bench/deployment/startup.sh [--rounds N] [--samples N] [--baseline GIT-REF] [--only KIND,KIND...]
#
# --baseline also measures a portable app against the package built from GIT-REF (exported with
# git archive, nothing checked out; its kind is portable-base). --only measures some kinds (portable,
# portable-il, apphost, apphost-no-dotnet, self-contained, single-file). Rounds interleave the kinds,
# so machine noise spreads evenly over them.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=3 samples=20 baseline="" only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--samples N] [--baseline GIT-REF] [--only KIND,KIND...]" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d /tmp/pp-startup-XXXXXX)
version="0.0.0-startup.$(date -u +%Y%m%d%H%M%S).$$"
packages="$HOME/.nuget/packages"
trap 'rm -rf "$work" "$packages/processpool/$version" "$packages/processpool/$version-il" "$packages/processpool/$version-base"' EXIT

pack() { # pack <source tree> <version> [msbuild args...]
  local src=$1 ver=$2; shift 2
  dotnet pack "$src/src/ProcessPool/ProcessPool.csproj" -c Release -o "$work/feed" -p:Version="$ver" "$@" >"$work/pack.log" 2>&1 \
    || { cat "$work/pack.log"; exit 1; }
}
app() { # app <name> <package version> <dotnet build/publish args...>: builds the app into $work/<name>
  local name=$1 ver=$2; shift 2
  mkdir -p "$work/src-$name"
  cp bench/deployment/StartupApp.cs "$work/src-$name/Program.cs"
  cat >"$work/src-$name/nuget.config" <<XML
<configuration><packageSources><add key="local" value="$work/feed" /></packageSources></configuration>
XML
  cat >"$work/src-$name/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup><PackageReference Include="ProcessPool" Version="$ver" /></ItemGroup>
</Project>
XML
  (cd "$work/src-$name" && dotnet "$@" -c Release -o "$work/$name" >"$work/build-$name.log" 2>&1) \
    || { cat "$work/build-$name.log"; exit 1; }
}

empty=$(mktemp -d "$work/empty-XXXXXX")
kinds=(portable portable-il apphost apphost-no-dotnet self-contained single-file)
if [ -n "$baseline" ]; then kinds+=(portable-base); fi
if [ -n "$only" ]; then IFS=, read -r -a kinds <<<"$only"; fi

declare -A label command
label[portable]="framework-dependent, portable (\`dotnet App.dll\`)|dotnet exec ProcessPool.dll (ReadyToRun, from runtimes/linux-x64)"
label[portable-il]="framework-dependent, portable, package built without ReadyToRun|dotnet exec ProcessPool.dll (IL)"
label[portable-base]="framework-dependent, portable, package from $baseline|dotnet exec ProcessPool.dll"
label[apphost]="framework-dependent, \`-r linux-x64\` (\`./App\`)|dotnet exec ProcessPool.dll (ReadyToRun)"
label[apphost-no-dotnet]="framework-dependent, \`-r linux-x64\`, no dotnet to be found|the app's own executable + startup hook"
label[self-contained]="self-contained, \`-r linux-x64\`|the app's own executable + startup hook"
label[single-file]="self-contained single file|the app's own executable + startup hook"
command[portable]="dotnet $work/portable/App.dll"
command[portable-il]="dotnet $work/portable-il/App.dll"
command[portable-base]="dotnet $work/portable-base/App.dll"
command[apphost]="$work/apphost/App"
command[apphost-no-dotnet]="env -i PATH=$empty HOME=$HOME DOTNET_ROOT=$work/root-without-dotnet $work/apphost/App"
command[self-contained]="env -i PATH=$empty HOME=$HOME $work/self-contained/App"
command[single-file]="env -i PATH=$empty HOME=$HOME $work/single-file/App"

pack . "$version"
for kind in "${kinds[@]}"; do
  case "$kind" in
    portable) app portable "$version" build ;;
    portable-il) pack . "$version-il" -p:ProcessPoolReadyToRun=false && app portable-il "$version-il" build ;;
    portable-base)
      mkdir -p "$work/baseline" && git archive "$baseline" | tar -x -C "$work/baseline"
      pack "$work/baseline" "$version-base" && app portable-base "$version-base" build ;;
    apphost) [ -d "$work/apphost" ] || app apphost "$version" build -r linux-x64 ;;
    apphost-no-dotnet)
      [ -d "$work/apphost" ] || app apphost "$version" build -r linux-x64
      # A .NET installation without the 'dotnet' executable: the host libraries and the runtime only.
      dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
      runtime=$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App / {v=$2} END {print v}')
      mkdir -p "$work/root-without-dotnet/shared/Microsoft.NETCore.App"
      cp -r "$dotnet_root/host" "$work/root-without-dotnet/"
      cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" "$work/root-without-dotnet/shared/Microsoft.NETCore.App/" ;;
    self-contained) app self-contained "$version" publish -r linux-x64 --self-contained ;;
    single-file) app single-file "$version" publish -r linux-x64 --self-contained -p:PublishSingleFile=true ;;
    *) echo "unknown kind: $kind" >&2; exit 2 ;;
  esac
done

declare -A all
for ((r = 1; r <= rounds; r++)); do
  for kind in "${kinds[@]}"; do
    all[$kind]+=" $(timeout 300 ${command[$kind]} "$samples")"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f ms (p10 %.1f, p90 %.1f, n=%d)", m, a[int(NR*0.1)+1], a[int(NR*0.9)], NR}'; }
echo "| deployment | worker started as | new pool to first result, median |"
echo "|---|---|---:|"
for kind in "${kinds[@]}"; do
  echo "| ${label[$kind]%%|*} | ${label[$kind]#*|} | $(median <<<"${all[$kind]}") |"
done
