"""Every fixed text of the workspace pages, in Russian (the gettext source), marked for translation."""

from bot.admin import desk_texts as D
from bot.content.models import OrganisationStatus, RevisionStatus
from bot.i18n import N_
from bot.registry import CITIES as CITIES_NAMES
from bot.registry import COUNTRIES as COUNTRY_NAMES
from bot.registry import ORGANISATION_KINDS, TOPIC_LABELS

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
WITHDRAW = N_("Отозвать")
REBASE = N_("Перенести на новую версию")
REBASE_INTRO = N_("Пока черновик ждал проверки, опубликована новая версия. Вы и автор новой версии изменили "
                  "одно и то же — выберите, что оставить, и сохраните черновик заново.")
MERGES_CLEANLY = N_("После этого черновика опубликована новая версия ({n}), но изменены разные поля: "
                    "при одобрении правки объединятся.")
NEEDS_REBASE = N_("После этого черновика опубликована новая версия ({n}), и в ней изменено то же самое. "
                  "Одобрить нельзя, пока автор не перенесёт черновик на новую версию.")
BASE_VERSION = N_("Исходная версия (черновик написан на ней)")
PUBLISHED_NOW = N_("Опубликовано сейчас")
THIS_DRAFT = N_("Этот черновик")
AFTER_MERGE = N_("Будет опубликовано после объединения")
CONFLICT = N_("изменено обоими")
NEW_IN_DIRECTORY = N_("новая организация")
PROPOSED = N_("Предложены, ещё не в справочнике")
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
BASE_MOVED_ON = N_("Пока вы редактировали, опубликована новая версия. На странице «На проверку» видно, "
                   "объединятся ли правки сами или черновик нужно перенести на новую версию.")
WITHDRAWN_DONE = N_("Черновик отозван.")
REBASED_DONE = N_("Черновик перенесён на опубликованную версию и ждёт проверки.")
NOTHING_TO_REBASE = N_("Черновик уже написан на опубликованной версии: переносить нечего.")
PASSWORD_CHANGED = N_("Пароль изменён. Все остальные входы в эту учётную запись закрыты.")
IMPORTED_DRAFTS = N_("Добавлено черновиков: {n}. Их одобряет проверяющий на странице «На проверку».")
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
CONTACTS = N_("Контакты")
HOURS = N_("Часы работы")
NOTE = N_("Примечание")
NATIONWIDE = N_("Помогает из любого города (горячая линия, сайт)")
FREE = N_("Бесплатно")
FREE_HINT = N_("Без отметки бот называет организацию недорогой, платной, и не включает в бесплатную помощь.")
CITIES = N_("Города")
TOPICS = N_("Темы")
LANGUAGES = N_("Языки")
COUNTRIES = N_("Граждан каких стран")
COUNTRIES_HINT = N_("Ничего не отмечено — помогает гражданам всех стран. Посольство или ведомство одной страны "
                    "бот предлагает только её гражданам.")
KEY_HINT = N_("Необязательно: строчные латинские буквы, цифры, _ и -. Пусто — ключ составится из названия.")
SITE_HINT = N_("Адрес сайта, например example.org.")
EMAIL_HINT = N_("Адрес почты, например help@example.org.")
TEXTS_IN_LANGUAGES = N_("Название, часы и примечание на других языках")
TEXTS_IN_LANGUAGES_HINT = N_("Пустое поле — бот покажет русский текст с пометкой «пока только на русском».")
CONTACT_PHONE = N_("Телефон")
CONTACT_SITE = N_("Сайт")
CONTACT_EMAIL = N_("Эл. почта")
CONTACT_ADDRESS = N_("Адрес")
CONTACT_NAMES = {"phone": CONTACT_PHONE, "site": CONTACT_SITE, "email": CONTACT_EMAIL, "address": CONTACT_ADDRESS}
ADMIN_ONLY = N_("Статус и проверку меняет только администратор.")
LOW_COST = N_("недорого, платно")

