"""Every place where Hamroh relies on a library's internals, each written for one release of it.

- `bot.compat.rasa`: Rasa's action-response check without re-checking its schema every turn.
- `bot.compat.flask_admin`: Flask-Admin's `update_model` in an order that keeps a refused form.
- `bot.compat.aiogram`: closing aiogram's private HTTP session in the loop that opened it.

Each refuses to run on another release of its library (UpstreamVersionError names
the file to check), so an upgrade fails loudly at start-up instead of quietly
later. `tests/bot/compat/` checks that WRITTEN_FOR matches constraints.txt.
"""

from __future__ import annotations

from importlib.metadata import version

WRITTEN_FOR = {"rasa": "3.6.21", "Flask-Admin": "2.1.0", "aiogram": "2.15"}
"""The release of each library whose internals the modules here were written against."""


class UpstreamVersionError(RuntimeError):
    """A library is installed in a release that a patch here was not written for."""


def installed_version(distribution: str) -> str:
    """The installed release of a distribution."""
    return version(distribution)


def require(distribution: str, module: str) -> None:
    """Raises UpstreamVersionError unless the installed release is the one `module` was written for."""
    written_for, installed = WRITTEN_FOR[distribution], installed_version(distribution)
    if installed != written_for:
        raise UpstreamVersionError(
            f"{module} relies on {distribution} {written_for} internals, but {distribution} {installed} is "
            f"installed. Check {module.replace('.', '/')}.py against {installed}, then update "
            f"bot.compat.WRITTEN_FOR (or install {distribution}=={written_for}: `make install`).")
