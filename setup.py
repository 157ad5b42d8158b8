"""Builds Hamroh with its gettext catalogs compiled: a clean clone holds only the .po sources.

Everything else is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    """build_py that also compiles bot/locales/*/LC_MESSAGES/*.po into .mo files in the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the catalogs `make i18n-compile` writes in place
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path("bot/locales").glob("*/LC_MESSAGES/*.po")):
            mo = Path(self.build_lib) / po.with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, mo.open("wb") as target:
                write_mo(target, read_po(source), use_fuzzy=True)  # as `pybabel compile --use-fuzzy` in the Makefile


setup(cmdclass={"build_py": BuildWithCatalogs})
