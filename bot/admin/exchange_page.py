"""Import and export on the web: the files of `hamroh content export/import`, with the same checks and conflicts."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path

from flask import Response, abort
from flask_admin import BaseView, expose
from flask_login import current_user

from bot.admin import texts as T
from bot.admin.exchange import ImportRejected, apply_import, export_content, parse_import, plan_rows
from bot.admin.forms import ApplyImportForm, ImportForm
from bot.admin.i18n import language, tr
from bot.admin.pages import Guarded, db, done

EXPORTS = {"answers.csv": False, "organisations.csv": True, "content.yml": False}
"""Files offered for download: name → organisations only (CSV holds one kind; YAML holds both)."""
MAX_FILE = 2 * 1024 * 1024


class ExchangeView(Guarded, BaseView):
    """Download the content as a spreadsheet or YAML; upload an edited file: see what would change, then add
    the changes as drafts. A row edited on an older version than the published one is merged or refused."""

    def _page(self, status: int = 200, **values):
        values.setdefault("form", ImportForm())
        return self.render("hamroh/exchange.html", page_title=tr(T.EXCHANGE), exports=EXPORTS, **values), status

    @expose("/")
    def index(self):
        return self._page()

    @expose("/export/<filename>")  # not "name": Flask-Admin passes its view's own name under that
    def export(self, filename: str):
        if filename not in EXPORTS:
            abort(404)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / filename
            export_content(db(), path, organisations=EXPORTS[filename])
            content = path.read_bytes()
        kind = "text/csv" if filename.endswith(".csv") else "application/yaml"
        return Response(content, mimetype=kind, headers={"Content-Disposition": f"attachment; filename={filename}"})

    def _plan(self, name: str, content: bytes):
        try:
            return plan_rows(db(), *parse_import(name, content)), None
        except ImportRejected as error:
            db().rollback()
            return None, [reason.text(language()) for reason in error.errors]

    @expose("/import", methods=["POST"])
    def upload(self):
        form = ImportForm()
        if not form.validate():
            return self._page(400, form=form)
        upload = form.file.data
        content = upload.read(MAX_FILE + 1)
        plan, errors = self._plan(upload.filename or "", content)
        if errors:
            return self._page(400, form=form, errors=errors)
        apply = ApplyImportForm(formdata=None, data={"name": upload.filename,
                                                     "content": base64.b64encode(content).decode()})
        return self._page(plan=plan, changes=[c.text(language()) for c in plan.changes], apply=apply)

    @expose("/apply", methods=["POST"])
    def apply(self):
        form = ApplyImportForm()
        try:
            content = base64.b64decode(form.content.data or "", validate=True)
        except (binascii.Error, ValueError):
            abort(400)
        # Planned again: whatever was published since the file was shown is checked against it too.
        plan, errors = self._plan(form.name.data or "", content)
        if errors:
            return self._page(400, errors=errors)
        try:
            count = apply_import(db(), plan, current_user)
        except ImportRejected as error:
            db().rollback()
            return self._page(400, errors=[reason.text(language()) for reason in error.errors])
        return done(tr(T.IMPORTED_DRAFTS, n=count), ".index")
