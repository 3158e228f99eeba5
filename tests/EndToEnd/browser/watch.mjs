// Opens a NIO watch page in headless Chromium and reports how playback went, as one JSON line on stdout:
//   node watch.mjs URL SECONDS [CHAT_TEXT]
//     →  {"advanced":…,"currentTime":…,"phase":…,"fatalErrors":…,"latency":…,"chat":[…],"viewers":…,"console":[…]}
// "advanced" is how far the video's currentTime moved during SECONDS of watching after playback started. With
// CHAT_TEXT it then waits for a chat line containing that text; "chat" holds the chat lines' text, as drawn.
import { launchChromium } from './chromium.mjs';

const [url, seconds = '5', chatText] = process.argv.slice(2);
const browser = await launchChromium();
const console_ = [];
try {
  const page = await browser.newPage();
  page.on('console', (message) => console_.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => console_.push(`pageerror: ${error.message}`));
  await page.goto(url);
  const video = page.getByTestId('player');
  await page.waitForFunction(() => (document.querySelector('[data-testid=player]')?.currentTime ?? 0) > 0, null, { timeout: 30000 });
  const before = await video.evaluate((v) => v.currentTime);
  await page.waitForTimeout(Number(seconds) * 1000);
  const state = await video.evaluate((v) => ({
    currentTime: v.currentTime,
    phase: v.dataset.phase,
    fatalErrors: Number(v.dataset.fatalErrors),
    videoWidth: v.videoWidth,
  }));
  const latency = await page.getByTestId('latency').textContent({ timeout: 1000 }).catch(() => null);
  if (chatText) {
    await page.getByTestId('chat-line').filter({ hasText: chatText }).first().waitFor({ timeout: 30000 });
  }
  const chat = await page.getByTestId('chat-line').allTextContents();
  const viewers = await page.getByTestId('viewer-count').textContent({ timeout: 1000 }).catch(() => null);
  console.log(JSON.stringify({ advanced: state.currentTime - before, ...state, latency, chat, viewers, console: console_ }));
} catch (error) {
  console.log(JSON.stringify({ error: String(error), console: console_ }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
