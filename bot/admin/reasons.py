"""Why the workspace or its command line refused something, and what an import would change (Russian, gettext)."""

from bot.i18n import N_

# TRANSLATORS: {line} is a line of the imported file, {reason} one of the texts below.
AT_LINE = N_("Строка {line}: {reason}")
# TRANSLATORS: {row} is the row number a spreadsheet shows (a text may span several file lines).
AT_CSV_LINE = N_("Строка {line} (в таблице — строка {row}): {reason}")
ABOUT_ANSWER = N_("ответ {key}: {reason}")
ABOUT_ORGANISATION = N_("организация {key}: {reason}")

# Accounts
PASSWORD_SHORT = N_("Пароль должен быть не короче {n} символов.")
PASSWORD_IS_USERNAME = N_("Пароль не должен совпадать с именем пользователя.")
PASSWORDS_DIFFER = N_("Пароли не совпадают.")
UNKNOWN_ROLE = N_("Неизвестная роль «{role}» (возможны: {roles}).")
USERNAME_LENGTH = N_("Имя пользователя — от 1 до 80 символов.")
USER_EXISTS = N_("Пользователь «{name}» уже есть.")
NO_SUCH_USER = N_("Нет действующего пользователя «{name}» (создайте его: hamroh admin create-user).")

# Answers
UNKNOWN_TOPIC = N_("Неизвестная тема «{topic}».")
UNKNOWN_LANGUAGE = N_("Неизвестный язык «{language}».")
UNKNOWN_SCOPE = N_("Неизвестная группа граждан «{scope}».")
SOURCES_LIST = N_("Источники должны быть списком: название, ссылка, основание.")
SOURCE_TITLE = N_("У каждого источника должно быть название.")
SOURCE_URL = N_("Ссылка на источник должна начинаться с https:// или http://: {url}")
EMPTY_TEXT = N_("Текст ответа пустой.")
LONG_TEXT = N_("Текст ответа длиннее {n} символов.")
REVIEWED_BY_NEEDED = N_("Укажите, какая организация проверила текст.")
NOTHING_CHANGED = N_("Ничего не изменилось.")
REVIEWERS_ONLY = N_("Одобрять может только проверяющий или администратор.")
OTHER_PERSON = N_("Черновик должен одобрить другой человек, не его автор.")
ONLY_DRAFT_APPROVED = N_("Одобрить можно только черновик.")
NEWER_PUBLISHED = N_("После этого черновика опубликована более новая версия; восстановите его как новый черновик.")
ONLY_DRAFT_REJECTED = N_("Отклонить можно только черновик.")
REJECT_RIGHTS = N_("Отклонить черновик может проверяющий или его автор.")
SOURCE_NOT_CONFIRMED = N_("Русский текст — исходный, подтверждать нечего.")
NOT_OUTDATED = N_("Этот перевод не отмечен как требующий обновления.")

# Organisations
BAD_KEY = N_("Ключ: только строчные латинские буквы, цифры, _ и - (не больше 64).")
EMPTY_NAME = N_("Название пустое.")
BAD_KIND = N_("Вид должен быть одним из: {kinds}.")
BAD_STATUS = N_("Статус должен быть одним из: {statuses}.")
UNKNOWN_LANGUAGES = N_("Неизвестные языки: {languages}.")
UNKNOWN_TOPICS = N_("Неизвестные темы: {topics}.")
LIST_NEEDED = N_("{field}: нужен список.")
CONTACTS_PAIRS = N_("Контакты — пары «вид: значение».")
NOT_A_DATE = N_("{field}: это не дата: {value}")
BAD_ORGANISATION = N_("Данные организации не читаются.")
ADMIN_VETS = N_("Отмечать организации проверенными может только администратор.")

# Inbox
BAD_QUESTION_IDS = N_("Неверные номера вопросов.")

# Import and export files
EXPORT_FORMAT = N_("Выгрузить можно в файл .yml, .yaml или .csv.")
IMPORT_FORMAT = N_("Загрузить можно файл .yml, .yaml или .csv.")
NOT_UTF8 = N_("Файл не в кодировке UTF-8 (сохраните таблицу как «CSV UTF-8»).")
NOT_YAML = N_("файл не читается как YAML.")
YAML_SECTIONS = N_("нужны разделы answers: и/или organisations:.")
UNKNOWN_SECTION = N_("неизвестный раздел «{name}».")
NOT_A_LIST = N_("{name}: нужен список.")
CSV_HEADER = N_("в заголовке нужны столбцы ответов (topic, …) или организаций (key, …).")
MISSING_COLUMNS = N_("не хватает столбцов: {columns}.")
CELL_COUNT = N_("ячеек {cells}, а в заголовке {header}.")
BAD_JSON = N_("{column}: неверный JSON.")
YES_NO = N_("{column}: должно быть yes или no.")
ROW_FIELDS = N_("нужны topic, language, scope, body, …")
EMPTY_COLUMN = N_("{column}: пусто.")
LONG_COLUMN = N_("{column}: длиннее {n} символов.")
TWICE = N_("{key} встречается дважды.")
PO_UNREADABLE = N_("{name}: не читается как файл .po.")
PO_CONTEXT = N_("неизвестный msgctxt «{context}».")
PO_TOKENS = N_("{key}: суммы и даты ([rub:…], [date:…]) не совпадают с русским текстом.")
PO_LANGUAGE = N_("Переводить можно на: {languages}.")

# What an import would change
NEW_ANSWER = N_("{key}: новый ответ")
TEXT_CHANGED = N_("{key}: текст изменён")
SOURCES_CHANGED = N_("{key}: изменены источники или проверившая организация")
NEW_ORGANISATION = N_("организация {key}: новая")
ORGANISATION_CHANGED = N_("организация {key}: изменено: {fields}")
PO_CONFIRMED = N_("{key}: перевод подтверждён как верный")
PO_NEW = N_("{key}: новый перевод")
PO_CHANGED = N_("{key}: перевод изменён")

# The command line
CLI_ERROR = N_("ошибка: {reason}")
TO_CHANGE = N_("К изменению: {changed}, без изменений: {unchanged}.")
DRAFTS_ADDED = N_("Добавлено черновиков: {count}, автор {author}; их одобряет проверяющий в рабочем месте.")
NOT_APPLIED = N_("Ничего не применено: запустите ещё раз с --apply, чтобы добавить это черновиками.")
NOTHING_IMPORTED = N_("Ничего не загружено.")
PO_TO_CHANGE = N_("К изменению: {changed}, неточных (пропущены): {fuzzy}.")
PO_APPLIED = N_("Применено, автор {author}; изменённые переводы ждут проверки как черновики.")
PO_NOT_APPLIED = N_("Ничего не применено: запустите ещё раз с --apply.")
APPLY_NEEDS_AUTHOR = N_("--apply требует --author ИМЯ (пользователь рабочего места).")
USER_CREATED = N_("Создан пользователь «{name}», роль: {role}.")
PASSWORD_PROMPT = N_("Пароль: ")
REPEAT_PROMPT = N_("Ещё раз: ")
ROWS_WRITTEN = N_("Записано строк: {count}, файл {file}.")
FILE_WRITTEN = N_("Записан файл {file}.")
EXAMPLES_WRITTEN = N_("Записано примеров: {count}, файл {file}.")
STALE_COUNT = N_("Давно не проверялось: {n}.")
SERVING = N_("Рабочее место Хамрох: http://{host}:{port}/ (первого администратора создаёт "
             "hamroh admin create-user ИМЯ --role admin)")
