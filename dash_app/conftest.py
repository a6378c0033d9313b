"""pytest: the page modules register themselves with a Dash app; doctest collection must not
import them on their own (they are tested through ``tests/app``)."""

collect_ignore_glob = ["pages/*.py"]
