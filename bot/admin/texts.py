"""Every fixed text of the workspace pages, in Russian (the gettext source), marked for translation."""

from bot.i18n import N_

TITLE = N_("Хамрох — рабочее место НКО")
LOGIN = N_("Вход")
USERNAME = N_("Имя пользователя")
PASSWORD = N_("Пароль")
SIGN_IN = N_("Войти")
SIGN_OUT = N_("Выйти")
LOGIN_FAILED = N_("Неверное имя пользователя или пароль.")
LOGIN_BLOCKED = N_("Слишком много неудачных попыток. Попробуйте через 15 минут.")
LOGIN_NEEDED = N_("Войдите, чтобы продолжить.")
FORBIDDEN = N_("Нет прав на это действие.")
FAILED = N_("Не получилось: {reason}")

DASHBOARD = N_("Обзор")
ANSWERS = N_("Ответы")
REVIEW = N_("На проверку")
ORGANISATIONS = N_("Организации")
INBOX = N_("Вопросы без ответа")
PREVIEW = N_("Проверить ответ")
USERS = N_("Пользователи")
AUDIT = N_("Журнал")

DRAFTS_WAITING = N_("Черновиков ждут проверки: {n}")
STALE_ANSWERS = N_("Ответы без проверки больше {days} дней")
STALE_ORGANISATIONS = N_("Организации без проверки больше {days} дней")
NEEDS_UPDATE = N_("Нужно обновить перевод")
OPEN_QUESTIONS = N_("Вопросов без ответа: {n}")
NOTHING = N_("Пусто.")
NEVER = N_("никогда")

PUBLISHED = N_("опубликовано")
DRAFT = N_("черновик")
REJECTED = N_("отклонено")
RETIRED = N_("снято")
MISSING = N_("нет текста")

EDIT = N_("Изменить")
SAVE_DRAFT = N_("Сохранить черновик")
APPROVE = N_("Одобрить и опубликовать")
REJECT = N_("Отклонить")
RESTORE = N_("Восстановить как черновик")
HISTORY = N_("История")
CONFIRM = N_("Перевод верен")
TEXT = N_("Текст")
REVIEWED_BY = N_("Кто проверил (организация)")
REVIEWED_ON = N_("Дата проверки")
AUTHOR = N_("Автор")
APPROVED_BY = N_("Одобрил")
WHEN = N_("Когда")
CHANGES = N_("Изменения")
REVISION = N_("Версия")
CYRILLIC_PREVIEW = N_("Кириллица (предпросмотр)")

DRAFT_SAVED = N_("Черновик сохранён. Опубликует его другой человек с правом проверки.")
APPROVED_DONE = N_("Опубликовано: бот уже отвечает новым текстом.")
REJECTED_DONE = N_("Черновик отклонён.")
CONFIRMED_DONE = N_("Отмечено: перевод соответствует русскому тексту.")
COVERED_DONE = N_("Вопросов отнесено к теме: {n}.")

TOPIC = N_("Тема")
LANGUAGE = N_("Язык")
SCOPE = N_("Для граждан")
COUNT = N_("Сколько раз")
QUESTION = N_("Вопрос")
BEST_GUESS = N_("Догадка бота")
MARK_COVERED = N_("Отнести к теме")

BEFORE = N_("Сейчас")
AFTER = N_("С черновиком")
SHOW_ANSWER = N_("Показать ответ")
CITY = N_("Город")
COUNTRY = N_("Гражданство")
CHOOSE_TOPIC = N_("Выберите тему или напишите вопрос (нужен запущенный бот).")

KEY = N_("Ключ")
NAME = N_("Название")
KIND = N_("Вид")
STATUS = N_("Статус")
VETTED = N_("Проверена")
VET = N_("Отметить проверенной сегодня")
NEW_ORGANISATION = N_("Новая организация")
CONTACTS = N_("Контакты (по одному в строке, «вид: значение»)")
HOURS = N_("Часы работы")
NOTE = N_("Примечание")
NATIONWIDE = N_("Работает по всей России")
FREE = N_("Бесплатно")
CITIES = N_("Города (через ;)")
TOPICS = N_("Темы (через ;)")
LANGUAGES = N_("Языки (через ;)")
COUNTRIES = N_("Граждан каких стран (через ;, пусто — всех)")
ADMIN_ONLY = N_("Статус и проверку меняет только администратор.")

