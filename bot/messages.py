"""Every fixed text of the dialogue, in Russian (the gettext source), marked for translation."""

from bot.i18n import N_

GREETING = N_(
    "Здравствуйте! Я Хамрох — бесплатный помощник для мигрантов в России. "
    "Отвечаю про регистрацию, патент, работу и ваши права и подскажу, где получить "
    "бесплатную помощь. Выберите язык или просто напишите вопрос."
)
HELP_MENU = N_("Выберите тему или напишите свой вопрос своими словами:")
CHOOSE_LANGUAGE = N_("На каком языке вам удобнее?")
# TRANSLATORS: name the language of this catalog ("o‘zbek tilida", "ба забони тоҷикӣ"…).
LANGUAGE_SET = N_("Хорошо, теперь я отвечаю на русском языке. Напишите ваш вопрос.")
BOT_CHALLENGE = N_(
    "Я программа (чат-бот), а не человек. Я не полиция и не государственный орган. "
    "Меня сделал открытый некоммерческий проект, ответы проверяют правозащитные "
    "организации. Я не продаю документы и никогда не прошу фото паспорта. "
    "Если нужен живой человек, напишите «позовите человека»."
)
OUT_OF_SCOPE = N_(
    "С этим я не помогу: я отвечаю только на вопросы о миграции, работе и правах "
    "мигрантов. Выберите тему:"
)
GOODBYE = N_("До свидания! Берегите себя. Если понадобится помощь — пишите.")
THANKS = N_("Пожалуйста! Если будут ещё вопросы — пишите.")
ACKNOWLEDGE = N_("Хорошо. Чем ещё помочь? Выберите тему или напишите вопрос.")
INFORM_CITY = N_("Запомнил: вы в городе {city}.")
INFORM_COUNTRY = N_("Запомнил: гражданство — {country}.")
INFORM_NOTHING = N_("Спасибо. Напишите, пожалуйста, ваш вопрос.")
FALLBACK = N_(
    "Я не совсем понял вопрос. Вы об этом? Если нет — напишите по-другому или "
    "откройте меню."
)
COMING_SOON = N_(
    "Тема «{topic}»: проверенный ответ скоро появится. Пока не платите посредникам "
    "и не покупайте документы — обратитесь в бесплатную организацию или консульство."
)
ERROR = N_("Извините, у меня сбой. Попробуйте ещё раз чуть позже или откройте меню.")
MENU_BUTTON = N_("Меню")
OTHER_LANGUAGE_BUTTON = N_("Язык")

# --- Answers from the knowledge base (bot/content) ---------------------------
ASK_CITIZENSHIP = N_("Гражданин какой страны вы? От этого зависит ответ.")
ASK_CITY = N_("В каком вы городе? Выберите или напишите название.")
OTHER_CITY_BUTTON = N_("Другой город")
MORE_BUTTON = N_("Подробнее")
# TRANSLATORS: {reviewer} is an organisation, {date} a localised date, {source} a document title.
ANSWER_FOOTER = N_("Проверено: {reviewer}, {date}. Источник: {source}")
HELP_HEADER = N_("Где помогут бесплатно:")
NATIONWIDE_HEADER = N_(
    "В вашем городе проверенных организаций пока нет. Помогают по всей России "
    "и на родине:"
)
ORG_FREE = N_("бесплатно")
ORG_NATIONWIDE = N_("вся Россия, дистанционно")
# TRANSLATORS: {date} is a localised date.
ORG_VETTED = N_("проверено {date}")
NO_ORGANISATION = N_(
    "Я пока не знаю проверенной организации для этого. Не платите посредникам; "
    "обратитесь в консульство своей страны."
)
MISSING_TRANSLATION = N_("Ответ на вашем языке ещё готовится. Вот проверенный текст на русском:")
UNSURE = N_(
    "Я не уверен, что ответ точный для вашего случая. Уточните его в бесплатной "
    "организации."
)
DATABASE_DOWN = N_(
    "Извините, база ответов сейчас недоступна. Попробуйте позже. Пока — "
    "организации, которые помогают по всей России:"
)
URGENT_STEPS = N_(
    "Если вам угрожает опасность — звоните 112 (бесплатно, с любого телефона). "
    "Сохраняйте спокойствие. Не подписывайте то, что не можете прочитать и понять. "
    "Позвоните в консульство своей страны или в организацию ниже."
)
FORGET_DONE = N_("Ваши данные в Хамрох удалены: город, гражданство и язык.")

