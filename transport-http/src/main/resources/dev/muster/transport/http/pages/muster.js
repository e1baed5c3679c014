// What Muster's pages share: reading this coordinator's API, writing numbers and tables, and
// drawing bar charts as SVG. Everything is written as text or SVG nodes, never as HTML.
"use strict";
var Muster = (function () {
  var SVG = "http://www.w3.org/2000/svg";
  var number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

  function getJson(path, key) {
    var headers = { Accept: "application/json" };
    if (key) {
      headers.Authorization = "Bearer " + key;
    }
    return fetch(path, { headers: headers }).then(function (r) {
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (problem) {
          var error = new Error(problem.detail || (path + " answered " + r.status));
          error.status = r.status;
          throw error;
        });
      }
      return r.json();
    });
  }

  function format(value) {
    return number.format(value);
  }

  function setText(id, value) {
    document.getElementById(id).textContent = typeof value === "number" ? format(value) : value;
  }

  // "12 s ago", "5 min ago", "3 h ago", "2 d ago": when a thing last happened, relative to now.
  function ago(iso) {
    if (!iso) {
      return "–";
    }
    var seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 120) {
      return seconds + " s ago";
    }
    if (seconds < 7200) {
      return Math.round(seconds / 60) + " min ago";
    }
    if (seconds < 172800) {
      return Math.round(seconds / 3600) + " h ago";
    }
    return Math.round(seconds / 86400) + " d ago";
  }

  // "this hour", "3 h ago", "2 d ago": for times the API gives to the hour only.
  function hourOf(iso) {
    if (!iso) {
      return "–";
    }
    var hours = Math.floor((Date.now() - Date.parse(iso)) / 3600000);
    return hours < 1 ? "this hour" : hours < 48 ? hours + " h ago" : Math.floor(hours / 24) + " d ago";
  }

  // Fills a table's body with one row per item; a cell is text, or {text, num, href}.
  function fillTable(tableId, items, cells, emptyText) {
    var body = document.querySelector("#" + tableId + " tbody");
    var columns = document.querySelectorAll("#" + tableId + " thead th").length;
    body.replaceChildren();
    if (items.length === 0) {
      var empty = document.createElement("tr");
      empty.className = "empty";
      var cell = document.createElement("td");
      cell.colSpan = columns;
      cell.textContent = emptyText;
      empty.appendChild(cell);
      body.appendChild(empty);
      return;
    }
    items.forEach(function (item, index) {
      var row = document.createElement("tr");
      cells(item, index).forEach(function (c) {
        var spec = typeof c === "object" && c !== null ? c : { text: c };
        var td = document.createElement("td");
        var text = typeof spec.text === "number" ? format(spec.text) : String(spec.text);
        if (spec.href) {
          var a = document.createElement("a");
          a.href = spec.href;
          a.textContent = text;
          td.appendChild(a);
        } else {
          td.textContent = text;
        }
        if (spec.num || typeof spec.text === "number") {
          td.className = "num";
        }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
  }

  function svg(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    return node;
  }

  // Draws stacked bars: one slot per label, one stacked part per series ({name, className, values}).
  // Every bar has a <title>, so a pointer or a screen reader can read the figures.
  function barChart(containerId, labels, series, everyNthLabel) {
    var width = 720, height = 220, left = 44, bottom = 24, top = 10;
    var slot = (width - left) / Math.max(1, labels.length);
    var totals = labels.map(function (_, i) {
      return series.reduce(function (sum, s) { return sum + (s.values[i] || 0); }, 0);
    });
    var max = Math.max(1, Math.max.apply(null, totals));
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", class: "chart" });
    var scale = (height - bottom - top) / max;
    chart.appendChild(svg("line", { x1: left, x2: width, y1: height - bottom, y2: height - bottom, class: "axis" }));
    [0, max].forEach(function (v) {
      var t = svg("text", { x: left - 6, y: height - bottom - v * scale + 4, "text-anchor": "end", class: "tick" });
      t.textContent = format(v);
      chart.appendChild(t);
    });
    var bars = 0;
    labels.forEach(function (label, i) {
      var y = height - bottom;
      series.forEach(function (s) {
        var v = s.values[i] || 0;
        if (v > 0) {
          var h = Math.max(1, v * scale);
          y -= h;
          var bar = svg("rect", { x: left + i * slot + 1, y: y, width: Math.max(1, slot - 2), height: h,
            class: "bar " + s.className });
          var title = svg("title", {});
          title.textContent = label + ": " + format(v) + " " + s.name;
          bar.appendChild(title);
          chart.appendChild(bar);
          bars++;
        }
      });
      if (i % everyNthLabel === 0) {
        var t = svg("text", { x: left + i * slot + slot / 2, y: height - 6, "text-anchor": "middle", class: "tick" });
        t.textContent = label;
        chart.appendChild(t);
      }
    });
    var container = document.getElementById(containerId);
    container.replaceChildren(chart);
    container.setAttribute("data-bars", String(bars));
    var legend = document.createElement("p");
    legend.className = "legend";
    series.forEach(function (s) {
      var key = document.createElement("span");
      key.className = "key " + s.className;
      key.textContent = s.name;
      legend.appendChild(key);
    });
    container.appendChild(legend);
  }

  // Runs refresh now and every periodMillis, showing when it last worked or why it did not.
  function refreshing(refresh, periodMillis) {
    var status = document.getElementById("status");
    function run() {
      return refresh().then(function (done) {
        if (done !== false) {
          status.className = "status";
          status.textContent = "Updated " + new Date().toLocaleTimeString() + "; refreshes every "
            + (periodMillis / 1000) + " s.";
        }
      }, function (err) {
        status.className = "status error";
        status.textContent = "Could not load: " + err.message;
      });
    }
    run();
    setInterval(run, periodMillis);
    return run;
  }

  return { getJson: getJson, format: format, setText: setText, ago: ago, hourOf: hourOf, fillTable: fillTable,
    barChart: barChart, refreshing: refreshing };
})();
