#!/usr/bin/env bash
# The documentation site: builds docs/ with VitePress (a broken link or a page missing from the sidebar fails the
# build), then opens it in headless Chromium (Debian's package) and checks that the home page, the API reference and a
# troubleshooting entry render and that search works. Installs what it needs (Node.js 18+, npm packages from
# docs/package-lock.json, chromium). Preview locally: cd docs && npm ci && npm run dev
set -euo pipefail
cd "$(dirname "$0")/.."

need_install=()
if ! command -v node >/dev/null 2>&1 || ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)'; then
  need_install+=(nodejs npm)
fi
command -v npm >/dev/null 2>&1 || need_install+=(npm)
[ -x /usr/bin/chromium ] || need_install+=(chromium)
if [ ${#need_install[@]} -gt 0 ]; then
  echo "Installing ${need_install[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need_install[@]}"
fi
node --version

cd docs
npm ci --no-audit --no-fund
npm run build
npm run test:browser
