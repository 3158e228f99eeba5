// Launches Debian's Chromium headless through playwright-core (never a downloaded browser), as the end-to-end
// tests and the latency benchmark both need it.
import { chromium } from 'playwright-core';

// What a WebRTC publisher on loopback needs: fake camera and microphone, no permission prompt, and 127.0.0.1 as a
// host candidate (libwebrtc skips loopback and hides host addresses behind mDNS otherwise).
export const webRtcPublisherArgs = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'];

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Without the background-networking flags Chromium keeps trying to reach the internet from a closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
  });
}
