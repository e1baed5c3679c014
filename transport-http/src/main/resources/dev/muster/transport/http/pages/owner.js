// A contributor's public page: its credit all time and per day, and its workers; refreshed by itself.
"use strict";
(function () {
  var name = new URLSearchParams(location.search).get("name") || "";
  var DAYS = 30;

  // The last DAYS UTC days, oldest first, as YYYY-MM-DD.
  function lastDays() {
    var out = [];
    var today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    for (var i = DAYS - 1; i >= 0; i--) {
      out.push(new Date(today - i * 86400000).toISOString().slice(0, 10));
    }
    return out;
  }

  function refresh() {
    if (!name) {
      return Promise.reject(new Error("no owner named: open this page from the leaderboard"));
    }
    var path = "/v1/owners?name=" + encodeURIComponent(name);
    return Muster.getJson(path).then(function (p) {
      document.title = "Muster pool: " + p.name;
      Muster.setText("owner-name", p.name);
      Muster.setText("owner-credit", p.credit);
      Muster.setText("owner-results", p.results);
      Muster.setText("owner-workers", p.workers.length + (p.moreWorkers ? "+" : ""));
      Muster.setText("owner-active", p.workers.filter(function (w) { return w.active; }).length
        + (p.moreWorkers ? "+" : ""));
      var days = lastDays();
      var byDay = {};
      p.days.forEach(function (d) { byDay[d.day] = d.credit; });
      Muster.barChart("days-chart", days.map(function (d) { return d.slice(5); }),
        [{ name: "credit", className: "accepted", values: days.map(function (d) { return byDay[d] || 0; }) }], 7);
      Muster.fillTable("owner-worker-table", p.workers, function (w) {
        return [w.id.slice(0, 12) + "…", w.active ? "yes" : "no", w.tier, w.cores, Muster.hourOf(w.lastContact),
          w.credit, w.results];
      }, "No workers registered under this name.");
    });
  }

  Muster.refreshing(refresh, 30000);
})();
