#!/usr/bin/env bash
# Installs the Debian packages ATP's tests need, and only those that are missing.
#
# Idempotent: when everything is present it changes nothing and does not touch the
# network. As root on Debian it runs `apt-get update` (only if something is missing)
# and `apt-get install -y` for the missing packages. Anywhere else (not root, no apt)
# it never fails: it prints what is missing so a person can install it.
#
# To add a package, append one line to PACKAGES: "<debian package> <what needs it>".
set -euo pipefail

PACKAGES=(
  "bubblewrap sandbox for untrusted code (code_exec evaluators, benchmarks)"
  "chromium real-browser tests of the web dashboard (playwright drives /usr/bin/chromium)"
  "valgrind instruction counts of benchmarks (bench_observability.py --instructions)"
)

is_installed() {
  local status
  status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]]
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for entry in "${PACKAGES[@]}"; do
    pkg="${entry%% *}"
    is_installed "$pkg" || missing+=("$pkg")
  done
else
  echo "ensure-system: dpkg-query not found (not Debian?); cannot check packages:" >&2
  for entry in "${PACKAGES[@]}"; do
    echo "  ${entry%% *}: ${entry#* }" >&2
  done
  exit 0
fi

start_postgres() {
  # The store's tests run against PostgreSQL on 127.0.0.1:5432 as well as SQLite.
  if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if [[ "$(id -u)" -eq 0 ]] && [[ -d /etc/postgresql ]]; then
      echo "ensure-system: starting PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    else
      echo "ensure-system: PostgreSQL is not answering on 127.0.0.1:5432" >&2
    fi
  fi
}
trap start_postgres EXIT

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "ensure-system: all system packages present"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  still=()
  for pkg in "${missing[@]}"; do
    is_installed "$pkg" || still+=("$pkg")
  done
  missing=("${still[@]+"${still[@]}"}")
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "ensure-system: missing system packages (install as root: apt-get install -y ${missing[*]}):" >&2
  for entry in "${PACKAGES[@]}"; do
    pkg="${entry%% *}"
    for m in "${missing[@]}"; do
      [[ "$m" == "$pkg" ]] && echo "  $pkg: ${entry#* }" >&2
    done
  done
fi
exit 0