ROLE = N_("Роль")
ROLE_EDITOR = N_("редактор")
ROLE_REVIEWER = N_("проверяющий")
ROLE_ADMIN = N_("администратор")
ROLE_NAMES = {"editor": ROLE_EDITOR, "reviewer": ROLE_REVIEWER, "admin": ROLE_ADMIN,
              "consultant": D.ROLE_CONSULTANT}
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
SERVER_ERROR = N_("Что-то пошло не так, ничего не сохранено. Попробуйте ещё раз; если повторится, сообщите администратору.")
FORM_EXPIRED = N_("Форма устарела. Откройте страницу заново и повторите.")
BAD_REQUEST = N_("Запрос не понят. Откройте страницу заново и повторите.")
TOO_LARGE = N_("Файл слишком большой: не больше 2 МБ. Разделите его на части.")
TO_DASHBOARD = N_("На главную")
ANSWER_DRAFT = N_("Черновик ответа")
ORGANISATION_DRAFT = N_("Черновик организации")
ROUTING_HINT = N_("Организации бот перечисляет в ответах о правах и помощи, когда знает город; "
                  "с черновиком организации тема и город берутся из него, если не выбраны.")

WITHDRAWN = N_("отозвано автором")
SUPERSEDED = N_("заменено перенесённым черновиком")
REVISION_STATUS_NAMES = {RevisionStatus.DRAFT.value: DRAFT, RevisionStatus.PUBLISHED.value: PUBLISHED,
                         RevisionStatus.REJECTED.value: REJECTED, RevisionStatus.RETIRED.value: RETIRED,
                         RevisionStatus.WITHDRAWN.value: WITHDRAWN, RevisionStatus.SUPERSEDED.value: SUPERSEDED}

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
ACTION_WITHDRAW = N_("Черновик отозван автором")
ACTION_REBASE = N_("Черновик перенесён на новую версию")
ACTION_SIGN_IN = N_("Вход")
ACTION_SIGN_IN_FAILED = N_("Неудачная попытка входа")
ACTION_LOCK_OUT = N_("Вход заблокирован после неудачных попыток")
ACTION_SIGN_OUT = N_("Выход (все входы учётной записи закрыты)")
ACTION_CHANGE_PASSWORD = N_("Пароль сменён владельцем")
ACTION_RESET_PASSWORD = N_("Пароль задан администратором")
ACTION_CHANGE_ROLE = N_("Роль изменена")
ACTION_DEACTIVATE_USER = N_("Учётная запись отключена")
ACTION_REACTIVATE_USER = N_("Учётная запись снова включена")
ACTION_NAMES = {"create_user": ACTION_CREATE_USER, "update_user": ACTION_UPDATE_USER,
                "set_password": ACTION_SET_PASSWORD, "cover_questions": ACTION_COVER_QUESTIONS,
                "draft_answer": ACTION_DRAFT_ANSWER, "approve_answer": ACTION_APPROVE_ANSWER,
                "reject": ACTION_REJECT, "confirm_translation": ACTION_CONFIRM_TRANSLATION,
                "draft_organisation": ACTION_DRAFT_ORGANISATION, "approve_organisation": ACTION_APPROVE_ORGANISATION,
                "withdraw": ACTION_WITHDRAW, "rebase": ACTION_REBASE, "sign_in": ACTION_SIGN_IN,
                "sign_in_failed": ACTION_SIGN_IN_FAILED, "lock_out": ACTION_LOCK_OUT, "sign_out": ACTION_SIGN_OUT,
                "change_password": ACTION_CHANGE_PASSWORD, "reset_password": ACTION_RESET_PASSWORD,
                "change_role": ACTION_CHANGE_ROLE, "deactivate_user": ACTION_DEACTIVATE_USER,
                "reactivate_user": ACTION_REACTIVATE_USER, **D.ACTION_NAMES}
LOCKED_ADDRESS = N_("слишком много неудачных попыток с одного адреса")
LOCKED_ACCOUNT = N_("слишком много неудачных попыток войти в эту учётную запись")
LOCK_NAMES = {"address": LOCKED_ADDRESS, "account": LOCKED_ACCOUNT}
MERGED_DETAIL = N_("версия {revision}, объединена с опубликованной версией {published}")
QUESTIONS_N = N_("Вопросов: {n}")
PO_IMPORT = N_("импорт файла .po")

# Organisations: kind and status codes as stored, with what people read.
KIND_NAMES = ORGANISATION_KINDS
ORG_ACTIVE = N_("работает")
ORG_UNVERIFIED = N_("не проверена")
ORG_INACTIVE = N_("не работает")
ORG_STATUS_NAMES = {OrganisationStatus.ACTIVE.value: ORG_ACTIVE, OrganisationStatus.UNVERIFIED.value: ORG_UNVERIFIED,
                    OrganisationStatus.INACTIVE.value: ORG_INACTIVE}
