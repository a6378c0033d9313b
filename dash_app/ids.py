"""Component ids of the explorer, in one place: a typo is a ``NameError``, not a dead callback.

Ids are prefixed by their page so that two pages never share one.
"""

from __future__ import annotations

__all__ = [name for name in dir() if name.isupper()]  # refreshed at the end of the module

# --- shell (header, language) ---
LANG = "lang-store"
LANG_SWITCH = "lang-switch"
NAV = "nav"
I18N = "i18n"
SHARED = "shared-state"  # the period and filters kept across pages (dash_app/state.py)
MONTHS = "months-store"  # the programme's month starts, ISO (for the clientside state)
NAV_TOGGLE = "nav-toggle"
NAV_COLLAPSE = "nav-collapse"
PAGES_LOCATION = "_pages_location"  # Dash pages' own location component  # type of the pattern-matching ids of translated static text

# --- overview ---
OV_GROUP = "ov-group"
OV_STATUS = "ov-status"
OV_KPIS = "ov-kpis"
OV_GROWTH = "ov-growth"
OV_PEER = "ov-peer"
OV_GRID = "ov-grid"
OV_DOWNLOAD_BTN = "ov-download-btn"
OV_DOWNLOAD = "ov-download"

# --- map ---
MAP_RANGE = "map-range"
MAP_RANGE_LABEL = "map-range-label"
MAP_PROGRAMME = "map-programme"
MAP_CP = "map-cp"
MAP_KIND = "map-kind"
MAP_NATURE = "map-nature"
MAP_COLOUR = "map-colour"
MAP_SIZE = "map-size"
MAP_SEARCH = "map-search"
MAP_GRAPH = "map-graph"
MAP_STATS = "map-stats"
MAP_LEGEND = "map-legend"
MAP_PANEL = "map-panel"
MAP_SELECTED = "map-selected"
MAP_TAPPED = "map-tapped"
MAP_DOWNLOAD_BTN = "map-download-btn"
MAP_DOWNLOAD = "map-download"
MAP_PLAY = "map-play"
MAP_LABELLED = "map-labelled"
MAP_ELEMENTS = "map-elements"
MAP_PLAY_TIMER = "map-play-timer"
MAP_PNG = "map-png"
MAP_PNG_DONE = "map-png-done"
MAP_TABLES = "map-tables"
MAP_WINDOW = "map-window"
MAP_PANEL_KEY = "map-panel-key"

# --- isolation worklist ---
ISO_AS_OF = "iso-as-of"
ISO_MODE = "iso-mode"
ISO_CP = "iso-cp"
ISO_FACILITATOR = "iso-facilitator"
ISO_GRID = "iso-grid"
ISO_STATUS = "iso-status"
ISO_COUNT = "iso-count"
ISO_PURGE = "iso-purge"
ISO_LIST_COUNT = "iso-list-count"
ISO_DETAILS = "iso-details"
ISO_INTRO = "iso-intro"
ISO_LIST = "iso-list"
ISO_DOWNLOAD_BTN = "iso-download-btn"
ISO_DOWNLOAD = "iso-download"

# --- bridges ---
BR_RANGE = "br-range"
BR_GROUPS = "br-groups"
BR_GRID = "br-grid"
BR_BROKERAGE = "br-brokerage"
BR_ACTOR = "br-actor"
BR_WHATIF = "br-whatif"
BR_STATUS = "br-status"
BR_CUT = "br-cut"
BR_DOWNLOAD_BTN = "br-download-btn"
BR_DOWNLOAD = "br-download"

# --- actor page ---
ACT_EGO = "act-ego"
ACT_PARTNERS = "act-partners"
ACT_RANGE = "act-range"
ACT_NATURE = "act-nature"
ACT_REASONS = "act-reasons"
ACT_INTRODUCTIONS = "act-introductions"
# marking a suggested introduction (dash_app.introductions), on a family's page or the worklist
INTRO_ACTOR = "intro-actor"
INTRO_CANDIDATE = "intro-candidate"
INTRO_STATUS = "intro-status"
INTRO_DATE = "intro-date"
INTRO_DECLINE = "intro-decline"
INTRO_SAVE = "intro-save"
INTRO_MESSAGE = "intro-message"
INTRO_RECORDED = "intro-recorded"
# the introductions' outcomes page (pages/introductions)
INTRO_BY = "intro-page-by"
INTRO_PERIOD = "intro-page-period"
INTRO_GRID = "intro-page-grid"
INTRO_CHART = "intro-page-chart"
INTRO_SUMMARY = "intro-page-summary"
ACT_ID = "act-id"
ACT_TIMELINE = "act-timeline"
ACT_DOWNLOAD_BTN = "act-download-btn"
ACT_DOWNLOAD = "act-download"

# --- communities ---
COM_RANGE = "com-range"
COM_GRID = "com-grid"
COM_HISTORY = "com-history"
COM_SUMMARY = "com-summary"
COM_STATUS = "com-status"
COM_DOWNLOAD_BTN = "com-download-btn"
COM_DOWNLOAD = "com-download"

# --- report ---
REP_PERIOD = "rep-period"
REP_GRID = "rep-grid"
REP_STATUS = "rep-status"
REP_DOWNLOAD_BTN = "rep-download-btn"
REP_DOWNLOAD = "rep-download"
REP_XLSX_BTN = "rep-xlsx-btn"
REP_XLSX = "rep-xlsx"
REP_PRINT = "rep-print"
REP_PDF_BTN = "rep-pdf-btn"
#: a ``*-download`` id: the sign-in layer audits it as a download (dash_app.auth)
REP_PDF = "rep-pdf-download"

__all__ = sorted(name for name in dir() if name.isupper())
