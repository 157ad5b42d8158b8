"""`hamroh content export/import`: answers and organisations as YAML or CSV, imported as drafts."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin import reasons as R
from bot.admin.errors import AnswerName, FieldList, Reason, WorkflowError
from bot.admin.merge import three_way
from bot.admin.workflow import (
    IN_DIRECTORY, MAX_BODY, SERVED, answer_fields, answer_key, answer_revision, answers_with_revisions,
    check_answer_key, clean_sources, get_or_create_answer, organisation_base, organisation_snapshot, propose_answer,
    propose_organisation, published_revision, served_revision, validate_organisation,
)
from bot.content.models import AdminUser, Answer, Organisation, RevisionStatus

ANSWER_COLUMNS = ("topic", "language", "scope", "body", "reviewed_by", "reviewed_on", "sources", "revision")
ORGANISATION_COLUMNS = ("key", "name", "kind", "status", "nationwide", "free", "languages", "countries", "cities",
                        "topics", "contacts", "hours", "vetted_by", "vetted_on", "note", "translations", "revision")
OPTIONAL_COLUMNS = ("revision",)
"""The published revision a row was exported from: an import compares the row with it, so a file older than the
workspace never reverts a colleague's work. Files written without it are compared with what is published now."""
LIST_COLUMNS = ("languages", "countries", "cities", "topics")
JSON_COLUMNS = ("sources", "contacts", "translations")
LIST_SEPARATOR = "; "


Where = Dict[str, Any]
"""A row's place in its file: {"line": n}, and for CSV also the spreadsheet's {"row": n}."""


def at(where: Where, reason: Reason) -> Reason:
    """Returns a reason prefixed with the line (and spreadsheet row) it is about."""
    return Reason(R.AT_CSV_LINE if "row" in where else R.AT_LINE, **where, reason=reason)


