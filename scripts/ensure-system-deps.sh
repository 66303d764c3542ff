#!/usr/bin/env bash
# Installs the system packages the tests need, if they are missing: Debian's Chromium, which
# playwright-core drives for end-to-end tests and whose /usr/lib/chromium folder holds the
# SwiftShader Vulkan driver that the Node WebGPU parity tests run on; and Debian's Noto CJK
# fonts, so the zh-TW pages (and their screenshots) show real Chinese glyphs, not boxes.
set -euo pipefail
missing=()
if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/lib/chromium/vk_swiftshader_icd.json ]; then
  missing+=(chromium)
fi
if ! fc-list 2>/dev/null | grep -q 'Noto Sans CJK TC'; then
  missing+=(fonts-noto-cjk)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Missing system packages. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]} (end-to-end tests, SwiftShader WebGPU, CJK fonts)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
