"""The parameters of a view: the key of the view cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Level", "Vertices", "ViewSpec"]

Level = Literal["individual", "household"]
Vertices = Literal["active", "met", "all"]


@dataclass(frozen=True)
class ViewSpec:
    """The parameters of a view (hashable: the key of the view cache).

    Days are day numbers (see :func:`~genera_graph.temporal.day_number`). ``mode`` is
    ``"window"`` (``[start, end)``, ``start`` may be ``None``) or ``"at"`` (``t``).
    """

    mode: Literal["window", "at"]
    start: int | None = None
    end: int | None = None
    t: int | None = None
    horizon_days: float | None = None
    half_life_days: float | None = None
    programme: tuple[int, ...] | None = None
    community_point: tuple[int, ...] | None = None
    actor_kind: tuple[int, ...] | None = None
    nature: tuple[int, ...] | None = None
    level: Level = "individual"
    directed: bool = False
    include_coparticipation: bool = False
    coparticipation_weighting: str = "count"
    vertices: Vertices = "active"

    @property
    def last_day(self) -> int | None:
        """The last day the view covers (``end - 1`` for a window, ``t`` for ``at``)."""
        return self.t if self.mode == "at" else self.end - 1  # type: ignore[operator]
