// Launches Debian's Chromium headless through playwright-core (never a downloaded browser), as the end-to-end
// tests and the latency benchmark both need it.
import { chromium } from 'playwright-core';

// A camera and microphone for pages that publish (a test pattern and a beep, allowed without asking), and WebRTC
// that connects over loopback with real host addresses instead of mDNS names.
export const fakeCamera = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'];

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Without the background-networking flags Chromium keeps trying to reach the internet from a closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
  });
}
