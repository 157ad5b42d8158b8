"""The live desk's workspace texts (issue 16) in Russian, translated in locales/*/LC_MESSAGES/admin.po.

They are marked with D_, not N_, so `make i18n-extract` leaves them out of messages.pot: bot/admin/i18n.py looks
them up in the admin catalog, which bot/locales/admin.pot lists them in (tests/admin/test_desk_texts.py checks).
"""

from __future__ import annotations

from typing import Set

DESK_TEXTS: Set[str] = set()
"""Every text below: bot/admin/i18n.py translates these from the admin catalog."""


def D_(message: str) -> str:
    """Marks a desk text (translated when shown)."""
    DESK_TEXTS.add(message)
    return message


ROLE_CONSULTANT = D_("консультант")
ORGANISATION = D_("Организация")
CONSULTANT_LANGUAGES = D_("Языки, на которых консультант отвечает")
TELEGRAM_USER_ID = D_("Telegram id пользователя")
TELEGRAM_USER_ID_HINT = D_("Необязательно: число, чтобы брать разговоры и отвечать из группы консультантов.")
NO_ORGANISATION_CHOSEN = D_("— нет —")
CONSULTANT_NEEDS = D_("У консультанта должны быть организация и хотя бы один язык.")
TELEGRAM_ID_DIGITS = D_("Telegram id — только цифры.")
UNKNOWN_ORGANISATION = D_("Нет организации с ключом «{key}».")
UNKNOWN_LANGUAGES = D_("Неизвестные языки: {codes} (возможны: {languages}).")
CONSULTANTS_DO_NOT_EDIT = D_("Консультант не пишет и не одобряет тексты бота.")

HANDOFFS = D_("Разговоры с людьми")
QUEUE = D_("Ждут консультанта")
MINE = D_("Мои разговоры")
NO_DESK = D_("У вашей учётной записи нет организации или языков: попросите администратора их указать.")
WAITING = D_("Ждёт")
MINUTES = D_("{n} мин")
HOURS_MINUTES = D_("{h} ч {m} мин")
FIRST_MESSAGE = D_("Первое сообщение (личные данные скрыты)")
NOT_SAID = D_("не указано")
CLAIM = D_("Взять разговор")
CLAIMED = D_("Разговор ваш: человек видит, что ему отвечает консультант.")
TAKEN_BY_OTHER = D_("Этот разговор уже взял другой консультант или человек вернулся к боту.")
GONE = D_("Этого разговора у вас больше нет: он закончен или передан.")

CONVERSATION = D_("Разговор №{id}")
AUTHOR_PERSON = D_("Человек")
AUTHOR_BOT = D_("Бот")
AUTHOR_CONSULTANT = D_("Консультант")
AUTHOR_NOTE = D_("Отметка")
NOTE_CLAIMED = D_("{who} взял(а) разговор")
NOTE_HANDED_BACK = D_("{who} вернул(а) разговор в очередь")
NOTE_PASSED = D_("{who} передал(а) разговор коллеге: {colleague}")
NOTE_CLOSED_PERSON = D_("Разговор закончен: человек вернулся к боту")
NOTE_CLOSED_CONSULTANT = D_("Разговор закончен консультантом")
NOTE_CLOSED_SILENCE = D_("Разговор закончен: консультант долго не отвечал")
NOTE_CLOSED_HOURS = D_("Разговор закончен: приём закрылся")
KIND_PHOTO = D_("фотография")
KIND_VOICE = D_("голосовое сообщение")
KIND_VIDEO = D_("видео")
KIND_DOCUMENT = D_("файл")
KIND_STICKER = D_("стикер")
KIND_LOCATION = D_("место на карте")
KIND_OTHER = D_("вложение")
KIND_NAMES = {"photo": KIND_PHOTO, "voice": KIND_VOICE, "audio": KIND_VOICE, "video": KIND_VIDEO,
              "video_note": KIND_VIDEO, "document": KIND_DOCUMENT, "sticker": KIND_STICKER,
              "location": KIND_LOCATION}
SENT_AS = D_("Человек прислал: {kind}")
REPLY = D_("Ваш ответ")
REPLY_HINT = D_("Человек увидит подпись «{signature}» и ваш текст как есть: оформление (HTML, Markdown) не работает.")
SEND = D_("Отправить")
SENT = D_("Отправлено.")
EMPTY_REPLY = D_("Напишите текст ответа.")
HAND_BACK = D_("Вернуть в очередь")
HANDED_BACK = D_("Разговор вернулся в очередь: его возьмёт другой консультант.")
PASS = D_("Передать коллеге")
COLLEAGUE = D_("Коллега")
PASSED = D_("Разговор передан: {name}.")
NO_COLLEAGUES = D_("Нет других консультантов вашей организации, говорящих на этом языке.")
FINISH = D_("Закончить разговор")
FINISHED = D_("Разговор закончен: человек снова говорит с ботом.")
REFRESH = D_("Обновить")
REFRESHES_ITSELF = D_("Новые сообщения появляются сами, набранный текст не пропадает.")

DESK = D_("Приём консультантов")
DESK_OF = D_("Приём консультантов: {name}")
DESK_HOURS = D_("Часы приёма")
DESK_HOURS_HINT = D_("Например: пн-пт 10:00-18:00; сб 11:00-15:00. Пусто — организация не принимает разговоры.")
DESK_TIMEZONE = D_("Часовой пояс")
OPERATORS_CHAT = D_("Группа консультантов в Telegram (id чата)")
OPERATORS_CHAT_HINT = D_("Необязательно. Id группы начинается с минуса, например -1001234567890.")
HOURS_UNREADABLE = D_("Не понятно: «{part}». Пишите дни и часы так: пн-пт 10:00-18:00; сб 11:00-15:00.")
CHAT_ID_DIGITS = D_("Только цифры, у группы — с минусом в начале.")
SAVE = D_("Сохранить")
DESK_SAVED = D_("Настройки приёма сохранены.")
OMSK = D_("Омск")

HANDOFF_STATS = D_("Разговоры с консультантами за 30 дней")
REQUESTED = D_("Просили консультанта: {n}")
ANSWERED_SHARE = D_("Ответил человек: {share}")
FIRST_REPLY_WAIT = D_("Ожидание первого ответа консультанта: у половины не дольше {p50}, у 95 % не дольше {p95}")
NO_REPLIES_YET = D_("Ответов консультантов ещё не было.")
STATS_UNAVAILABLE = D_("Статистика разговоров недоступна: нет связи с базой разговоров.")
SECONDS = D_("{n} с")

ACTION_HANDOFF_CLAIM = D_("Консультант взял разговор")
ACTION_HANDOFF_MESSAGE = D_("Консультант ответил человеку")
ACTION_HANDOFF_HAND_BACK = D_("Разговор возвращён в очередь")
ACTION_HANDOFF_PASS = D_("Разговор передан коллеге")
ACTION_HANDOFF_FINISH = D_("Консультант закончил разговор")
ACTION_DESK_SETTINGS = D_("Изменён приём консультантов")
ACTION_NAMES = {"handoff_claim": ACTION_HANDOFF_CLAIM, "handoff_message": ACTION_HANDOFF_MESSAGE,
                "handoff_hand_back": ACTION_HANDOFF_HAND_BACK, "handoff_pass": ACTION_HANDOFF_PASS,
                "handoff_finish": ACTION_HANDOFF_FINISH, "desk_settings": ACTION_DESK_SETTINGS}