class ImportRejected(ValueError):
    """A file with bad rows; nothing was applied. `errors` name the lines, in any language."""

    def __init__(self, errors: List[Reason]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


@dataclass
class ImportPlan:
    """What an import would change (one reason per row), and the clean records to apply with their place."""

    answers: List[Tuple[Where, Dict[str, Any]]] = field(default_factory=list)
    organisations: List[Tuple[Where, Dict[str, Any]]] = field(default_factory=list)
    changes: List[Reason] = field(default_factory=list)
    unchanged: int = 0


# --- Export --------------------------------------------------------------------------------------

def answer_rows(session: Session) -> List[Dict[str, Any]]:
    """Returns the published text of every answer as plain rows."""
    rows = []
    for answer in answers_with_revisions(session):
        served = served_revision(answer)
        if served is None or served.status != RevisionStatus.PUBLISHED:
            continue
        rows.append({"topic": answer.topic, "language": answer.language, "scope": answer.scope,
                     "body": served.body, "reviewed_by": served.reviewed_by,
                     "reviewed_on": served.reviewed_on.isoformat(), "sources": list(served.sources or []),
                     "revision": served.number})
    return rows


def organisation_rows(session: Session) -> List[Dict[str, Any]]:
    """Returns every organisation of the directory as the records its revisions store, with their revision."""
    organisations = session.execute(select(Organisation).where(IN_DIRECTORY).order_by(Organisation.key)).scalars()
    return [{**organisation_snapshot(o), "revision": published_revision(o).number} for o in organisations]


def _cell(column: str, value: Any) -> str:
    if column in JSON_COLUMNS:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if column in LIST_COLUMNS:
        return LIST_SEPARATOR.join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def to_csv(rows: List[Dict[str, Any]], columns: Tuple[str, ...]) -> str:
    """Returns rows as CSV text a spreadsheet opens (lists joined by "; ", sources and contacts as JSON)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(c, row[c]) for c in columns])
    return out.getvalue()


def export_content(session: Session, path: Path, organisations: bool = False) -> int:
    """Writes answers (or organisations) to .yml/.yaml/.csv; YAML holds both. Returns the number of rows."""
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        data = {"answers": answer_rows(session), "organisations": organisation_rows(session)}
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        return len(data["answers"]) + len(data["organisations"])
    if suffix != ".csv":
        raise WorkflowError(R.EXPORT_FORMAT)
    rows = organisation_rows(session) if organisations else answer_rows(session)
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    path.write_text("\ufeff" + to_csv(rows, ORGANISATION_COLUMNS if organisations else ANSWER_COLUMNS),
                    encoding="utf-8")
    return len(rows)


# --- Reading ------------------------------------------------------------------------------------

def _yaml_rows(text: str) -> Tuple[List[Tuple[Where, Any]], List[Tuple[Where, Any]]]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ImportRejected([at({"line": mark.line + 1 if mark else "?"}, Reason(R.NOT_YAML))]) from error
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ImportRejected([at({"line": 1}, Reason(R.YAML_SECTIONS))])
    lines: Dict[str, List[int]] = {}
    for key_node, value_node in node.value:
        if isinstance(value_node, yaml.SequenceNode):
            lines[key_node.value] = [item.start_mark.line + 1 for item in value_node.value]
    unknown = [k for k in data if k not in ("answers", "organisations")]
    if unknown:
        raise ImportRejected([at({"line": 1}, Reason(R.UNKNOWN_SECTION, name=str(unknown[0])))])

    def rows(name: str) -> List[Tuple[Where, Any]]:
        items = data.get(name) or []
        if not isinstance(items, list):
            raise ImportRejected([Reason(R.NOT_A_LIST, name=name)])
        return [({"line": line}, item) for line, item in zip(lines.get(name, []), items)]

    return rows("answers"), rows("organisations")


def _csv_rows(text: str) -> Tuple[List[Tuple[Where, Any]], List[Tuple[Where, Any]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader, None) or []
    header = [h.strip() for h in header]
    if "topic" in header:
        columns, kind = ANSWER_COLUMNS, "answers"
    elif "key" in header:
        columns, kind = ORGANISATION_COLUMNS, "organisations"
    else:
        raise ImportRejected([at({"line": 1}, Reason(R.CSV_HEADER))])
    missing = [c for c in columns if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        raise ImportRejected([at({"line": 1}, Reason(R.MISSING_COLUMNS, columns=", ".join(missing)))])
    rows, errors = [], []
    start, row = reader.line_num + 1, 1
    for cells in reader:
        # A body may span several lines: name the file line (editors) and the row (spreadsheets).
        row += 1
        where, start = {"line": start, "row": row}, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            errors.append(at(where, Reason(R.CELL_COUNT, cells=len(cells), header=len(header))))
            continue
        raw: Dict[str, Any] = dict(zip(header, cells))
        try:
            for column in JSON_COLUMNS:
                if column in raw:
                    raw[column] = json.loads(raw[column]) if raw[column].strip() else ([] if column == "sources" else {})
        except json.JSONDecodeError:
            errors.append(at(where, Reason(R.BAD_JSON, column=column)))
            continue
        for column in LIST_COLUMNS:
            if column in raw:
                raw[column] = [v.strip() for v in raw[column].split(";") if v.strip()]
        for column in ("nationwide", "free"):
            if column in raw:
                value = raw[column].strip().lower()
                if value not in ("yes", "no", "true", "false", "1", "0"):
                    errors.append(at(where, Reason(R.YES_NO, column=column)))
                raw[column] = value in ("yes", "true", "1")
        for column in ("hours", "vetted_by", "vetted_on", "note", "revision"):
            if column in raw and not str(raw[column]).strip():
                raw[column] = None
        rows.append((where, raw))
    if errors:
        raise ImportRejected(errors)
    return (rows, []) if kind == "answers" else ([], rows)


def _answer_record(raw: Any) -> Dict[str, Any]:
    if not isinstance(raw, dict):
        raise WorkflowError(R.ROW_FIELDS)
    topic, language, scope = (str(raw.get(k) or "").strip() for k in ("topic", "language", "scope"))
    scope = scope or "any"
    check_answer_key(topic, language, scope)
    body = str(raw.get("body") or "").replace("\r\n", "\n").strip()
    if not body:
        raise WorkflowError(R.EMPTY_COLUMN, column="body")
    if len(body) > MAX_BODY:
        raise WorkflowError(R.LONG_COLUMN, column="body", n=MAX_BODY)
    reviewed_by = str(raw.get("reviewed_by") or "").strip()
    if not reviewed_by:
        raise WorkflowError(R.EMPTY_COLUMN, column="reviewed_by")
    reviewed_on = raw.get("reviewed_on")
    if reviewed_on not in (None, "") and not isinstance(reviewed_on, date):
        try:
            date.fromisoformat(str(reviewed_on))
        except ValueError as error:
            raise WorkflowError(R.NOT_A_DATE, field="reviewed_on", value=str(reviewed_on)[:40]) from error
    return {"topic": topic, "language": language, "scope": scope, "body": body, "reviewed_by": reviewed_by,
            "sources": clean_sources(raw.get("sources") if raw.get("sources") is not None else [])}


def _revision(raw: Any) -> Optional[int]:
    """The revision a row was exported from (None: not said)."""
    value = raw.get("revision") if isinstance(raw, dict) else None
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise WorkflowError(R.BAD_REVISION, value=str(value)[:20])
    return int(str(value).strip())


def read_import(path: Path) -> Tuple[List[Tuple[Where, Any]], List[Tuple[Where, Any]]]:
    """Returns (place, raw row) pairs of answers and organisations from a .yml/.yaml/.csv file."""
    return parse_import(path.name, path.read_bytes())


def parse_import(name: str, content: bytes) -> Tuple[List[Tuple[Where, Any]], List[Tuple[Where, Any]]]:
    """Returns (place, raw row) pairs of answers and organisations from a file's name and bytes."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportRejected([Reason(R.NOT_UTF8)]) from error
    suffix = Path(name).suffix.lower()
    if suffix in (".yml", ".yaml"):
        return _yaml_rows(text)
    if suffix == ".csv":
        return _csv_rows(text)
    raise ImportRejected([Reason(R.IMPORT_FORMAT)])


# --- Planning and applying -----------------------------------------------------------------------

def _conflict(key: Any, base: int, current: int, conflicts: List[str]) -> WorkflowError:
    return WorkflowError(R.IMPORT_CONFLICT, key=key, base=base, current=current, fields=FieldList(conflicts))


def _once(seen: set, identity: tuple, name: Any) -> None:
    if identity in seen:
        raise WorkflowError(R.TWICE, key=name)
    seen.add(identity)


def _plan_answer(session: Session, plan: ImportPlan, where: Where, raw: Any, seen: set) -> None:
    record, base_number = _answer_record(raw), _revision(raw)
    key = AnswerName("/".join((record["topic"], record["language"], record["scope"])))
    _once(seen, ("answer", key.key), key)
    answer = session.execute(select(Answer).where(
        Answer.topic == record["topic"], Answer.language == record["language"], Answer.scope == record["scope"])
    ).scalar_one_or_none()
    served = served_revision(answer) if answer is not None else None
    row = {f: record[f] for f in ("body", "sources", "reviewed_by")}
    merged = False
    if base_number is not None:
        base = answer_revision(answer, base_number) if answer is not None else None
        if base is None or base.status not in SERVED:
            raise WorkflowError(R.UNKNOWN_REVISION, key=key, number=base_number)
        if answer_fields(base) == row:
            plan.unchanged += 1  # not edited since the export, even if colleagues published since
            return
        if served.number != base_number:
            merge = three_way(answer_fields(base), answer_fields(served), row, nested=False)
            if merge.conflicts:
                raise _conflict(key, base_number, served.number, merge.conflicts)
            record.update(merge.merged)
            merged = True
    if served is not None and served.status == RevisionStatus.PUBLISHED and answer_fields(served) == \
            {f: record[f] for f in ("body", "sources", "reviewed_by")}:
        plan.unchanged += 1
        return
    what = Reason(R.MERGED_ANSWER, key=key, current=served.number) if merged else Reason(
        R.NEW_ANSWER if served is None else R.TEXT_CHANGED if served.body != record["body"] else R.SOURCES_CHANGED,
        key=key)
    plan.changes.append(at(where, what))
    plan.answers.append((where, record))


def _plan_organisation(session: Session, plan: ImportPlan, where: Where, raw: Any, seen: set) -> None:
    raw = raw if isinstance(raw, dict) else {}
    record, base_number = validate_organisation(raw), _revision(raw)
    _once(seen, ("organisation", record["key"]), record["name"])
    organisation = session.execute(select(Organisation).where(Organisation.key == record["key"])).scalar_one_or_none()
    published = published_revision(organisation) if organisation is not None else None
    current = organisation_snapshot(organisation) if published is not None else None
    merged = False
    if base_number is not None:
        base = organisation_base(organisation, base_number) if organisation is not None else None
        if base is None or not any(r.number == base_number and r.status == RevisionStatus.PUBLISHED
                                   for r in organisation.revisions):
            raise WorkflowError(R.UNKNOWN_REVISION, key=record["name"], number=base_number)
        if validate_organisation(base) == record:
            plan.unchanged += 1
            return
        if published.number != base_number:
            merge = three_way(base, current, record)
            if merge.conflicts:
                raise _conflict(record["name"], base_number, published.number, merge.conflicts)
            record, merged = validate_organisation(merge.merged), True
    if current == record:
        plan.unchanged += 1
        return
    changed = FieldList(sorted(k for k in record if current is None or current.get(k) != record[k]))
    what = Reason(R.NEW_ORGANISATION, key=record["name"]) if current is None else \
        Reason(R.MERGED_ORGANISATION if merged else R.ORGANISATION_CHANGED, key=record["name"], fields=changed,
               current=published.number)
    plan.changes.append(at(where, what))
    plan.organisations.append((where, record))


def plan_import(session: Session, path: Path) -> ImportPlan:
    """Validates every row and lists what would change; raises ImportRejected naming every bad line."""
    return plan_rows(session, *read_import(path))


def plan_rows(session: Session, raw_answers: List[Tuple[Where, Any]],
              raw_organisations: List[Tuple[Where, Any]]) -> ImportPlan:
    """Validates read rows against the database; a row edited on a revision older than the published one is
    merged field by field or, when both changed the same field, refused as a conflict naming the row."""
    plan, errors, seen = ImportPlan(), [], set()
    for rows, planner in ((raw_answers, _plan_answer), (raw_organisations, _plan_organisation)):
        for where, raw in rows:
            try:
                planner(session, plan, where, raw, seen)
            except WorkflowError as error:
                errors.append(at(where, error.reason))
    if errors:
        raise ImportRejected(errors)
    return plan


def apply_import(session: Session, plan: ImportPlan, author: AdminUser) -> int:
    """Adds every planned change as a draft by `author`; any refusal rolls the whole import back."""
    errors = []
    for where, record in plan.answers:
        answer = get_or_create_answer(session, record["topic"], record["language"], record["scope"])
        try:
            propose_answer(session, answer, record["body"], author.username, record["sources"], record["reviewed_by"])
        except WorkflowError as error:
            errors.append(at(where, Reason(R.ABOUT_ANSWER, key=AnswerName(answer_key(answer)), reason=error.reason)))
    for where, record in plan.organisations:
        try:
            propose_organisation(session, record, author)
        except WorkflowError as error:
            errors.append(at(where, Reason(R.ABOUT_ORGANISATION, key=record["name"], reason=error.reason)))
    if errors:
        raise ImportRejected(errors)  # the caller's transaction rolls back: nothing half-applied
    return len(plan.answers) + len(plan.organisations)