# --- Telegram (bot/channels) ---------------------------------------------------
MEDIA_NOT_UNDERSTOOD = N_(
    "Я понимаю только текст: напишите вопрос словами. Мне никогда не нужны фото "
    "паспорта или других документов — не отправляйте их никому в чатах."
)
COMMAND_START = N_("Начать и выбрать язык")
COMMAND_HELP = N_("Темы, с которыми я помогаю")
COMMAND_LANGUAGE = N_("Сменить язык")
COMMAND_FORGET = N_("Удалить мои данные")

# Button labels for the topics (intents of shared/spec/intents.yml).
TOPICS = {
    "registration_howto": N_("Регистрация: как сделать"),
    "registration_deadline": N_("Сроки регистрации"),
    "registration_renewal": N_("Продление регистрации"),
    "stay_period": N_("Сколько можно быть в России"),
    "patent_howto": N_("Как получить патент"),
    "patent_payment": N_("Оплата патента"),
    "eaeu_work": N_("Граждане ЕАЭС: работа без патента"),
    "medical_exam_tests": N_("Медосмотр и экзамен"),
    "employment_contract": N_("Трудовой договор"),
    "unpaid_wages": N_("Не платят зарплату"),
    "passport_withheld": N_("Забрали паспорт"),
    "police_stop": N_("Остановила полиция"),
    "detention_expulsion": N_("Задержание и выдворение"),
    "status_check": N_("Проверить запрет въезда"),
    "healthcare": N_("Медицинская помощь"),
    "child_school": N_("Ребёнок в школу или сад"),
    "forced_labour": N_("Не отпускают, угрожают"),
    "find_free_help": N_("Бесплатная помощь рядом"),
    "join_union": N_("Профсоюз"),
    "intermediary_offer": N_("Посредники и поддельные документы"),
    "consulate_contacts": N_("Посольство и консульство"),
    "talk_to_human": N_("Связаться с человеком"),
}

MENU_TOPICS = (
    "registration_howto",
    "patent_howto",
    "eaeu_work",
    "unpaid_wages",
    "police_stop",
    "detention_expulsion",
    "find_free_help",
    "intermediary_offer",
    "consulate_contacts",
)
"""The topics of the help menu, most asked first; the rest are reached by asking."""

CITIES = {
    "moscow": N_("Москва"),
    "saint_petersburg": N_("Санкт-Петербург"),
    "yekaterinburg": N_("Екатеринбург"),
    "novosibirsk": N_("Новосибирск"),
    "kazan": N_("Казань"),
    "krasnoyarsk": N_("Красноярск"),
    "nizhny_novgorod": N_("Нижний Новгород"),
    "samara": N_("Самара"),
    "rostov_on_don": N_("Ростов-на-Дону"),
    "krasnodar": N_("Краснодар"),
    "chelyabinsk": N_("Челябинск"),
    "ufa": N_("Уфа"),
    "tyumen": N_("Тюмень"),
    "irkutsk": N_("Иркутск"),
    "vladivostok": N_("Владивосток"),
    "surgut": N_("Сургут"),
}

COUNTRIES = {
    "uzbekistan": N_("Узбекистан"),
    "tajikistan": N_("Таджикистан"),
    "kyrgyzstan": N_("Кыргызстан"),
    "kazakhstan": N_("Казахстан"),
    "armenia": N_("Армения"),
    "belarus": N_("Беларусь"),
    "other": N_("другая страна"),
}

# Each language is offered in its own name, so these are not translated.
LANGUAGE_BUTTONS = (
    ("Русский", "ru", None),
    ("Oʻzbekcha", "uz", "latn"),
    ("Ўзбекча", "uz", "cyrl"),
    ("Тоҷикӣ", "tg", None),
    ("Кыргызча", "ky", None),
)
