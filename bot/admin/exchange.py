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
from bot.admin.errors import Reason, WorkflowError
from bot.admin.workflow import (
    MAX_BODY, _clean_sources, answer_key, answers_with_revisions, check_answer_key, get_or_create_answer,
    organisation_snapshot, propose_answer, propose_organisation, served_revision, validate_organisation,
)
from bot.content.models import AdminUser, Answer, Organisation

ANSWER_COLUMNS = ("topic", "language", "scope", "body", "reviewed_by", "reviewed_on", "sources")
ORGANISATION_COLUMNS = ("key", "name", "kind", "status", "nationwide", "free", "languages", "countries", "cities",
                        "topics", "contacts", "hours", "vetted_by", "vetted_on", "note")
LIST_COLUMNS = ("languages", "countries", "cities", "topics")
JSON_COLUMNS = ("sources", "contacts")
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
        if served is None or served.status != "published":
            continue
        rows.append({"topic": answer.topic, "language": answer.language, "scope": answer.scope,
                     "body": served.body, "reviewed_by": served.reviewed_by,
                     "reviewed_on": served.reviewed_on.isoformat(), "sources": list(served.sources or [])})
    return rows


def organisation_rows(session: Session) -> List[Dict[str, Any]]:
    """Returns every organisation as the records its revisions store."""
    organisations = session.execute(select(Organisation).order_by(Organisation.key)).scalars()
    return [{c: organisation_snapshot(o)[c] for c in ORGANISATION_COLUMNS} for o in organisations]


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
    missing = [c for c in columns if c not in header]
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
        for column in ("hours", "vetted_by", "vetted_on", "note"):
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
            "sources": _clean_sources(raw.get("sources") if raw.get("sources") is not None else [])}


def read_import(path: Path) -> Tuple[List[Tuple[Where, Any]], List[Tuple[Where, Any]]]:
    """Returns (place, raw row) pairs of answers and organisations from a .yml/.yaml/.csv file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ImportRejected([Reason(R.NOT_UTF8)]) from error
    if path.suffix.lower() in (".yml", ".yaml"):
        return _yaml_rows(text)
    if path.suffix.lower() == ".csv":
        return _csv_rows(text)
    raise ImportRejected([Reason(R.IMPORT_FORMAT)])


# --- Planning and applying -----------------------------------------------------------------------

def plan_import(session: Session, path: Path) -> ImportPlan:
    """Validates every row and lists what would change; raises ImportRejected naming every bad line."""
    raw_answers, raw_organisations = read_import(path)
    plan, errors, seen = ImportPlan(), [], set()
    for where, raw in raw_answers:
        try:
            record = _answer_record(raw)
        except WorkflowError as error:
            errors.append(at(where, error.reason))
            continue
        key = (record["topic"], record["language"], record["scope"])
        if key in seen:
            errors.append(at(where, Reason(R.TWICE, key="/".join(key))))
            continue
        seen.add(key)
        answer = session.execute(select(Answer).where(
            Answer.topic == key[0], Answer.language == key[1], Answer.scope == key[2])).scalar_one_or_none()
        served = served_revision(answer) if answer is not None else None
        if served is not None and served.status == "published" and served.body == record["body"] \
                and list(served.sources or []) == record["sources"] and served.reviewed_by == record["reviewed_by"]:
            plan.unchanged += 1
            continue
        plan.changes.append(at(where, Reason(
            R.NEW_ANSWER if served is None else R.TEXT_CHANGED if served.body != record["body"] else R.SOURCES_CHANGED,
            key="/".join(key))))
        plan.answers.append((where, record))
    for where, raw in raw_organisations:
        try:
            record = validate_organisation(raw if isinstance(raw, dict) else {})
        except WorkflowError as error:
            errors.append(at(where, error.reason))
            continue
        if ("org", record["key"]) in seen:
            errors.append(at(where, Reason(R.TWICE, key=record["key"])))
            continue
        seen.add(("org", record["key"]))
        organisation = session.execute(select(Organisation).where(Organisation.key == record["key"])).scalar_one_or_none()
        current = organisation_snapshot(organisation) if organisation is not None else None
        if current == record:
            plan.unchanged += 1
            continue
        changed = sorted(k for k in record if current is None or current.get(k) != record[k])
        what = Reason(R.NEW_ORGANISATION, key=record["key"]) if current is None else \
            Reason(R.ORGANISATION_CHANGED, key=record["key"], fields=", ".join(changed))
        plan.changes.append(at(where, what))
        plan.organisations.append((where, record))
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
            errors.append(at(where, Reason(R.ABOUT_ANSWER, key=answer_key(answer), reason=error.reason)))
    for where, record in plan.organisations:
        try:
            propose_organisation(session, record, author)
        except WorkflowError as error:
            errors.append(at(where, Reason(R.ABOUT_ORGANISATION, key=record["key"], reason=error.reason)))
    if errors:
        raise ImportRejected(errors)  # the caller's transaction rolls back: nothing half-applied
    return len(plan.answers) + len(plan.organisations)
