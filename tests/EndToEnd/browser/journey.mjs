// The web app end to end, as two people use it: a streamer and a viewer sign up through the pages, the streamer
// creates a stream in the studio, tries "Go live from the browser" with Chromium's fake camera (the WHIP offer it
// posts is recorded), then ffmpeg publishes with the Server and Stream key read off the page; the viewer
// finds it (home, search), watches, follows, chats; the streamer deletes the viewer's message; an admin grants the
// viewer coins and gives the Rose new artwork; the viewer sends a Rose, sees its animation, and buys coins through
// Stripe (stood in for); an operator previews the live stream in the admin panel; the streamer's wallet shows the
// beans; Русский; manifest and service worker; reloads keep both signed in; axe.
//   JOURNEY='{"baseUrl":…,"adminUrl":…,"adminEmail":…,"adminPassword":…,"stripeStandIn":…,"screenshots":DIR}' node journey.mjs
// Prints one JSON line: {"steps":[…], "facts":{…}, "axe":[…], "screenshots":[…], "error":…}.
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { fakeCamera, launchChromium } from './chromium.mjs';

const config = JSON.parse(process.env.JOURNEY);
const base = config.baseUrl;
const steps = [];
const facts = {};
const axe = [];
const screenshots = [];
const consoleErrors = [];
const overflowing = [];
mkdirSync(config.screenshots, { recursive: true });
const stripeJs = await readFile(new URL('./stripe-js-stand-in.js', import.meta.url), 'utf8');

// A touch screen at phone size; not Chromium's mobile emulation, whose zoom would distort the desktop-size shots.
const phone = { viewport: { width: 390, height: 844 }, hasTouch: true };
const desktop = { viewport: { width: 1280, height: 800 } };
const titleOfStream = `Evening jazz ${Date.now().toString(36)}`;
const streamerName = `Anna ${Date.now().toString(36)}`;

async function step(name, work) {
  const started = Date.now();
  try {
    const result = await work();
    steps.push({ name, ms: Date.now() - started });
    return result;
  } catch (error) {
    steps.push({ name, ms: Date.now() - started, error: String(error).slice(0, 2000) });
    throw error;
  }
}

/** Both sizes of a page, for a person to look at. */
async function shoot(page, name) {
  const size = page.viewportSize();
  for (const [label, viewport] of [['phone', phone.viewport], ['desktop', desktop.viewport]]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(300);
    // Nothing may be wider than the screen (no sideways scrolling at either size).
    if (await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)) overflowing.push(`${name} (${label})`);
    const path = `${config.screenshots}/${name}-${label}.png`;
    await page.screenshot({ path });
    screenshots.push(path);
  }
  await page.setViewportSize(size);
}

async function audit(page, name) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
    axe.push({ page: name, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) });
  }
}

