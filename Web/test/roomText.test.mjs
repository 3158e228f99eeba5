// chat/roomText.ts with the app's real English and Russian strings: the system lines the Api writes
// (Api/Chat/SystemLines.cs) and its refusals (Api/Chat/Refusals.cs), told in both languages, Russian plurals, and the
// fallbacks to the Api's English text.
//   npm test   (in Web/)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import i18next from 'i18next';
import { rolldown } from 'rolldown';

/** One of the app's TypeScript modules, bundled as the browser gets it. */
async function load(path) {
  const bundle = await rolldown({ input: new URL(path, import.meta.url).pathname, logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm' });
  return import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
}

const [{ systemText, refusalText }, { formatter }, { en }, { ru }] = await Promise.all(
  ['../src/chat/roomText.ts', '../src/i18n/format.ts', '../src/i18n/en.ts', '../src/i18n/ru.ts'].map(load));

const i18n = i18next.createInstance();
await i18n.init({ resources: { en: { translation: en }, ru: { translation: ru } }, fallbackLng: 'en', interpolation: { escapeValue: false } });

/** The line as a reader of `language` sees it. */
const told = (language, code, args, text = 'English text from the Api') =>
  systemText({ code, args, text }, i18n.getFixedT(language), formatter(language));

test('stream lines in both languages', () => {
  assert.equal(told('en', 'streamStarted', null), 'The stream is live.');
  assert.equal(told('ru', 'streamStarted', null), 'Трансляция началась.');
  assert.equal(told('ru', 'streamOffline', null), 'Трансляция прервалась.');
  assert.equal(told('ru', 'streamEnded', null), 'Трансляция завершена.');
  assert.equal(told('ru', 'titleChanged', { title: 'Ночной эфир' }), 'Новое название: Ночной эфир');
});

test('gifts: the gift named in the language, a count that is not a plural, the combo', () => {
  const rose = { name: 'Вера', gift: 'rose', giftName: 'Rose', emoji: '🌹', count: 1, combo: 1 };
  assert.equal(told('en', 'gift', rose), 'Вера sent Rose 🌹');
  assert.equal(told('ru', 'gift', rose), 'Вера дарит «Роза» 🌹');
  assert.equal(told('ru', 'gift', { ...rose, count: 21, combo: 21 }), 'Вера дарит 21 × «Роза» 🌹');
  assert.equal(told('en', 'gift', { ...rose, count: 3, combo: 7 }), 'Вера sent 3 × Rose 🌹 (combo ×7)');
  assert.equal(told('ru', 'gift', { ...rose, count: 3, combo: 7 }), 'Вера дарит 3 × «Роза» 🌹 (комбо ×7)');
  // A gift the app has no translation for keeps the catalog's name.
  assert.equal(told('ru', 'gift', { ...rose, gift: 'comet', giftName: 'Comet', emoji: '☄️' }), 'Вера дарит «Comet» ☄️');
});

test('moderation lines', () => {
  assert.equal(told('en', 'timedOut', { name: 'Ann', seconds: 600 }), 'Ann was timed out for 10 min.');
  assert.equal(told('ru', 'timedOut', { name: 'Аня', seconds: 600 }), 'Аня: чат закрыт на 10 мин.');
  assert.equal(told('ru', 'timedOut', { name: 'Аня', seconds: 90 }), 'Аня: чат закрыт на 90 с.');
  assert.equal(told('ru', 'bannedFromRoom', { name: 'Аня' }), 'Аня: бан в этой комнате.');
  assert.equal(told('ru', 'bannedFromNio', { name: 'Аня' }), 'Аня: бан на NIO.');
  assert.equal(told('ru', 'mayChatAgain', { name: 'Аня' }), 'Аня снова может писать в чат.');
  assert.equal(told('ru', 'moderatorAdded', { name: 'Аня' }), 'Аня теперь модератор.');
  assert.equal(told('en', 'moderatorRemoved', { name: 'Ann' }), 'Ann is no longer a moderator.');
  assert.equal(told('ru', 'slowModeOff', null), 'Медленный режим выключен.');
});

test('Russian plurals: one, few, many', () => {
  assert.equal(told('ru', 'slowModeOn', { seconds: 21 }), 'Медленный режим: одно сообщение в 21 секунду.');
  assert.equal(told('ru', 'slowModeOn', { seconds: 3 }), 'Медленный режим: одно сообщение в 3 секунды.');
  assert.equal(told('ru', 'slowModeOn', { seconds: 30 }), 'Медленный режим: одно сообщение в 30 секунд.');
  assert.equal(told('en', 'slowModeOn', { seconds: 1 }), 'Slow mode is on: one message every 1 second.');
  assert.equal(told('ru', 'joined', { names: ['Аня', 'Боря'], others: 1 }), 'Аня, Боря и ещё 1 зритель заходят на трансляцию');
  assert.equal(told('ru', 'joined', { names: ['Аня', 'Боря'], others: 4 }), 'Аня, Боря и ещё 4 зрителя заходят на трансляцию');
  assert.equal(told('ru', 'joined', { names: ['Аня', 'Боря'], others: 11 }), 'Аня, Боря и ещё 11 зрителей заходят на трансляцию');
});

test('joins name up to three people', () => {
  assert.equal(told('en', 'joined', { names: ['Ann'], others: 0 }), 'Ann joined');
  assert.equal(told('ru', 'joined', { names: ['Аня'], others: 0 }), 'Аня заходит на трансляцию');
  assert.equal(told('ru', 'joined', { names: ['Аня', 'Боря'], others: 0 }), 'Аня и Боря заходят на трансляцию');
  assert.equal(told('en', 'joined', { names: ['Ann', 'Bo', 'Cy'], others: 0 }), 'Ann, Bo and Cy joined');
  assert.equal(told('en', 'joined', { names: ['Ann', 'Bo'], others: 3 }), 'Ann, Bo and 3 others joined');
});

test('an unknown code, or a line without one, shows the Api\'s text', () => {
  assert.equal(told('ru', 'somethingNew', { name: 'Аня' }, 'Something new happened.'), 'Something new happened.');
  assert.equal(told('ru', null, null, 'The stream is live.'), 'The stream is live.');
  assert.equal(told('ru', 'joined', { names: [], others: 0 }, 'joined'), 'joined');
});

/** A refusal as a reader of `language` sees it. */
const refused = (language, reason, args, message = 'English message from the Api') =>
  refusalText({ code: 'refused', reason, args, message }, i18n.getFixedT(language), formatter(language));

test('refusals a viewer meets, in both languages', () => {
  assert.equal(refused('en', 'streamEnded', null), 'The stream has ended; its chat is closed.');
  assert.equal(refused('ru', 'streamEnded', null), 'Трансляция завершена, чат закрыт.');
  assert.equal(refused('ru', 'bannedFromRoom', null), 'Вам закрыт доступ в эту комнату.');
  assert.equal(refused('ru', 'blockedWord', null), 'В сообщении есть слово, запрещённое в этой комнате.');
  assert.equal(refused('ru', 'signIn', { action: 'react' }), 'Войдите, чтобы ставить реакции.');
  assert.equal(refused('ru', 'noSuchStream', null), 'Такой трансляции нет.');
  // Until when, in the reader's time zone and words.
  const until = '2026-12-04T18:30:00Z';
  assert.equal(refused('ru', 'timedOut', { until }), `Вам закрыт чат в этой комнате до ${formatter('ru').dateTime(until)}.`);
  assert.match(refused('ru', 'timedOut', { until }), /дек/);
});

test('flood refusals: slow mode says it as the room\'s line does', () => {
  assert.equal(refused('ru', 'slowMode', { seconds: 5 }), 'Медленный режим: одно сообщение в 5 секунд.');
  assert.equal(refused('en', 'tooFast', { messages: 5, seconds: 10 }), 'You are sending too fast: at most 5 messages in 10 seconds.');
  assert.equal(refused('ru', 'tooFast', { messages: 5, seconds: 10 }), 'Вы пишете слишком часто: не больше 5 за 10 с.');
  assert.equal(refused('ru', 'tooManyReactions', { perSecond: 10 }), 'Слишком много реакций: не больше 10 в секунду.');
});

test('limits with Russian plurals', () => {
  assert.equal(refused('ru', 'messageTooLong', { max: 500 }), 'Сообщение длиннее 500 символов.');
  assert.equal(refused('ru', 'messageTooLong', { max: 21 }), 'Сообщение длиннее 21 символа.');
  assert.equal(refused('en', 'messageTooLong', { max: 500 }), 'The message is longer than 500 characters.');
  assert.equal(refused('ru', 'tooManyBlockedWords', { max: 200 }), 'В комнате можно запретить не больше 200 слов.');
  assert.equal(refused('ru', 'timeoutRange', { max: 604800 }), `Тайм-аут длится от 1 до ${formatter('ru').number(604800)} с.`);
});

test('an unknown reason shows the Api\'s message', () => {
  assert.equal(refused('ru', 'somethingNew', null, 'Something new went wrong.'), 'Something new went wrong.');
});

test('every code the Api writes (Api/Chat/SystemLines.cs, Refusals.cs) is said in Russian and English', async () => {
  const { readFile } = await import('node:fs/promises');
  const codes = async (file, pattern) =>
    [...(await readFile(new URL(`../../Api/Chat/${file}`, import.meta.url), 'utf8')).matchAll(pattern)].map((m) => m[1]);
  const lines = await codes('SystemLines.cs', /(?:new\(ChatKind\.\w+, |Moderation\()"(\w+)"/g);
  const reasons = await codes('Refusals.cs', /(?:new|Of)\("(\w+)"/g);
  assert.ok(lines.length >= 13 && reasons.length >= 29, `codes found: ${lines.length} lines, ${reasons.length} refusals`);
  // Every argument any code takes, so each is told in full.
  const args = { name: 'Аня', seconds: 5, title: 'Ночной эфир', names: ['Аня'], others: 0, gift: 'rose', giftName: 'Rose', emoji: '🌹', count: 1,
    combo: 1, until: '2026-12-04T18:30:00Z', max: 5, messages: 5, perSecond: 5, action: 'chat', allowed: ['❤️'] };
  for (const language of ['en', 'ru']) {
    const said = [...lines.map((code) => [code, told(language, code, args, 'FALLBACK')]), ...reasons.map((reason) => [reason, refused(language, reason, args, 'FALLBACK')])];
    for (const [code, text] of said) {
      assert.notEqual(text, 'FALLBACK', `${code} has no ${language} text`);
      assert.doesNotMatch(text, /\{\{/, `${code} left a placeholder in ${language}: ${text}`);
      if (language === 'ru') assert.match(text, /[а-яё]/i, `${code} is not Russian: ${text}`);
    }
  }
});
