import type { en } from './en';

// The same keys as English; Russian adds the `_few` and `_many` plural forms beside them.
type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> } & { [plural: `${string}_${'few' | 'many'}`]: string };

/** Every string in Russian. Plurals have three forms (`_one` 1, 21; `_few` 2–4; `_many` 5–20) beside the English keys. */
export const ru: Strings<typeof en> = {
  common: {
    loading: 'Загрузка…', save: 'Сохранить', saved: 'Сохранено.', cancel: 'Отмена', copy: 'Копировать', copied: 'Скопировано', copyNamed: 'Копировать: {{name}}',
    show: 'Показать', hide: 'Скрыть', tryAgain: 'Повторить', previous: 'Назад', next: 'Далее', pageOf: 'Страница {{page}} из {{pages}}',
  },
  nav: {
    home: 'NIO — главная', main: 'Главное меню', skip: 'Перейти к содержимому', goLive: 'В эфир', wallet: 'Кошелёк', profile: 'Мой профиль', language: 'Язык',
    search: 'Поиск', searchPlaceholder: 'Поиск трансляций и людей',
  },
  errors: {
    unexpected: 'Что-то пошло не так. Попробуйте ещё раз.', offline: 'Нет связи с NIO. Проверьте подключение.',
    retrying: 'Нет связи с NIO; пробуем снова…', notFoundTitle: 'Такой страницы нет',
  },
  offline: { title: 'Нет подключения к сети.', text: 'Трансляции и чат вернутся, когда появится связь.' },
  pwa: { update: 'Доступна новая версия NIO.', reload: 'Обновить', later: 'Позже' },
  auth: {
    signIn: 'Войти', signUp: 'Зарегистрироваться', signOut: 'Выйти', email: 'Электронная почта', password: 'Пароль', displayName: 'Имя',
    passwordRule: 'Не меньше 10 символов, хотя бы одна буква и одна цифра.', noAccount: 'Впервые в NIO?', haveAccount: 'Уже есть аккаунт?',
    emailTaken: 'Аккаунт с этой почтой уже есть. Войдите в него.',
    weakPassword: 'Слишком простой пароль: нужно не меньше 10 символов, буква и цифра.',
    wrongPassword: 'Неверная почта или пароль.', badEmail: 'Введите правильный адрес почты.', badDisplayName: 'Введите имя (до 50 символов).',
    banned: 'Этот аккаунт заблокирован в NIO.',
    rateLimited_one: 'Слишком много попыток. Повторите через {{count}} секунду.', rateLimited_few: 'Слишком много попыток. Повторите через {{count}} секунды.',
    rateLimited_many: 'Слишком много попыток. Повторите через {{count}} секунд.', rateLimited_other: 'Слишком много попыток. Повторите через {{count}} секунды.',
  },
  home: { title: 'Трансляции', liveNow: 'Сейчас в эфире', following: 'Подписки', nobodyLive: 'Сейчас никто не в эфире.', showMore: 'Показать ещё' },
  stream: {
    live: 'В эфире', offline: 'Не в эфире', ended: 'Завершена', recording: 'Запись',
    viewers_one: '{{formatted}} зритель', viewers_few: '{{formatted}} зрителя', viewers_many: '{{formatted}} зрителей', viewers_other: '{{formatted}} зрителя',
  },
  search: {
    title: 'Поиск', resultsFor: 'Результаты по запросу «{{q}}»', people: 'Люди', streams: 'Трансляции', noPeople: 'Никого не нашлось.', noStreams: 'Трансляций не нашлось.',
  },
  watch: {
    video: 'Видео: {{title}}', waiting: 'Ждём, когда стример выйдет в эфир…', ended: 'Трансляция завершена.', failed: 'Не удалось воспроизвести. Обновите страницу.',
    behindLive: 'Отставание от эфира: {{seconds}} с', noSuchStream: 'Такой трансляции нет.', share: 'Поделиться', linkCopied: 'Ссылка скопирована.',
  },
  chat: {
    title: 'Чат', message: 'Сообщение', placeholder: 'Напишите что-нибудь…', send: 'Отправить', emoji: 'Эмодзи', react: 'Реакция {{emoji}}',
    signInToChat: 'Войдите, чтобы писать в чат и ставить реакции; гости могут читать.', cantReach: 'Нет связи с чатом; пробуем снова…',
    status: { connecting: 'Подключение…', joined: 'Чат', reconnecting: 'Переподключение…', failed: 'Чат недоступен' },
  },
  moderation: {
    menuFor: 'Модерация: {{name}}', delete: 'Удалить сообщение', timeout: 'Тайм-аут', timeoutFor: 'Тайм-аут на {{duration}}', ban: 'Забанить', unban: 'Разбанить',
    addModerator: 'Сделать модератором', removeModerator: 'Снять модератора', settings: 'Настройки чата', slowMode: 'Медленный режим', slowOff: 'Выключен',
    slowEvery_one: 'Одно сообщение в {{count}} секунду', slowEvery_few: 'Одно сообщение в {{count}} секунды', slowEvery_many: 'Одно сообщение в {{count}} секунд', slowEvery_other: 'Одно сообщение в {{count}} секунды',
    blockedWords: 'Запрещённые слова', blockedHint: 'По одному слову или фразе в строке; сообщения с ними не пропускаются.',
    duration: { '60': '1 мин', '600': '10 мин', '3600': '1 час', '86400': '24 часа' },
  },
  gifts: {
    title: 'Подарки', unavailable: 'Подарки сейчас недоступны.', onlyLive: 'Подарки можно дарить только в эфире', ownStream: 'Нельзя дарить подарки своей трансляции',
    sendFor_one: 'Подарить «{{name}}» ({{formatted}} монета)', sendFor_few: 'Подарить «{{name}}» ({{formatted}} монеты)', sendFor_many: 'Подарить «{{name}}» ({{formatted}} монет)', sendFor_other: 'Подарить «{{name}}» ({{formatted}} монеты)',
    notEnough: 'не хватает монет (стоит {{needed}}).', signInToSend: ', чтобы дарить подарки.',
    sent_one: 'дарит «{{name}}»', sent_few: 'дарит {{count}} × «{{name}}»', sent_many: 'дарит {{count}} × «{{name}}»', sent_other: 'дарит {{count}} × «{{name}}»',
    names: { rose: 'Роза', heart: 'Сердце', diamond: 'Бриллиант', rocket: 'Ракета', crown: 'Корона', star: 'Звезда', fire: 'Огонь', rainbow: 'Радуга' },
  },
  studio: {
    heading: 'Студия', newStream: 'Новая трансляция', title: 'Название', record: 'Записывать трансляцию (зрители смогут посмотреть запись)', create: 'Создать трансляцию',
    titleRequired: 'Дайте трансляции название (до 140 символов).', saveTitle: 'Сохранить название', server: 'Сервер', streamKey: 'Ключ трансляции',
    rotateKey: 'Сменить ключ', end: 'Завершить трансляцию', endNow: 'Да, завершить', confirmEnd: 'Завершить трансляцию насовсем? Ключ перестанет работать.',
    keySecret: 'С этим ключом кто угодно может вещать от вашего имени: не показывайте его в эфире. Если он утёк — смените.',
    viewerPage: 'Открыть страницу зрителя', waitingForMedia: 'Видео ещё не поступает: начните трансляцию в OBS с сервером и ключом выше.',
    earnings: 'Заработано на этой трансляции', obsTitle: 'Настройка OBS',
    obsStep1: 'В OBS откройте Настройки → Трансляция, выберите сервис «Настраиваемый…».',
    obsStep2: 'Вставьте сервер и ключ трансляции с этой страницы.',
    obsStep3: 'В Настройки → Вывод (расширенный) поставьте <b>интервал ключевых кадров: 1 с</b> (не 0/авто), управление битрейтом CBR, <b>битрейт 2500–4500 кбит/с</b> для 720p/1080p, пресет x264 «veryfast», тюнинг «zerolatency»; звук AAC 128–160 кбит/с, 48 кГц.',
    obsStep4: 'Нажмите «Запустить трансляцию». Через несколько секунд здесь появится состояние потока.',
    browserTitle: 'Эфир из браузера',
  },
  browser: {
    preview: 'Предпросмотр камеры', camera: 'Камера', microphone: 'Микрофон', resolution: 'Разрешение', bitrate: 'Битрейт', deviceN: 'Устройство {{n}}',
    start: 'Начать трансляцию', stop: 'Остановить трансляцию',
    state: { idle: 'Трансляция не идёт', connecting: 'Подключение…', connected: 'Видео отправляется, эфир вот-вот начнётся…', live: 'В эфире из браузера' },
    errors: {
      wrongKey: 'Сервер не принял ключ трансляции. Обновите страницу (ключ могли сменить) и попробуйте снова.',
      notAvailable: 'Трансляция из браузера на этом сервере недоступна. Используйте OBS с сервером и ключом трансляции.',
      refused: 'Сервер отклонил трансляцию: {{detail}}',
      unreachable: 'Сервер трансляций недоступен. Проверьте подключение и попробуйте снова.',
      noPermission: 'У NIO нет доступа к камере или микрофону. Разрешите их для этого сайта в настройках браузера и попробуйте снова.',
      noDevice: 'Камера или микрофон не найдены (или не поддерживают это разрешение).',
      deviceBusy: 'Камера или микрофон заняты другим приложением.',
      noH264: 'Этот браузер не умеет отправлять видео H.264, а NIO нужно именно оно. Попробуйте Chrome, Edge, Safari или Firefox.',
      noWebRtc: 'Этот браузер не может вести трансляцию со страницы (нет WebRTC или страница открыта не по защищённому соединению).',
      connectionLost: 'Связь с сервером трансляций потеряна. Начните трансляцию снова.',
    },
  },
  health: {
    title: 'Состояние потока', unavailable: 'Данных о потоке пока нет.', notReceiving: 'Сейчас поток не поступает.',
    video: 'Видео', resolution: 'Разрешение', frameRate: 'Частота кадров', fps: '{{value}} кадр/с', videoBitrate: 'Битрейт видео', kbps: '{{value}} кбит/с',
    keyframeInterval: 'Интервал ключевых кадров', audio: 'Звук', audioBitrate: 'Битрейт звука', mono: 'моно', stereo: 'стерео',
    lastMedia: 'С последних данных', latency: 'Задержка до зрителя (оценка)',
    warnings: {
      keyframeIntervalTooLong: 'Интервал ключевых кадров больше 2 с: зрители отстают от эфира сильнее. Поставьте в OBS «Интервал ключевых кадров» 1 с.',
      noRecentMedia: 'Несколько секунд нет данных: проверьте OBS и подключение.',
      noAudio: 'Звук не поступает.', noVideo: 'Видео не поступает.',
      sourceReencoded: 'Ключевые кадры идут слишком редко для сегментов NIO, поэтому NIO перекодирует ваше видео (качество немного теряется). Поставьте в OBS «Интервал ключевых кадров» 1 с и перезапустите трансляцию.',
    },
  },
  wallet: {
    title: 'Кошелёк', coins: 'Монеты', beans: 'Бобы', beansHeld: 'Бобы на выводе', coinsBalance: 'Монеты: {{formatted}}',
    beansAmount_one: '{{formatted}} боб', beansAmount_few: '{{formatted}} боба', beansAmount_many: '{{formatted}} бобов', beansAmount_other: '{{formatted}} боба',
    buyCoins: 'Купить монеты', buyMore: 'Купить ещё', packLabel: '{{coins}} монет за {{price}}', pay: 'Оплатить {{price}}',
    paymentsOff: 'На этом сервере NIO покупка монет недоступна (платежи не настроены).',
    stripeUnreachable: 'Не удалось загрузить форму оплаты. Попробуйте позже.', paymentFailed: 'Платёж не прошёл.',
    waitingForCoins: 'Платёж получен. Монеты появятся через мгновение…',
    coinsArrived_one: 'На кошелёк зачислена {{formatted}} монета.', coinsArrived_few: 'На кошелёк зачислено {{formatted}} монеты.',
    coinsArrived_many: 'На кошелёк зачислено {{formatted}} монет.', coinsArrived_other: 'На кошелёк зачислено {{formatted}} монеты.',
    history: 'История', historyPages: 'Страницы истории', noHistory: 'Пока пусто.', date: 'Дата', what: 'Что', amount: 'Сумма', status: 'Статус',
    kinds: { purchase: 'Покупка монет', gift: 'Подарок', refund: 'Возврат', adjustment: 'Корректировка NIO', withdrawal_hold: 'Запрошен вывод', withdrawal_payout: 'Вывод выплачен', withdrawal_release: 'Вывод возвращён', dispute: 'Платёж оспорен', dispute_release: 'Спор решён в вашу пользу' },
    accounts: { coins: 'монет', beans: 'бобов', beans_held: 'бобов на выводе' },
    earnings_one: 'Заработок за {{count}} день', earnings_few: 'Заработок за {{count}} дня', earnings_many: 'Заработок за {{count}} дней', earnings_other: 'Заработок за {{count}} дня',
    noEarnings: 'Подарков пока не было.', perDay: 'По дням', perStream: 'По трансляциям', stream: 'Трансляция', topGifters: 'Щедрее всех',
    withdrawals: 'Вывод', withdrawBeans: 'Сколько бобов вывести', requestWithdrawal: 'Запросить вывод', withdrawalRequested: 'Вывод запрошен.',
    withdrawalStatus: { pending: 'Ожидает', approved: 'Выплачен', rejected: 'Отклонён' },
  },
  profile: {
    follow: 'Подписаться', followers_one: '{{formatted}} подписчик', followers_few: '{{formatted}} подписчика', followers_many: '{{formatted}} подписчиков', followers_other: '{{formatted}} подписчика',
    following_one: '{{formatted}} подписка', following_few: '{{formatted}} подписки', following_many: '{{formatted}} подписок', following_other: '{{formatted}} подписки',
    joined: 'С нами с {{date}}', watchLive: 'Смотреть эфир', liveNow: 'Сейчас в эфире', recordings: 'Записи', noRecordings: 'Записей пока нет.', notFound: 'Такого человека нет.',
    edit: 'Редактировать профиль', bio: 'О себе', avatar: 'Аватар', avatarHint: 'JPEG, PNG, WebP или GIF, до 5 МБ.',
    avatarType: 'Выберите картинку JPEG, PNG, WebP или GIF.', avatarSize: 'Картинка больше 5 МБ.', avatarSaved: 'Аватар обновлён.',
  },
};
