"""The family page's suggested introductions: in the viewer's scope, named only where visible,
read-only (issue 13)."""

from __future__ import annotations

import datetime as dt

from dash_app.data import DataAccess, Viewer

DAY = dt.date(2019, 1, 31)


def _texts(component) -> list[str]:
    """Every string in a Dash component tree (children and link targets)."""
    out: list[str] = []
    if component is None:
        return out
    if isinstance(component, str | int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        for c in component:
            out += _texts(c)
        return out
    href = getattr(component, "href", None)
    if href:
        out.append(str(href))
    return out + _texts(getattr(component, "children", None))


def test_a_facilitator_never_sees_another_points_family_in_a_suggestion(app, district):
    from dash_app.pages.actor import introductions_block

    coordinator = DataAccess(district, Viewer())
    facilitator = DataAccess(district, Viewer(role="facilitator", community_point_id="CP01"))
    actors = coordinator.actors
    other = actors[(actors["community_point_id"] == "CP02")
                   & actors["kind"].isin(["household", "individual"])]
    hidden = {*other.index, *other["name"]}
    seen_hidden_by_coordinator = False
    for family in ("H01", "H02", "H03"):
        table, reasons = facilitator.suggested_introductions(DAY, family)
        assert set(table["candidate_id"]) <= set(facilitator.actors.index)
        assert not set(reasons["via_id"].dropna()) & hidden
        words = " ".join(_texts(introductions_block(facilitator, family, "it")))
        assert not any(h in words for h in hidden), family
        full = " ".join(_texts(introductions_block(coordinator, family, "it")))
        seen_hidden_by_coordinator |= any(h in full for h in hidden)
    # the test means something: the coordinator's suggestions do reach the other point
    assert seen_hidden_by_coordinator


def test_the_block_lists_reasons_in_words_and_acts_on_nothing(app, district):
    from dash_app.pages.actor import introductions_block

    access = DataAccess(district, Viewer())
    events = access.district_temporal().n_events
    family = next(h for h in ("H01", "H02", "H03", "H04", "H05", "H06")
                  if not access.suggested_introductions(DAY, h)[0].empty)
    words = " ".join(_texts(introductions_block(access, family, "en")))
    assert "Nothing happens by itself" in words and "31/01/2019" in words
    table, _ = access.suggested_introductions(DAY, family)
    assert set(table["status"]) == {"suggested"}
    assert all(f"/actor/{c}" in words for c in table["candidate_id"])
    assert access.district_temporal().n_events == events
