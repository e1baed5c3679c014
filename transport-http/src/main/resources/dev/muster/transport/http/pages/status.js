// The operators' status page: queue and work in progress by type, jobs decided per hour, workers by
// tier and state, where the pool is short and the latest rejections; refreshed by itself.
"use strict";
(function () {
  var STORAGE = "muster.adminKey";
  var form = document.getElementById("key-form");
  var dashboard = document.getElementById("dashboard");

  function key() {
    return sessionStorage.getItem(STORAGE);
  }

  function needs(r) {
    var parts = [];
    if (r.cores) {
      parts.push(r.cores + (r.cores === 1 ? " core" : " cores"));
    }
    if (r.memoryMb) {
      parts.push(r.memoryMb + " MiB");
    }
    if (r.gpu) {
      parts.push("GPU");
    }
    (r.labels || []).forEach(function (l) { parts.push(l); });
    return parts.length ? parts.join(", ") : "anything";
  }

  // The last 24 hours, oldest first, as ISO instants on the hour (what the API names hours by).
  function lastHours(at) {
    var end = Math.floor(Date.parse(at) / 3600000) * 3600000;
    var out = [];
    for (var i = 23; i >= 0; i--) {
      out.push(new Date(end - i * 3600000).toISOString().replace(".000Z", "Z"));
    }
    return out;
  }

  // Workers grouped by tier and state; the API's groups also split by exact capabilities.
  function tiers(groups) {
    var byKey = {};
    groups.forEach(function (g) {
      var k = g.tier + "\u0000" + g.state;
      var t = byKey[k] || (byKey[k] = { tier: g.tier, state: g.state, workers: 0, cores: 0, leases: 0, capacity: 0,
        lastContact: null });
      t.workers += g.workers;
      t.cores += g.workers * g.capabilities.cores;
      t.leases += g.leases;
      t.capacity += g.capacity;
      if (!t.lastContact || g.lastContact > t.lastContact) {
        t.lastContact = g.lastContact;
      }
    });
    return Object.keys(byKey).sort().map(function (k) { return byKey[k]; });
  }

  function show(s) {
    var sum = function (rows, field) { return rows.reduce(function (n, r) { return n + r[field]; }, 0); };
    Muster.setText("workers-active", s.summary.workers.ACTIVE || 0);
    Muster.setText("jobs-queued", s.summary.jobs.QUEUED || 0);
    Muster.setText("jobs-running", s.summary.jobs.RUNNING || 0);
    Muster.setText("jobs-awaiting", sum(s.openJobs, "awaitingAgreement"));
    Muster.setText("leases-active", s.summary.activeLeases);
    Muster.setText("jobs-unmet", sum(s.unmet, "queued"));
    Muster.fillTable("types", s.openJobs, function (o) {
      return [o.type, needs(o.requirements), o.queued, o.running, o.awaitingAgreement, Muster.ago(o.oldestQueued)];
    }, "No unfinished jobs.");
    var hours = lastHours(s.at);
    var byHour = {};
    s.lastDay.forEach(function (h) { byHour[h.hour] = h; });
    Muster.barChart("hours-chart", hours.map(function (h) { return h.slice(11, 16); }), [
      { name: "accepted", className: "accepted", values: hours.map(function (h) { return byHour[h] ? byHour[h].accepted : 0; }) },
      { name: "failed", className: "failed", values: hours.map(function (h) { return byHour[h] ? byHour[h].failed : 0; }) }
    ], 6);
    Muster.fillTable("tiers", tiers(s.workers), function (t) {
      var load = t.capacity ? Math.round(100 * t.leases / t.capacity) + "%" : "–";
      return [t.tier, t.state, t.workers, t.cores, t.leases, load, Muster.ago(t.lastContact)];
    }, "No workers registered.");
    Muster.fillTable("unmet", s.unmet, function (o) {
      return [o.type, needs(o.requirements), o.queued, Muster.ago(o.oldestQueued)];
    }, "Every queued job has an active worker that can take it.");
    Muster.fillTable("rejections", s.latestRejections, function (r) {
      return [Muster.ago(r.at), r.worker.slice(0, 12) + "…", r.jobId || "–", r.reason, r.detail];
    }, "No rejections.");
  }

  function refresh() {
    if (!key()) {
      return Promise.resolve(false);
    }
    return Muster.getJson("/v1/admin/status", key()).then(function (s) {
      form.hidden = true;
      dashboard.hidden = false;
      show(s);
      document.body.setAttribute("data-loaded", s.at);
      return true;
    }, function (err) {
      if (err.status === 401 || err.status === 403) {
        sessionStorage.removeItem(STORAGE);
        form.hidden = false;
        dashboard.hidden = true;
      }
      throw err;
    });
  }

  var run = Muster.refreshing(refresh, 5000);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(STORAGE, document.getElementById("admin-key").value);
    document.getElementById("admin-key").value = "";
    run();
  });
  document.getElementById("forget-key").addEventListener("click", function () {
    sessionStorage.removeItem(STORAGE);
    form.hidden = false;
    dashboard.hidden = true;
  });
})();
