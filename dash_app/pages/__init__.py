"""The explorer's pages: one module per view, each registering itself with ``dash.register_page``."""
