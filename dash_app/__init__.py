"""The explorer: a Dash app for the programme's coordinators and facilitators.

``create_app(source, viewer=Viewer(...))`` builds it; ``genera serve`` runs it on 127.0.0.1.
"""

from dash_app.app import create_app
from dash_app.data import DataAccess, Viewer

__all__ = ["DataAccess", "Viewer", "create_app"]
