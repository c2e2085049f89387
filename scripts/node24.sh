#!/usr/bin/env bash
# Prints the folder holding a Node.js 24 LTS `node` binary, installing it first if needed.
#
# These machines only have Node 20 (end of life 2026-04-30); the npm package `node` brings Node 24 LTS
# from the npm registry (the only registry they reach), with its C headers. Nothing needs rebuilding
# for it: the project's native modules are N-API builds, except better-sqlite3 12, which Node 24 never
# loads (src/platform/sqlite/sqlite-driver.ts picks better-sqlite3 13 there).
#
#   PATH="$(scripts/node24.sh):$PATH" npm test        # the whole suite on Node 24
#
# NODE24_HOME: where it is kept (default .cache/node24 in the checkout, git-ignored: inside the checkout
# because the drills run the portal as an unprivileged user, who cannot enter /root); NODE24_VERSION: the
# npm version range of the `node` package (default 24: the newest 24.x, with its security fixes).
set -euo pipefail
home="${NODE24_HOME:-$(cd "$(dirname "$0")/.." && pwd)/.cache/node24}"
range="${NODE24_VERSION:-24}"
platform="$(uname -s | tr "[:upper:]" "[:lower:]")-$(uname -m | sed -e s/x86_64/x64/ -e s/aarch64/arm64/)"
bin="${home}/node_modules/node/node_modules/node-${platform}/bin"

if [[ ! -x "${bin}/node" ]] || [[ "$("${bin}/node" --version)" != v24.* ]]; then
  mkdir -p "${home}"
  # the package's preinstall script fetches the platform's binary package: allow that script only
  printf '{"name":"node24-runtime","private":true,"allowScripts":{"node":true}}\n' >"${home}/package.json"
  (cd "${home}" && npm install --no-audit --no-fund --no-save "node@${range}" >&2)
fi
[[ -x "${bin}/node" ]] || { echo "node24.sh: no node binary at ${bin}" >&2; exit 1; }
echo "${bin}"
