"""The coverage page: for every topic × city × citizenship, whether the bot gives a person a contact; holes marked."""

from __future__ import annotations

from typing import Dict, List

from flask_admin import BaseView, expose
from sqlalchemy import select

from bot.admin import reasons as R
from bot.admin import texts as T
from bot.admin.errors import WorkflowError
from bot.admin.i18n import tr
from bot.admin.names import topic_name
from bot.admin.pages import Guarded, db, refused
from bot.content.coverage import Cell, coverage
from bot.content.models import Organisation
from bot.registry import CITIES, COUNTRIES, ROUTABLE_TOPICS


class CoverageView(Guarded, BaseView):
    """Topics × citizenships (how many cities get a contact); a topic's page shows cities × citizenships with the
    organisations the bot lists there."""

    @expose("/")
    def index(self):
        result = coverage(db())
        rows = []
        for topic in ROUTABLE_TOPICS:
            cells = {}
            for country in COUNTRIES:
                mine = [c for c in result.cells if c.topic == topic and c.country == country]
                cells[country] = {"listed": sum(1 for c in mine if c.organisations),
                                  "reachable": sum(1 for c in mine if c.reachable), "total": len(mine)}
            rows.append({"topic": topic, "cells": cells, "share": result.share(topic=topic),
                         "reachable_share": result.share(reachable=True, topic=topic)})
        return self.render("hamroh/coverage.html", page_title=tr(T.COVERAGE), rows=rows, countries=COUNTRIES,
                           listed_share=result.share(), reachable_share=result.share(reachable=True))

    @expose("/<topic>/")
    def topic(self, topic: str):
        if topic not in ROUTABLE_TOPICS:
            return refused(WorkflowError(R.UNKNOWN_TOPIC, topic=topic[:64]), 404)
        result = coverage(db())
        organisation_names = {o.key: o.name for o in db().execute(select(Organisation)).scalars()}
        grid: Dict[str, Dict[str, Cell]] = {}
        for cell in result.cells:
            if cell.topic == topic:
                grid.setdefault(cell.city, {})[cell.country] = cell
        holes: List[Cell] = [c for row in grid.values() for c in row.values() if not c.reachable]
        return self.render("hamroh/coverage_topic.html", page_title=f"{tr(T.COVERAGE)}: {topic_name(topic)}",
                           topic=topic, grid=grid, cities=CITIES, countries=COUNTRIES, names_of=organisation_names, holes=len(holes),
                           share=result.share(topic=topic), reachable_share=result.share(reachable=True, topic=topic))