ROLE = N_("Роль")
ROLE_EDITOR = N_("редактор")
ROLE_REVIEWER = N_("проверяющий")
ROLE_ADMIN = N_("администратор")
ROLE_NAMES = {"editor": ROLE_EDITOR, "reviewer": ROLE_REVIEWER, "admin": ROLE_ADMIN}
ACTIVE = N_("Действует")
CREATED = N_("Создан")
LAST_SIGN_IN = N_("Последний вход")
NEW_PASSWORD = N_("Новый пароль")
YES = N_("да")
NO = N_("нет")
WHO = N_("Кто")
ACTION = N_("Действие")
TARGET = N_("Над чем")
DETAIL = N_("Подробности")
PASSWORD_NEEDED = N_("У новой учётной записи должен быть пароль.")
OWN_ADMIN_RIGHTS = N_("Нельзя снять права администратора с самого себя.")

NOT_FOUND = N_("Такой страницы нет.")
FORM_EXPIRED = N_("Форма устарела. Откройте страницу заново и повторите.")
TO_DASHBOARD = N_("На главную")
ANSWER_DRAFT = N_("Черновик ответа")
ORGANISATION_DRAFT = N_("Черновик организации")
ROUTING_HINT = N_("Организации бот перечисляет в ответах о правах и помощи, когда знает город; "
                  "с черновиком организации тема и город берутся из него, если не выбраны.")

REVISION_STATUS_NAMES = {"draft": DRAFT, "published": PUBLISHED, "rejected": REJECTED, "retired": RETIRED}

# Audit log actions: the code stays in the database (and in the filter's value), people read these.
ACTION_CREATE_USER = N_("Создана учётная запись")
ACTION_UPDATE_USER = N_("Изменена учётная запись")
ACTION_SET_PASSWORD = N_("Задан новый пароль")
ACTION_COVER_QUESTIONS = N_("Вопросы отнесены к теме")
ACTION_DRAFT_ANSWER = N_("Сохранён черновик ответа")
ACTION_APPROVE_ANSWER = N_("Ответ одобрен и опубликован")
ACTION_REJECT = N_("Черновик отклонён")
ACTION_CONFIRM_TRANSLATION = N_("Перевод подтверждён")
ACTION_DRAFT_ORGANISATION = N_("Сохранён черновик организации")
ACTION_APPROVE_ORGANISATION = N_("Организация одобрена и опубликована")
ACTION_NAMES = {"create_user": ACTION_CREATE_USER, "update_user": ACTION_UPDATE_USER,
                "set_password": ACTION_SET_PASSWORD, "cover_questions": ACTION_COVER_QUESTIONS,
                "draft_answer": ACTION_DRAFT_ANSWER, "approve_answer": ACTION_APPROVE_ANSWER,
                "reject": ACTION_REJECT, "confirm_translation": ACTION_CONFIRM_TRANSLATION,
                "draft_organisation": ACTION_DRAFT_ORGANISATION, "approve_organisation": ACTION_APPROVE_ORGANISATION}
QUESTIONS_N = N_("Вопросов: {n}")
PO_IMPORT = N_("импорт файла .po")

# Organisations: kind and status codes as stored, with what people read.
KIND_NGO = N_("НКО")
KIND_TRADE_UNION = N_("Профсоюз")
KIND_HOME_COUNTRY_AGENCY = N_("Ведомство страны гражданства")
KIND_CONSULATE = N_("Консульство")
KIND_HOTLINE = N_("Горячая линия")
KIND_NAMES = {"ngo": KIND_NGO, "trade_union": KIND_TRADE_UNION, "home_country_agency": KIND_HOME_COUNTRY_AGENCY,
              "consulate": KIND_CONSULATE, "hotline": KIND_HOTLINE}
ORG_ACTIVE = N_("работает")
ORG_UNVERIFIED = N_("не проверена")
ORG_INACTIVE = N_("не работает")
ORG_STATUS_NAMES = {"active": ORG_ACTIVE, "unverified": ORG_UNVERIFIED, "inactive": ORG_INACTIVE}
ORG_FIELD_NAMES = {"key": KEY, "name": NAME, "kind": KIND, "status": STATUS, "hours": HOURS, "note": NOTE,
                   "nationwide": NATIONWIDE, "free": FREE, "vetted_by": REVIEWED_BY, "vetted_on": REVIEWED_ON,
                   "cities": CITIES, "topics": TOPICS, "languages": LANGUAGES, "countries": COUNTRIES,
                   "contacts": CONTACTS}
ORG_VALUE_NAMES = {"kind": KIND_NAMES, "status": ORG_STATUS_NAMES}

TOGGLE_NAVIGATION = N_("Показать меню")