ORG_FIELD_NAMES = {"key": KEY, "name": NAME, "kind": KIND, "status": STATUS, "hours": HOURS, "note": NOTE,
                   "nationwide": NATIONWIDE, "free": FREE, "vetted_by": REVIEWED_BY, "vetted_on": REVIEWED_ON,
                   "cities": CITIES, "topics": TOPICS, "languages": LANGUAGES, "countries": COUNTRIES,
                   "contacts": CONTACTS, "translations": TEXTS_IN_LANGUAGES}
SOURCES = N_("Источники")
ANSWER_FIELD_NAMES = {"body": TEXT, "sources": SOURCES, "reviewed_by": REVIEWED_BY}

# Reply languages and answer scopes by name (the registry has the codes; labels for these live here).
LANGUAGE_NAMES = {"ru": N_("русский"), "uz": N_("узбекский"), "tg": N_("таджикский"), "ky": N_("кыргызский")}
UZBEK_CYRILLIC = N_("узбекский (кириллица)")
SCOPE_NAMES = {"any": N_("все граждане"), "uzbekistan": N_("граждане Узбекистана"),
               "tajikistan": N_("граждане Таджикистана"),
               "eaeu": N_("граждане ЕАЭС (Кыргызстан, Казахстан, Армения, Беларусь)"),
               "other": N_("граждане других стран")}
ORG_VALUE_NAMES = {"kind": KIND_NAMES, "status": ORG_STATUS_NAMES, "cities": CITIES_NAMES,
                   "topics": TOPIC_LABELS, "languages": LANGUAGE_NAMES, "countries": COUNTRY_NAMES}

TOGGLE_NAVIGATION = N_("Показать меню")

# Pages added for issues 12 and 14.
COVERAGE = N_("Покрытие")
COVERAGE_LINK = N_("Покрытие: человек получает контакт в {share} сочетаний темы, города и гражданства")
COVERAGE_INTRO = N_("Для каждой темы и гражданства — во скольких из {n} городов бот даёт хотя бы одну организацию "
                    "с телефоном, сайтом, почтой или адресом. Красным — дыры: человеку некуда обратиться.")
COVERAGE_TOPIC_INTRO = N_("Организации, которые бот перечислит человеку этого гражданства в этом городе, "
                          "в том порядке, в каком он их назовёт. Красным — никого нет или не указано, как связаться.")
REACHABLE = N_("с контактом")
LISTED = N_("хоть кто-то назван")
NO_ONE = N_("никого")
NO_CONTACT = N_("нет контакта")
HOLES = N_("Дыр: {n}")
LOCAL = N_("в городе")
EXCHANGE = N_("Загрузка и выгрузка")
EXPORT = N_("Выгрузить")
EXPORT_HINT = N_("Таблица (CSV, открывается в Excel и LibreOffice) или YAML. В каждой строке — номер версии: "
                 "если после выгрузки кто-то опубликует изменения, загрузка их не отменит.")
IMPORT = N_("Загрузить изменённый файл")
IMPORT_FILE = N_("Файл .csv, .yml или .yaml")
CHECK_FILE = N_("Проверить файл")
WILL_CHANGE = N_("Что изменится")
APPLY_IMPORT = N_("Добавить как черновики")
NOTHING_TO_IMPORT = N_("В файле нет изменений.")
ERRORS = N_("Файл не загружен: исправьте строки и загрузите снова")
ACCOUNT = N_("Моя учётная запись")
CURRENT_PASSWORD = N_("Текущий пароль")
REPEAT_PASSWORD = N_("Новый пароль ещё раз")
CHANGE_PASSWORD = N_("Сменить пароль")
WHERE_IT_APPEARS = N_("Где бот назовёт эту организацию после публикации")
APPEARS_NOWHERE = N_("Нигде: бот не назовёт её ни в одной теме, ни в одном городе.")
ALL_CITIZENSHIPS = N_("все гражданства")
WHY_NOT_HERE = N_("Почему её нет в этом ответе")
IN_REPLY = N_("В этом ответе она есть.")
