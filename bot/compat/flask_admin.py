"""Flask-Admin 2.1's `ModelView.update_model`, in an order where a refused form answers with the form.

Flask-Admin 2.1's own method rolls back through a variable it sets only after
`on_model_change`, so every refusal raised there (a short password, one's own
admin rights) answered 500. This is its method with the same steps in a working
order; it calls the view's `_on_model_change` and `handle_view_exception`,
which are Flask-Admin internals.
"""

from __future__ import annotations

from flask import flash
from flask_admin.babel import gettext as admin_gettext

from bot.compat import require

require("Flask-Admin", __name__)


class RefusalKeepsTheForm:
    """Mixin for a Flask-Admin sqla ModelView whose `on_model_change` may refuse an edit."""

    def update_model(self, form, model):
        """Flask-Admin's update_model: populate, on_model_change, commit; on any error flash it and roll back."""
        try:
            form.populate_obj(model)
            self._on_model_change(form, model, False)
            self.session.commit()
        except Exception as error:  # noqa: BLE001 - Flask-Admin's contract: flash it, keep the form
            if not self.handle_view_exception(error):
                flash(admin_gettext("Failed to update record. %(error)s", error=str(error)), "error")
            self.session.rollback()
            return False
        self.after_model_change(form, model, False)
        return True
