"""A signed-in person's own account: a new password, which ends every other session of the account too."""

from __future__ import annotations

from flask_admin import BaseView, expose
from flask_login import current_user, login_user

from bot.admin import ROLES
from bot.admin import texts as T
from bot.admin.accounts import change_own_password
from bot.admin.errors import WorkflowError
from bot.admin.forms import PasswordForm
from bot.admin.i18n import tr
from bot.admin.pages import Guarded, db, done, field_error
from bot.content.models import AdminUser


class AccountView(Guarded, BaseView):
    """Change one's own password (the current one first); every role, consultants too."""

    roles = ROLES

    @expose("/", methods=["GET", "POST"])
    def index(self):
        form = PasswordForm()
        if form.validate_on_submit():
            user = db().get(AdminUser, current_user.id)
            try:
                change_own_password(db(), user, form.current.data, form.new.data, form.repeated.data)
            except WorkflowError as error:
                db().rollback()
                field_error(form, error)
            else:
                db().commit()
                login_user(user)  # this browser carries on; every other session of the account has ended
                return done(tr(T.PASSWORD_CHANGED), "admin.index")
        status = 400 if form.is_submitted() else 200
        return self.render("hamroh/account.html", page_title=tr(T.ACCOUNT), form=form), status
