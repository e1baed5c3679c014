// The public leaderboard page: pool totals and the owners' and workers' credit, refreshed by itself.
"use strict";
(function () {
  var windowParam = "";
  // Answers to an older refresh (another window, say) are dropped when a newer one has started.
  var generation = 0;

  function sum(counts, keys) {
    return keys.reduce(function (total, k) { return total + (counts[k] || 0); }, 0);
  }

  function board(scope, mine) {
    var q = "/v1/leaderboard?scope=" + scope + "&limit=25" + (windowParam ? "&window=" + windowParam : "");
    return Muster.getJson(q).then(function (b) {
      if (mine !== generation) {
        return;
      }
      Muster.fillTable(scope + "s", b.entries, function (e) {
        var name = scope === "owner" ? { text: e.name, href: "/owner?name=" + encodeURIComponent(e.name) } : e.name;
        return [String(e.rank), name, e.credit, e.results];
      }, "No credit in this period yet.");
    });
  }

  function refresh() {
    var mine = ++generation;
    return Promise.all([
      Muster.getJson("/v1/pool").then(function (p) {
        if (mine !== generation) {
          return;
        }
        Muster.setText("workers-active", (p.workers && p.workers.ACTIVE) || 0);
        Muster.setText("jobs-accepted", (p.jobs && p.jobs.ACCEPTED) || 0);
        Muster.setText("jobs-waiting", sum(p.jobs || {}, ["QUEUED", "RUNNING"]));
        Muster.setText("leases-active", p.activeLeases || 0);
      }),
      board("owner", mine),
      board("worker", mine)
    ]).then(function () {
      if (mine !== generation) {
        return false;
      }
      document.body.setAttribute("data-window", windowParam || "all");
      return true;
    });
  }

  var run = Muster.refreshing(refresh, 30000);
  document.querySelectorAll(".tabs button").forEach(function (button) {
    button.addEventListener("click", function () {
      document.querySelectorAll(".tabs button").forEach(function (b) {
        b.setAttribute("aria-selected", String(b === button));
      });
      windowParam = button.getAttribute("data-window");
      run();
    });
  });
})();
