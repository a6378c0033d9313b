/* The date pickers' calendar in the page's language (Italian: "gennaio 2019", "lun mar ...").
 *
 * Dash's DatePickerSingle formats its calendar with date-fns and takes its locale from
 * window.dateFns.locale (an object of date-fns locales by code, the browser's languages
 * choosing among them, the first one otherwise). The explorer's language is the page's own
 * (the root element's lang, set from the account's choice), not the browser's: so the
 * object holds only the page language's locale, and English is date-fns' own default.
 * The names are CLDR's (tests/app/test_static.py checks them against Babel's CLDR data).
 */
(function () {
  "use strict";

  var IT = {
    months: {
      wide: ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
             "agosto", "settembre", "ottobre", "novembre", "dicembre"],
      abbreviated: ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott",
                    "nov", "dic"],
      narrow: ["G", "F", "M", "A", "M", "G", "L", "A", "S", "O", "N", "D"]
    },
    // Sunday first, as date-fns counts the days of the week
    days: {
      wide: ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"],
      abbreviated: ["dom", "lun", "mar", "mer", "gio", "ven", "sab"],
      short: ["dom", "lun", "mar", "mer", "gio", "ven", "sab"],
      narrow: ["D", "L", "M", "M", "G", "V", "S"]
    }
  };

  function pick(table, index, options) {
    var width = (options && options.width) || "wide";
    var names = table[width] || table.wide;
    return names[index];
  }

  function fixed(value) { return function () { return value; }; }

  // a date-fns locale: what its format() and parse() read (localize, formatLong, match,
  // options); the picker writes and reads dates as dd/mm/yyyy, numbers only
  var italian = {
    code: "it",
    localize: {
      ordinalNumber: function (n) { return String(n) + "º"; },
      era: function (e) { return e ? "d.C." : "a.C."; },
      quarter: function (q) { return "T" + q; },
      month: function (m, o) { return pick(IT.months, m, o); },
      day: function (d, o) { return pick(IT.days, d, o); },
      dayPeriod: function (p) { return p === "pm" ? "PM" : "AM"; }
    },
    formatLong: {
      date: fixed("dd/MM/y"),
      time: fixed("HH:mm"),
      dateTime: fixed("{{date}} {{time}}")
    },
    formatDistance: function (token, count) { return String(count); },
    formatRelative: fixed("P"),
    match: {
      ordinalNumber: function () { return null; },
      era: function () { return null; },
      quarter: function () { return null; },
      month: function () { return null; },
      day: function () { return null; },
      dayPeriod: function () { return null; }
    },
    options: { weekStartsOn: 1, firstWeekContainsDate: 4 }
  };

  function pageLanguage() {
    var el = document.querySelector("#react-entry-point [lang]") ||
      document.documentElement;
    return ((el && el.getAttribute("lang")) || "it").slice(0, 2);
  }

  window.dateFns = window.dateFns || {};
  Object.defineProperty(window.dateFns, "locale", {
    configurable: true,
    get: function () { return pageLanguage() === "it" ? { it: italian } : {}; }
  });
  window.generaDateNames = IT;
}());