async function signUp(page, email, displayName) {
  await page.goto(`${base}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Password').fill('correct horse 12');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('link', { name: 'My profile' }).waitFor();
}

async function api(path, init = {}) {
  const response = await fetch(base + path, { ...init, headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const browser = await launchChromium(fakeCamera);
let publisher = null;
try {
  const streamerContext = await browser.newContext({ ...desktop, locale: 'en-US' });
  const viewerContext = await browser.newContext({ ...phone, locale: 'en-US' });
  for (const context of [streamerContext, viewerContext]) {
    await context.route('https://js.stripe.com/**', (route) => route.fulfill({ contentType: 'application/javascript', body: stripeJs }));
    await context.route('https://api.stripe.com/v1/payment_intents/*/confirm', async (route) => {
      const id = new URL(route.request().url()).pathname.split('/')[3];
      const answer = await fetch(`${config.stripeStandIn}/v1/payment_intents/${id}/confirm`, { method: 'POST' });
      await route.fulfill({ status: answer.status, contentType: 'application/json', body: await answer.text() });
    });
  }
  const streamer = await streamerContext.newPage();
  const viewer = await viewerContext.newPage();
  for (const [who, page] of [['streamer', streamer], ['viewer', viewer]]) {
    page.on('pageerror', (error) => consoleErrors.push(`${who} pageerror: ${error.message}`));
    // Anything the page's Content Security Policy refused (a script, a playlist, a frame) is a broken page too.
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) consoleErrors.push(`${who} CSP: ${message.text()}`);
    });
  }

  await step('guest pages', async () => {
    await viewer.goto(`${base}/`);
    await viewer.getByRole('heading', { name: 'Live now' }).waitFor();
    await audit(viewer, 'home (guest)');
    await viewer.goto(`${base}/signup`);
    await audit(viewer, 'sign up');
    await shoot(viewer, 'sign-up');
    await viewer.goto(`${base}/signin`);
    await audit(viewer, 'sign in');
  });

  await step('streamer signs up', () => signUp(streamer, `anna-${Date.now()}@example.com`, streamerName));

  const { server, key } = await step('streamer creates a stream in the studio', async () => {
    await streamer.getByRole('link', { name: 'Go live' }).click();
    await streamer.getByLabel('Title').fill(titleOfStream);
    await streamer.getByRole('checkbox', { name: /Record this stream/ }).check();
    await streamer.getByRole('button', { name: 'Create stream' }).click();
    const serverField = streamer.getByRole('textbox', { name: 'Server' });
    await serverField.waitFor();
    const server = await serverField.inputValue();
    const keyField = streamer.getByLabel('Stream key', { exact: true });
    facts.keyHiddenAtFirst = (await keyField.getAttribute('type')) === 'password';
    await streamer.getByRole('button', { name: 'Show' }).click();
    const key = await keyField.inputValue();
    await audit(streamer, 'studio (offline)');
    return { server, key };
  });
  facts.server = server;
  facts.streamId = await streamer.getByRole('link', { name: 'Open the viewer page' }).getAttribute('href').then((h) => h.split('/').pop());

  await step('streamer tries to go live from the browser', async () => {
    // Every request to the WHIP endpoint is recorded and answered by the Ingest itself. Playwright answers the CORS
    // preflight of a routed request on its own; the answer it passes on keeps the Ingest's CORS headers.
    facts.whipRequests = [];
    await streamer.route((url) => url.pathname.startsWith('/whip'), async (route) => {
      const request = route.request();
      facts.whipRequests.push({ method: request.method(), url: request.url(), authorization: await request.headerValue('authorization'),
        contentType: await request.headerValue('content-type'), sdp: request.postData() ?? '' });
      const answer = await route.fetch();
      const headers = { 'access-control-allow-origin': base, 'access-control-expose-headers': 'Location, ETag, Link', ...answer.headers() };
      if (request.method() === 'POST') {
        facts.whipAnswerStatus = answer.status();
      }
      await route.fulfill({ response: answer, headers });
    });
    await streamer.getByRole('button', { name: 'Go live from the browser' }).click();
    const preview = streamer.getByRole('region', { name: 'Go live from the browser' });
    await streamer.waitForFunction(() => (document.querySelector('[data-testid=camera-preview]')?.videoWidth ?? 0) > 0, null, { timeout: 15_000 });
    await preview.getByRole('combobox', { name: 'Camera' }).locator('option').first().waitFor({ state: 'attached' });
    facts.cameras = await preview.getByRole('combobox', { name: 'Camera' }).locator('option').allInnerTexts();
    facts.microphones = await preview.getByRole('combobox', { name: 'Microphone' }).locator('option').allInnerTexts();
    await preview.getByRole('combobox', { name: 'Resolution' }).selectOption('360p');
    await streamer.waitForFunction(() => document.querySelector('[data-testid=camera-preview]')?.videoHeight === 360, null, { timeout: 15_000 });
    await preview.getByRole('combobox', { name: 'Bitrate' }).selectOption('1500');
    facts.previewSize = await preview.getByTestId('camera-preview').evaluate((v) => `${v.videoWidth}×${v.videoHeight}`);
    await audit(streamer, 'studio (go live from the browser)');
    // On a phone the preview and Start are on the first screen.
    await streamer.setViewportSize(phone.viewport);
    await streamer.evaluate(() => window.scrollTo(0, 0));
    facts.browserStartOnFirstPhoneScreen = await preview.getByRole('button', { name: 'Start streaming' }).evaluate((e) => e.getBoundingClientRect().bottom <= window.innerHeight);
    await streamer.setViewportSize(desktop.viewport);
    await preview.getByRole('button', { name: 'Start streaming' }).click();
    await streamer.locator('[data-testid=browser-live-state][data-phase=on-air]').waitFor({ timeout: 30_000 });
    facts.browserLiveState = await preview.getByTestId('browser-live-state').innerText();
    await shoot(streamer, 'studio-browser');
    await preview.getByRole('button', { name: 'Stop streaming' }).click();
    for (let tries = 0; tries < 100 && !facts.whipRequests.some((r) => r.method === 'DELETE'); tries++) {
      await streamer.waitForTimeout(100);
    }
    facts.whipBearerIsStreamKey = facts.whipRequests.length > 0 && facts.whipRequests.every((r) => r.authorization === `Bearer ${key}`);
    await streamer.getByRole('button', { name: 'Go live from the browser' }).click();
    await preview.waitFor({ state: 'detached' });
  });

  await step('ffmpeg publishes with the Server and Stream key from the page', async () => {
    publisher = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency',
      '-g', '25', '-b:v', '800k', '-c:a', 'aac', '-b:a', '96k', '-f', 'flv', `${server}/${key}`], { stdio: 'ignore' });
    await streamer.getByText('Live', { exact: true }).first().waitFor({ timeout: 30_000 });
    await streamer.getByTestId('player').waitFor();
  });

  const viewerName = `Boris ${Date.now().toString(36)}`;
  await step('viewer signs up', () => signUp(viewer, `boris-${Date.now()}@example.com`, viewerName));

  await step('viewer finds the stream on home', async () => {
    await viewer.goto(`${base}/`);
    await viewer.getByTestId('stream-card').filter({ hasText: titleOfStream }).waitFor({ timeout: 20_000 });
    await audit(viewer, 'home');
    await shoot(viewer, 'home');
  });

  await step('viewer finds the stream and the streamer by search', async () => {
    const box = viewer.getByRole('searchbox', { name: 'Search' });
    await box.fill(streamerName.slice(0, 6));
    await box.press('Enter');
    await viewer.getByTestId('person-result').filter({ hasText: streamerName }).waitFor();
    // Part of a word, in other letter case, finds the title.
    await box.fill(titleOfStream.split(' ')[1].toUpperCase());
    await box.press('Enter');
    await viewer.getByTestId('stream-card').filter({ hasText: titleOfStream }).waitFor();
    await audit(viewer, 'search');
    await shoot(viewer, 'search');
    await viewer.getByTestId('stream-card').filter({ hasText: titleOfStream }).first().click();
  });

  await step('viewer watches: frames advance', async () => {
    await viewer.waitForURL(/\/watch\//);
    const video = viewer.getByTestId('player');
    await viewer.waitForFunction(() => (document.querySelector('[data-testid=player]')?.currentTime ?? 0) > 0, null, { timeout: 30_000 });
    const before = await video.evaluate((v) => v.currentTime);
    await viewer.waitForTimeout(3000);
    facts.framesAdvancedSeconds = (await video.evaluate((v) => v.currentTime)) - before;
    // A first visit starts on a rendition chosen from a guessed bandwidth and moves up to the source (640 wide, as
    // published above) once hls.js has measured the connection, which takes longer on a busy machine.
    await viewer.waitForFunction(() => document.querySelector('[data-testid=player]')?.videoWidth === 640, null, { timeout: 20_000 })
      .catch(() => undefined); // the width reached is reported either way
    facts.videoWidth = await video.evaluate((v) => v.videoWidth);
  });

  await step('viewer follows the streamer', async () => {
    const follow = viewer.getByRole('button', { name: 'Follow' });
    await follow.click();
    await viewer.waitForFunction(() => document.querySelector('[data-testid=follow]')?.getAttribute('aria-pressed') === 'true');
    facts.followPressed = true;
    // Home lists the live streams of people I follow first.
    await viewer.getByRole('link', { name: 'NIO home' }).click();
    await viewer.getByRole('region', { name: 'Following' }).getByTestId('stream-card').filter({ hasText: titleOfStream }).waitFor({ timeout: 20_000 });
    await viewer.goBack();
    await viewer.waitForFunction(() => (document.querySelector('[data-testid=player]')?.currentTime ?? 0) > 0, null, { timeout: 30_000 });
  });

  const chatText = `hello from the phone ${Date.now().toString(36)}`;
  await step('viewer chats', async () => {
    await viewer.getByRole('textbox', { name: 'Message' }).fill(chatText);
    await viewer.getByRole('button', { name: 'Send' }).click();
    await viewer.getByTestId('chat-line').filter({ hasText: chatText }).waitFor();
    // The composer and the gifts are on screen on a phone without scrolling.
    await viewer.evaluate(() => window.scrollTo(0, 0));
    facts.pageScrollsOnPhone = await viewer.evaluate(() => document.documentElement.scrollHeight > window.innerHeight);
    facts.composerInViewport = await viewer.getByRole('textbox', { name: 'Message' }).evaluate((e) => e.getBoundingClientRect().bottom <= window.innerHeight);
    facts.giftBarInViewport = await viewer.getByRole('button', { name: 'Rose' }).evaluate((e) => e.getBoundingClientRect().bottom <= window.innerHeight);
  });

  await step('streamer deletes the message; the viewer sees it vanish', async () => {
    const line = streamer.getByTestId('chat-line').filter({ hasText: chatText });
    await line.waitFor({ timeout: 15_000 });
    await line.getByRole('button', { name: `Moderate ${viewerName}` }).click();
    await audit(streamer, 'studio (moderation menu)');
    await streamer.getByRole('button', { name: 'Delete message' }).click();
    await viewer.getByTestId('chat-line').filter({ hasText: chatText }).waitFor({ state: 'detached', timeout: 15_000 });
  });

  const viewerId = await step('an admin grants the viewer coins', async () => {
    const href = await viewer.getByRole('link', { name: 'My profile' }).getAttribute('href');
    const id = href.split('/').pop();
    const admin = await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: config.adminEmail, password: config.adminPassword }) });
    await api(`/api/admin/users/${id}/coins`, { method: 'POST', headers: { Authorization: `Bearer ${admin.accessToken}` }, body: JSON.stringify({ amount: 100, reason: 'journey test', idempotencyKey: crypto.randomUUID() }) });
    // A picture on this site in place of the Rose's emoji (the bouquet the app ships).
    await api('/api/admin/gifts/rose', { method: 'PATCH', headers: { Authorization: `Bearer ${admin.accessToken}` }, body: JSON.stringify({ artworkPath: '/emoji/1f490.svg', reason: 'journey test' }) });
    return id;
  });
  facts.viewerId = viewerId;

  await step('viewer sends a Rose and sees the animation', async () => {
    await viewer.reload();
    await viewer.getByTestId('gift-balance').filter({ hasText: '100' }).waitFor();
    await viewer.getByRole('button', { name: 'Rose' }).click();
    await viewer.locator('[data-testid=gift-show][data-gift=rose]').waitFor({ timeout: 10_000 });
    facts.roseArtwork = await viewer.getByRole('button', { name: 'Rose' }).locator('img').getAttribute('src');
    facts.roseShowArtwork = await viewer.locator('[data-testid=gift-show][data-gift=rose] img').first().getAttribute('src');
    // The room's gift event may arrive before the answer that carries the new balance.
    await viewer.getByTestId('gift-balance').filter({ hasText: /\b90\b/ }).waitFor({ timeout: 10_000 }).catch(() => undefined);
    facts.coinsAfterRose = await viewer.getByTestId('gift-balance').innerText();
    facts.roseChatLine = await viewer.locator('[data-testid=chat-line][data-kind=gift] .chat-text').first().innerText({ timeout: 10_000 });
    await audit(viewer, 'watch');
    await shoot(viewer, 'watch');
  });

  await step('studio shows health while live', async () => {
    await streamer.getByTestId('stream-health').getByText('Resolution').waitFor({ timeout: 20_000 });
    facts.health = await streamer.getByTestId('stream-health').innerText();
    await audit(streamer, 'studio (live)');
    await streamer.getByRole('button', { name: 'Hide' }).click();
    await shoot(streamer, 'studio');
  });

  await step('an operator previews the live stream in the admin panel', async () => {
    const context = await browser.newContext({ ...desktop, locale: 'en-US' });
    const panel = await context.newPage();
    const panelLog = [];
    panel.on('console', (message) => panelLog.push(`${message.type()}: ${message.text()}`.slice(0, 300)));
    panel.on('requestfailed', (request) => panelLog.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
    panel.on('response', (response) => { if (response.status() >= 400) panelLog.push(`${response.status()}: ${response.url()}`); });
    await panel.goto(`${config.adminUrl}/signin`);
    await panel.getByLabel('Email').fill(config.adminEmail);
    await panel.getByLabel('Password').fill(config.adminPassword);
    await panel.getByRole('button', { name: 'Sign in' }).click();
    await panel.getByRole('link', { name: 'Streams' }).click();
    await panel.locator('.mud-card').filter({ hasText: titleOfStream }).getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByRole('dialog').locator('video');
    await preview.waitFor();
    facts.panelPreviewLabel = await preview.getAttribute('aria-label');
    try {
      await panel.waitForFunction(() => (document.querySelector('[role=dialog] video')?.currentTime ?? 0) > 1, null, { timeout: 30_000 });
    } catch (error) {
      // What the preview's player was doing, for whoever reads the failure.
      facts.panelPreviewState = await panel.evaluate(() => {
        const v = document.querySelector('[role=dialog] video');
        if (!v) return null;
        const buffered = Array.from({ length: v.buffered.length }, (_, i) => [v.buffered.start(i), v.buffered.end(i)]);
        return { currentTime: v.currentTime, readyState: v.readyState, networkState: v.networkState, paused: v.paused, error: v.error?.message ?? null, buffered, player: v.nioHls ? 'hls.js' : v.src };
      });
      facts.panelLog = panelLog.slice(-40);
      throw error;
    }
    facts.panelPreviewWidth = await preview.evaluate((v) => v.videoWidth);
    // hls.js, not a browser's own HLS (which only some have): the panel serves it.
    facts.panelPreviewPlayer = await preview.evaluate((v) => (v.nioHls ? 'hls.js' : 'the browser'));
    facts.panelWarnings = panelLog.filter((line) => !line.startsWith('log:') && !line.startsWith('info:') && !line.startsWith('debug:'));
    await context.close();
  });

  await step("the streamer's wallet shows the beans", async () => {
    await streamer.goto(`${base}/wallet`);
    await streamer.getByRole('status', { name: 'Beans' }).filter({ hasText: /^5$/ }).waitFor({ timeout: 10_000 });
    facts.streamerBeans = await streamer.getByRole('status', { name: 'Beans' }).innerText();
    await audit(streamer, 'wallet');
  });

  await step('viewer buys coins through Stripe', async () => {
    await viewer.goto(`${base}/wallet`);
    const coins = viewer.getByRole('status', { name: 'Coins' });
    await coins.filter({ hasText: /^90$/ }).waitFor();
    await viewer.getByRole('button', { name: /^100 coins for/ }).click();
    await viewer.getByTestId('payment-element').getByLabel('Card number').waitFor();
    await audit(viewer, 'wallet (paying)');
    await viewer.getByRole('button', { name: /^Pay / }).click();
    await viewer.getByTestId('purchase-done').waitFor({ timeout: 20_000 });
    facts.coinsAfterPurchase = await coins.innerText();
    await audit(viewer, 'wallet');
    await shoot(viewer, 'wallet');
  });

  await step('profile pages', async () => {
    await viewer.getByRole('link', { name: 'My profile' }).click();
    await viewer.getByRole('heading', { name: viewerName }).waitFor();
    const picture = `${config.screenshots}/avatar-source.png`;
    spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x400', '-frames:v', '1', picture]);
    await viewer.getByText('Edit profile').click();
    await viewer.getByLabel('Avatar picture').setInputFiles(picture);
    await viewer.locator('.profile-header img.avatar[src^="/api/avatars/"]').waitFor({ timeout: 15_000 });
    facts.avatar = await viewer.locator('.profile-header img.avatar').evaluate((img) => ({ src: img.getAttribute('src'), width: img.naturalWidth }));
    await audit(viewer, 'profile (mine)');
    await shoot(viewer, 'profile');
  });

  await step('Русский changes the interface', async () => {
    await viewer.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Русский' });
    await viewer.getByRole('button', { name: 'Выйти' }).waitFor();
    await viewer.getByRole('link', { name: 'В эфир' }).waitFor();
    await viewer.getByRole('combobox', { name: 'Язык' }).waitFor();
    facts.russianLang = await viewer.evaluate(() => document.documentElement.lang);
    await viewer.goBack();
    await viewer.getByRole('heading', { name: 'Кошелёк' }).waitFor();
    facts.russianCoinsLabel = await viewer.getByRole('status', { name: 'Монеты' }).filter({ hasText: /^\d/ }).innerText();
    await shoot(viewer, 'wallet-ru');
  });

  await step('the manifest is served and the service worker registers', async () => {
    const manifestHref = await viewer.locator('link[rel=manifest]').getAttribute('href');
    const manifest = await api(manifestHref.startsWith('/') ? manifestHref : `/${manifestHref}`);
    facts.manifest = { name: manifest.name, display: manifest.display, icons: manifest.icons.map((i) => i.sizes) };
    facts.serviceWorker = await viewer.evaluate(async () => (await navigator.serviceWorker.ready).active?.state ?? null);
  });

  await step('a reload keeps both signed in', async () => {
    await viewer.reload();
    await viewer.getByRole('link', { name: 'Мой профиль' }).waitFor();
    await streamer.reload();
    await streamer.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  await step('the room refuses a message, in Russian', async () => {
    await viewer.goto(`${base}/watch/${facts.streamId}`);
    // Longer than the hub's 500 characters: the hub refuses it and the page says why in the reader's language.
    await viewer.getByRole('textbox', { name: 'Сообщение' }).fill('я'.repeat(501));
    await viewer.getByRole('button', { name: 'Отправить' }).click();
    facts.russianRefusal = await viewer.locator('.chat-error').innerText({ timeout: 10_000 });
  });

  await step('the streamer ends the stream; its recording plays with a seek bar', async () => {
    await streamer.goto(`${base}/studio`);
    await streamer.getByRole('button', { name: 'End stream' }).click();
    await streamer.getByRole('button', { name: 'Yes, end it' }).click();
    await streamer.getByRole('button', { name: 'Create stream' }).waitFor();
    publisher?.kill('SIGINT');
    const watchUrl = `${base}/watch/${facts.streamId}`;
    const deadline = Date.now() + 60_000;
    let recording = null;
    while (!recording && Date.now() < deadline) {
      recording = (await api(`/api/streams/${facts.streamId}`)).recordingUrl;
      if (!recording) await new Promise((r) => setTimeout(r, 1000));
    }
    if (!recording) throw new Error('no recordingUrl within 60 s of the end');
    await viewer.goto(watchUrl);
    await viewer.getByText('Завершена').first().waitFor();
    const video = viewer.getByTestId('player');
    await viewer.waitForFunction(() => Number.isFinite(document.querySelector('[data-testid=player]')?.duration) && document.querySelector('[data-testid=player]').duration > 5, null, { timeout: 30_000 });
    await video.evaluate((v) => (v.currentTime = v.duration / 2));
    await viewer.waitForFunction(() => !document.querySelector('[data-testid=player]').seeking, null, { timeout: 15_000 });
    facts.recording = await video.evaluate((v) => ({ duration: v.duration, currentTime: v.currentTime, seekable: v.seekable.length > 0 ? v.seekable.end(0) : 0 }));
    // The room's own lines, written by the Api, in the reader's language.
    await viewer.getByTestId('chat-line').filter({ hasText: 'Трансляция завершена.' }).waitFor({ timeout: 15_000 });
    facts.russianSystemLines = await viewer.locator('[data-testid=chat-line].system .chat-text').allInnerTexts();
    // The ended stream's chat is closed: it says so, and offers no message box to be refused.
    facts.russianClosedChat = await viewer.getByTestId('chat').locator('.chat-notice').innerText();
    facts.closedComposerDisabled = await viewer.getByRole('textbox', { name: 'Сообщение' }).isDisabled();
    await audit(viewer, 'recording (closed chat, Russian)');
    await shoot(viewer, 'recording');
  });
} catch (error) {
  facts.error = String(error).slice(0, 2000);
} finally {
  publisher?.kill('SIGINT');
  await browser.close();
  console.log(JSON.stringify({ steps, facts, axe, screenshots, consoleErrors, overflowing, error: facts.error ?? null }));
}
