#!/usr/bin/env bash
# Installs the system packages the tests need, if they are missing: Debian's Chromium, which
# playwright-core drives for end-to-end tests and whose /usr/lib/chromium folder holds the
# SwiftShader Vulkan driver that the Node WebGPU parity tests run on.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -f /usr/lib/chromium/vk_swiftshader_icd.json ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Chromium is missing. Install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "Installing Debian's chromium (for end-to-end tests and SwiftShader WebGPU)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
