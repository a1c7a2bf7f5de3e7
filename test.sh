#!/usr/bin/env bash
# The test command (README "Test"; .ci/run calls exactly this): installs what the browser tests
# need when it is missing — Debian's chromium and chromium-driver, and an emoji font for faithful
# screenshots — then runs every test. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ -x /usr/bin/chromedriver ] || packages+=(chromium-driver)
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || packages+=(fonts-noto-color-emoji)
if [ "${#packages[@]}" -gt 0 ] && [ "${CODVID_SKIP_BROWSER_TESTS:-}" != "true" ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "Installing ${packages[*]} for the dashboard's browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y "${packages[@]}" >&2; then
    "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" apt-get install -y "${packages[@]}" >&2
  fi
fi

exec mvn -q -B verify "$@"
