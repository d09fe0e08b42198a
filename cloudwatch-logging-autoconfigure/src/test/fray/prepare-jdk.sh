#!/usr/bin/env bash
# Run by the build (maven-antrun-plugin, phase initialize) before Fray's prepare-fray.
#
#   prepare-jdk.sh WRAPPER_DIR JDK [REQUESTED]
#
# Fray's plugin jlinks an instrumented JDK 25 from JDK/jmods. Temurin 25 ships no jmods (JEP 493: jlink links
# from the run-time image instead), so WRAPPER_DIR becomes a JDK that is JDK by symlinks plus a jmods/ holding one
# stub module that requires every module of JDK but jdk.jlink and jdk.jpackage (which a run-time-image link refuses):
# jlink then takes those modules from JDK's own image. A JDK with jmods/ is simply mirrored.
#
# JDK is empty when the pom's profiles found no JDK 25 (REQUESTED is -Dfray.jdk, if given): one line says why,
# and the Fray executions are off. Quiet and idempotent: nothing is done while WRAPPER_DIR matches JDK.
set -euo pipefail

out=$1
jdk=${2:-}
requested=${3:-}
[[ $requested == '${'* ]] && requested=   # -Dfray.jdk not given: Ant passes the expression through
default=/usr/lib/jvm/temurin-25-jdk-amd64

if [[ -z $jdk ]]; then
    if [[ -n $requested ]]; then where="-Dfray.jdk=$requested"
    elif [[ -n ${JDK25_HOME:-} ]]; then where="JDK25_HOME=$JDK25_HOME nor $default"
    else where=$default; fi
    echo "Fray concurrency tests skipped: no JDK 25 at $where (set JDK25_HOME or -Dfray.jdk=/path/to/jdk-25)"
    exit 0
fi

jdk=$(cd "$jdk" && pwd -P)
if ! grep -q '^JAVA_VERSION="25' "$jdk/release" || [[ ! -x $jdk/bin/jlink ]]; then
    echo "Fray needs a JDK 25 (with bin/jlink); $jdk has $(grep '^JAVA_VERSION=' "$jdk/release")" >&2
    exit 1
fi

stamp="$out/.fray-jdk-source"
want="$jdk $(cksum < "$jdk/release")"
if [[ -f $stamp && $(< "$stamp") == "$want" ]]; then
    exit 0
fi

# A different (or no) wrapper before: Fray's instrumented copy of it, if any, is stale too.
if [[ -e $out ]]; then
    rm -rf "$out" "$(dirname "$out")/fray/fray-java"
fi
mkdir -p "$out"
for entry in "$jdk"/*; do
    ln -s "$entry" "$out/$(basename "$entry")"
done

if [[ ! -d $jdk/jmods ]]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/src" "$work/classes" "$out/jmods"
    {
        echo 'module fray.jdk.all {'
        "$jdk/bin/java" --list-modules | sed 's/@.*//' | grep -vx -e jdk.jlink -e jdk.jpackage | sed 's/.*/    requires &;/'
        echo '}'
    } > "$work/src/module-info.java"
    if ! "$jdk/bin/javac" -nowarn -d "$work/classes" "$work/src/module-info.java" > "$work/log" 2>&1 \
        || ! "$jdk/bin/jmod" create --class-path "$work/classes" "$out/jmods/fray.jdk.all.jmod" >> "$work/log" 2>&1; then
        cat "$work/log" >&2
        exit 1
    fi
fi

echo "$want" > "$stamp"
