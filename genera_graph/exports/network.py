"""A view of the temporal graph as the tidy node and edge tables the file writers take.

:func:`view_tables` joins a :class:`~genera_graph.temporal.View` with the actors' register
(display names, dates met and left) and, for dynamic formats, lists the events behind each tie:
one row per interaction (a timestamp) and one per relation (a spell from its start to its end).

Examples
--------
>>> from genera_graph.temporal import TemporalGraph
>>> from genera_graph.temporal.testing import toy_dataset
>>> ds = toy_dataset()
>>> view = TemporalGraph.from_dataset(ds).cumulative("2016-12-31")
>>> nodes, edges = view_tables(view, ds.actors)
>>> list(nodes.columns[:3])
['id', 'label', 'kind']
>>> set(edges["id"]) == {f"t{i}" for i in range(len(view.edges))}
True
>>> len(view_tables(view, ds.actors, dynamic=False)[1]) == len(view.edges)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from genera_graph.temporal import View

__all__ = ["view_tables"]


def view_tables(view: View, actors: pd.DataFrame, *, dynamic: bool = True
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables of a view.

    Parameters
    ----------
    view : View
        Any view (window, at, cumulative; any filters and level).
    actors : DataFrame
        The actors table of the dataset (``actor_id``, ``name``, ``first_met``, ``left_on``...).
    dynamic : bool
        ``True``: one edge row per event behind the tie (``date`` for an interaction; ``start``
        and ``end`` for a relation) so that GEXF spells and timelines can be written; ties that
        exist only by co-participation get one row without time. ``False``: one row per tie.

    Returns
    -------
    nodes : DataFrame
        ``id``, ``label`` (the display name: personal data), ``kind``,
        ``community_point_id``, ``start`` (first met), ``end`` (left, if it did).
    edges : DataFrame
        ``id`` (one per tie), ``source``, ``target``, ``nature`` (the tie's majority nature),
        ``n_peer``, ``n_professional``, ``n_institutional`` and, static, ``weight``; dynamic,
        ``date`` or ``start``/``end`` per event.
    """
    info = actors.set_index("actor_id")
    vertices = view.vertices
    ids = vertices["actor_id"].astype(str)
    names = (info["name"].reindex(ids).to_numpy() if "name" in info
             else np.full(len(ids), None, object))
    nodes = pd.DataFrame({
        "id": ids.to_numpy(),
        "label": np.where(pd.isna(names), ids.to_numpy(), names),
        "kind": vertices["kind"].to_numpy(),
        "community_point_id": vertices["community_point_id"].to_numpy(),
        "start": pd.to_datetime(info["first_met"].reindex(ids)).to_numpy(),
        "end": pd.to_datetime(info["left_on"].reindex(ids)).to_numpy()
        if "left_on" in info else pd.NaT,
    })
    ties = view.edges.reset_index(drop=True)
    ties.insert(0, "id", [f"t{i}" for i in range(len(ties))])
    static_cols = ["id", "source", "target", "nature", "n_peer", "n_professional",
                   "n_institutional"]
    if not dynamic:
        return nodes, ties[[*static_cols, "weight"]]

    events = view.tie_events()
    key = _pair_key(ties["source"], ties["target"], view.spec.directed)
    tie_of = pd.Series(ties["id"].to_numpy(), index=key)
    ev_key = _pair_key(events["source"], events["target"], view.spec.directed)
    events["id"] = tie_of.reindex(ev_key).to_numpy()
    events = events.dropna(subset=["id"])
    attrs = ties[static_cols].set_index("id")
    interval = events["event_kind"] == "relation"
    rows = []
    moments = events[~interval]
    rows.append(pd.DataFrame({"id": moments["id"].to_numpy(), "date": moments["start"]
                              .to_numpy()}))
    spells = events[interval]
    rows.append(pd.DataFrame({"id": spells["id"].to_numpy(),
                              "start": spells["start"].to_numpy(),
                              "end": spells["end"].to_numpy()}))
    timeless = ties.loc[~ties["id"].isin(events["id"]), ["id"]]  # co-participation only
    rows.append(timeless)
    edges = pd.concat(rows, ignore_index=True)
    edges = attrs.reset_index().merge(edges, on="id", how="right")
    for col in ("date", "start", "end"):
        if col not in edges:
            edges[col] = pd.NaT
        edges[col] = pd.to_datetime(edges[col]).astype("datetime64[ns]")
    order = np.argsort(edges["id"].str[1:].astype(int).to_numpy(), kind="stable")
    return nodes, edges.iloc[order].reset_index(drop=True)


def _pair_key(source: pd.Series, target: pd.Series, directed: bool) -> pd.Index:
    s, t = source.astype(str).to_numpy(), target.astype(str).to_numpy()
    if not directed:
        s, t = np.minimum(s, t), np.maximum(s, t)
    return pd.Index([f"{a}\x1f{b}" for a, b in zip(s, t, strict=True)])
