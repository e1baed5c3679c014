// The public leaderboard page: pool totals and the owners' and workers' credit, refreshed by itself.
// Everything comes from this coordinator's public API; names are written as text, never as HTML.
"use strict";
(function () {
  var windowParam = "";
  // Answers to an older refresh (another window, say) are dropped when a newer one has started.
  var generation = 0;
  var number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

  function getJson(path) {
    return fetch(path, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error(path + " answered " + r.status);
      }
      return r.json();
    });
  }

  function sum(counts, keys) {
    return keys.reduce(function (total, k) { return total + (counts[k] || 0); }, 0);
  }

  function setText(id, value) {
    document.getElementById(id).textContent = number.format(value);
  }

  function fillBoard(tableId, entries) {
    var body = document.querySelector("#" + tableId + " tbody");
    body.replaceChildren();
    if (entries.length === 0) {
      var empty = document.createElement("tr");
      empty.className = "empty";
      var cell = document.createElement("td");
      cell.colSpan = 4;
      cell.textContent = "No credit in this period yet.";
      empty.appendChild(cell);
      body.appendChild(empty);
      return;
    }
    entries.forEach(function (e) {
      var row = document.createElement("tr");
      [String(e.rank), e.name, number.format(e.credit), number.format(e.results)].forEach(function (text, i) {
        var cell = document.createElement("td");
        cell.textContent = text;
        if (i >= 2) {
          cell.className = "num";
        }
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
  }

  function board(scope, mine) {
    var q = "/v1/leaderboard?scope=" + scope + "&limit=25" + (windowParam ? "&window=" + windowParam : "");
    return getJson(q).then(function (b) {
      if (mine === generation) {
        fillBoard(scope + "s", b.entries);
      }
    });
  }

  function refresh() {
    var status = document.getElementById("status");
    var mine = ++generation;
    status.className = "status";
    status.textContent = "Loading…";
    return Promise.all([
      getJson("/v1/pool").then(function (p) {
        if (mine !== generation) {
          return;
        }
        setText("workers-active", (p.workers && p.workers.ACTIVE) || 0);
        setText("jobs-accepted", (p.jobs && p.jobs.ACCEPTED) || 0);
        setText("jobs-waiting", sum(p.jobs || {}, ["QUEUED", "RUNNING"]));
        setText("leases-active", p.activeLeases || 0);
      }),
      board("owner", mine),
      board("worker", mine)
    ]).then(function () {
      if (mine === generation) {
        status.textContent = "Updated " + new Date().toLocaleTimeString() + "; refreshes every 30 s.";
        document.body.setAttribute("data-window", windowParam || "all");
      }
    }, function (err) {
      if (mine === generation) {
        status.className = "status error";
        status.textContent = "Could not load the pool: " + err.message;
      }
    });
  }

  document.querySelectorAll(".tabs button").forEach(function (button) {
    button.addEventListener("click", function () {
      document.querySelectorAll(".tabs button").forEach(function (b) {
        b.setAttribute("aria-selected", String(b === button));
      });
      windowParam = button.getAttribute("data-window");
      refresh();
    });
  });
  refresh();
  setInterval(refresh, 30000);
})();
