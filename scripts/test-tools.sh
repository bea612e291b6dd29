#!/usr/bin/env bash
# Makes the programs the library interop tests need available, and prints where they are.
#
#   scripts/test-tools.sh chromium       headless Chromium and its ChromeDriver; prints
#                                        `export CHROMIUM=...` and `export CHROMEDRIVER=...`
#   scripts/test-tools.sh node           Node.js and npm; prints `export NODE=...` and `export NPM=...`
#   scripts/test-tools.sh npm-install DIR
#                                        `npm install` in DIR (a copy of a test's package.json), once
#                                        per package.json content; then `npm run build` if it has one
#
# Programs already on the PATH (or named by CHROMIUM, CHROMEDRIVER, NODE, NPM) are used as they are.
# Otherwise, on Debian or Ubuntu as root, the distribution's packages are installed (chromium,
# chromium-driver, nodejs, npm) through the machine's configured apt sources; elsewhere the script
# says what to install. Packages come from the npm registry of the machine's npm configuration.
# Messages go to stderr so that `eval "$(scripts/test-tools.sh chromium)"` stays clean.
set -euo pipefail

say() { echo "test-tools.sh: $*" >&2; }

# find_program VAR CANDIDATE... : the first executable among $VAR and the candidates, or nothing.
find_program() {
  local var="$1"; shift
  local named="${!var:-}"
  if [ -n "${named}" ] && [ -x "${named}" ]; then echo "${named}"; return 0; fi
  local candidate
  for candidate in "$@"; do
    if command -v "${candidate}" >/dev/null 2>&1; then command -v "${candidate}"; return 0; fi
  done
  return 1
}

# apt_install PACKAGE... : installs Debian packages, or explains why it cannot.
apt_install() {
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing: $*. Install them (Debian/Ubuntu: 'sudo apt-get install $*') and run again."
    exit 1
  fi
  say "installing $* from the apt sources (once per machine)"
  # A lock held by another apt run (unattended upgrades) is waited for, not failed on.
  local apt=(apt-get -q -o DPkg::Lock::Timeout=300)
  if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "$@" >&2; then
    "${apt[@]}" update >&2
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "$@" >&2
  fi
}

ensure_chromium() {
  local chromium driver
  chromium="$(find_program CHROMIUM chromium chromium-browser google-chrome || true)"
  driver="$(find_program CHROMEDRIVER chromedriver || true)"
  if [ -z "${chromium}" ] || [ -z "${driver}" ]; then
    apt_install chromium chromium-driver
    chromium="$(find_program CHROMIUM chromium)"
    driver="$(find_program CHROMEDRIVER chromedriver)"
  fi
  echo "export CHROMIUM='${chromium}'"
  echo "export CHROMEDRIVER='${driver}'"
}

ensure_node() {
  local node npm
  node="$(find_program NODE node nodejs || true)"
  npm="$(find_program NPM npm || true)"
  if [ -z "${node}" ] || [ -z "${npm}" ]; then
    apt_install nodejs npm
    node="$(find_program NODE node nodejs)"
    npm="$(find_program NPM npm)"
  fi
  echo "export NODE='${node}'"
  echo "export NPM='${npm}'"
}

npm_install() {
  local dir="$1" stamp digest
  [ -f "${dir}/package.json" ] || { say "${dir}/package.json not found"; exit 1; }
  eval "$(ensure_node)"
  stamp="${dir}/node_modules/.tributary-installed"
  digest="$(sha256sum "${dir}/package.json" | cut -d' ' -f1)"
  if [ -f "${stamp}" ] && [ "$(cat "${stamp}")" = "${digest}" ]; then
    say "${dir}: packages already installed"
  else
    say "${dir}: npm install"
    (cd "${dir}" && "${NPM}" install --no-package-lock --no-audit --no-fund --loglevel=error >&2)
    echo "${digest}" >"${stamp}"
  fi
  if grep -q '"build"' "${dir}/package.json"; then
    (cd "${dir}" && PATH="$(dirname "${NODE}"):${PATH}" "${NPM}" run --silent build >&2)
  fi
  echo "export NODE='${NODE}'"
}

case "${1:-}" in
  chromium) ensure_chromium ;;
  node) ensure_node ;;
  npm-install) npm_install "${2:?usage: test-tools.sh npm-install DIR}" ;;
  *) sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
