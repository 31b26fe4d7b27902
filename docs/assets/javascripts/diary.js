/* My progress diary (issue #17). Builds the diary in place of the page's
 * #diary-app paragraph (the text shown without JavaScript). Entries are kept
 * in this browser's localStorage under KEY and never sent anywhere: no
 * request, no cookie. Storage format (also the JSON export):
 *   {"format": "massage-for-sciatica-diary", "version": 1, "entries": [
 *     {"date": "2026-11-29", "leg": 6, "back": 3,
 *      "activities": [{"name": "Walk to the shop", "score": 4}],
 *      "massage": true, "exercise": false, "numbness": false, "notes": ""}]}
 * One entry per date (saving a date again replaces it), sorted by date. */
(function () {
  "use strict";
  var KEY = "massage-for-sciatica.diary";
  var FORMAT = "massage-for-sciatica-diary";
  var mount = document.getElementById("diary-app");
  var script = document.currentScript || document.querySelector("script[data-red-flags]");
  if (!mount || !script) return;
  var RED_FLAGS = script.dataset.redFlags;
  var CHANGE = script.dataset.change;
  // The course rule's number of sessions, when the rule's snippet carries one
  var ruleEl = document.querySelector(".md-content [data-sessions]");
  var RULE_SESSIONS = ruleEl ? parseInt(ruleEl.getAttribute("data-sessions"), 10) || 0 : 0;

  /* --- small helpers ------------------------------------------------------ */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") el.textContent = attrs[k];
      else if (k === "class") el.className = attrs[k];
      else if (attrs[k] === true) el.setAttribute(k, "");
      else if (attrs[k] != null && attrs[k] !== false) el.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null) el.append(c);
    }
    return el;
  }
  function svg(tag, attrs) {
    var el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    return el;
  }
  function day(iso) { // days since 1970 for "YYYY-MM-DD"
    var p = iso.split("-");
    return Date.UTC(+p[0], p[1] - 1, +p[2]) / 864e5;
  }
  function iso(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
  }
  function nice(isoDate, long) {
    return new Date(day(isoDate) * 864e5).toLocaleDateString("en-GB", {
      weekday: long ? "long" : "short", day: "numeric", month: long ? "long" : "short",
      year: "numeric", timeZone: "UTC"
    });
  }
  function avg(list) {
    return list.length ? Math.round(list.reduce(function (a, b) { return a + b; }, 0) / list.length * 10) / 10 : null;
  }
  function plural(n, word, many) { return n + " " + (n === 1 ? word : many || word + "s"); }
  function entriesText(n) { return plural(n, "entry", "entries"); }

  /* --- storage --------------------------------------------------------------- */
  function load() {
    try {
      var data = JSON.parse(localStorage.getItem(KEY) || "null");
      return data && Array.isArray(data.entries) ? data.entries : [];
    } catch (e) {
      return [];
    }
  }
  function store(list) {
    list.sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
    localStorage.setItem(KEY, JSON.stringify({ format: FORMAT, version: 1, entries: list }));
  }
  function clean(e, n) { // an imported entry, checked field by field; throws a message
    var where = "entry " + n + ": ";
    function score(v, what) {
      if (v === null || v === undefined || v === "") return null;
      if (typeof v !== "number" || v !== Math.round(v) || v < 0 || v > 10)
        throw where + what + " is " + JSON.stringify(v) + ", not a whole number from 0 to 10";
      return v;
    }
    if (!e || typeof e !== "object") throw where + "not an entry";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.date) || isNaN(day(e.date))) throw where + "the date must look like 2026-11-29";
    var leg = score(e.leg, "leg pain"), back = score(e.back, "back pain");
    if (leg === null || back === null) throw where + "leg pain and back pain are needed";
    var acts = (Array.isArray(e.activities) ? e.activities : []).slice(0, 3).map(function (a, i) {
      return { name: String(a && a.name || "").slice(0, 100), score: score(a && a.score, "activity " + (i + 1)) };
    }).filter(function (a) { return a.name; });
    return { date: e.date, leg: leg, back: back, activities: acts, massage: e.massage === true,
      exercise: e.exercise === true, numbness: e.numbness === true, notes: String(e.notes || "").slice(0, 2000) };
  }

  var storageOk = true;
  try { localStorage.setItem(KEY + ".test", "1"); localStorage.removeItem(KEY + ".test"); } catch (e) { storageOk = false; }
  var entries = load();

  /* --- the form -------------------------------------------------------------- */
  function scale(name, legend, low, high) {
    var row = h("div", { class: "diary-scale__points" });
    for (var i = 0; i <= 10; i++) {
      row.append(h("label", { class: "diary-scale__point" },
        h("input", { type: "radio", name: name, value: i, required: i === 0 }), h("span", { text: i })));
    }
    return h("fieldset", { class: "diary-scale" },
      h("legend", null, h("strong", { text: legend }), " ", h("span", { text: "0 means " + low + ", 10 means " + high + "." })),
      row,
      h("div", { class: "diary-scale__ends", "aria-hidden": "true" }, h("span", { text: "0 " + low }), h("span", { text: "10 " + high })));
  }
  function check(id, text, cls) {
    return h("p", { class: "diary-check" + (cls ? " " + cls : "") }, h("input", { type: "checkbox", id: id }),
      h("label", { for: id, text: text }));
  }

  var activities = h("fieldset", { class: "diary-activities" },
    h("legend", null, h("strong", { text: "Activities (optional)" }), " ",
      h("span", { text: "How well could you do each one today? 0 means not at all, 10 means as well as before your problem." })));
  for (var a = 1; a <= 3; a++) {
    activities.append(h("div", { class: "diary-activity" },
      h("label", { for: "diary-act" + a, text: "Activity " + a }),
      h("input", { type: "text", id: "diary-act" + a, maxlength: 100, autocomplete: "off" }),
      h("label", { for: "diary-score" + a, text: "How well, 0 to 10" }),
      h("input", { type: "number", id: "diary-score" + a, min: 0, max: 10, step: 1, inputmode: "numeric" })));
  }

  var alertBox = h("div", { class: "diary-alert", role: "alert" });
  var status = h("p", { class: "diary-status", role: "status" });
  var form = h("form", { class: "diary-form", id: "diary-form", "aria-labelledby": "diary-form-title" },
    h("h3", { id: "diary-form-title", text: "Add an entry" }),
    h("p", { class: "diary-date" }, h("label", { for: "diary-date", text: "Date" }),
      h("input", { type: "date", id: "diary-date", required: true })),
    scale("leg", "Leg pain", "no pain", "the worst pain you can imagine"),
    scale("back", "Back pain", "no pain", "the worst pain you can imagine"),
    activities,
    check("diary-massage", "I had a massage today"),
    check("diary-exercise", "I did my exercises today"),
    check("diary-numbness", "I have new numbness, tingling or weakness", "diary-check--warn"),
    alertBox,
    h("p", null, h("label", { for: "diary-notes", text: "Notes (sleep, how the day went)" }),
      h("textarea", { id: "diary-notes", rows: 3, maxlength: 2000 })),
    h("p", { class: "diary-buttons" }, h("button", { type: "submit", class: "md-button md-button--primary", text: "Save" })),
    h("p", { class: "diary-status", role: "status", id: "diary-saved" }));

  function field(id) { return document.getElementById(id); }
  function button(text, onClick) {
    var b = h("button", { type: "button", class: "md-button", text: text });
    b.addEventListener("click", onClick);
    return b;
  }

  /* --- results: summary, chart, weekly table, entries table ------------------ */
  var results = h("section", { class: "diary-results", "aria-labelledby": "diary-results-title" });
  var fileInput = h("input", { type: "file", accept: ".json,application/json", hidden: true, id: "diary-file" });
  var dialog = h("dialog", { class: "diary-dialog", "aria-labelledby": "diary-dialog-title" },
    h("h3", { id: "diary-dialog-title", text: "Delete all your entries?" }),
    h("p", { id: "diary-dialog-text" }),
    h("p", { class: "diary-buttons" },
      button("Yes, delete all", function () { deleteAll(); }),
      button("No, keep them", function () { dialog.close(); })));
  var needEntries = [
    button("Export CSV", function () { download("csv"); }),
    button("Export JSON", function () { download("json"); }),
    button("Print for my clinician", printIt),
    button("Delete all", function () {
      field("diary-dialog-text").textContent = "This deletes all " + entriesText(entries.length) +
        " from this device. It cannot be undone. Export them first if you want a copy.";
      dialog.showModal();
    })];
  var tools = h("p", { class: "diary-buttons diary-tools" }, needEntries[0], needEntries[1],
    button("Import JSON", function () { fileInput.click(); }), needEntries[2], needEntries[3]);
  var root = h("div", { class: "diary", id: "diary" },
    form, h("h3", { id: "diary-results-title", text: "Your entries" }), tools, fileInput, status, results, dialog);
  mount.replaceWith(root);

  function say(text) { status.textContent = text; }

  function weeks() {
    if (!entries.length) return [];
    var first = day(entries[0].date), out = [], sessions = 0;
    entries.forEach(function (e) {
      var n = Math.floor((day(e.date) - first) / 7);
      var w = out[n] || (out[n] = { n: n + 1, start: first + n * 7, items: [] });
      w.items.push(e);
    });
    return out.filter(Boolean).map(function (w) {
      w.leg = avg(w.items.map(function (e) { return e.leg; }));
      w.back = avg(w.items.map(function (e) { return e.back; }));
      var scores = [];
      w.items.forEach(function (e) { e.activities.forEach(function (x) { if (x.score !== null) scores.push(x.score); }); });
      w.act = avg(scores);
      w.massage = w.items.filter(function (e) { return e.massage; }).length;
      sessions += w.massage;
      w.sessions = sessions;
      w.numbness = w.items.some(function (e) { return e.numbness; });
      return w;
    });
  }

  function weekLabel(w) {
    var from = new Date(w.start * 864e5).toISOString().slice(0, 10);
    var to = new Date((w.start + 6) * 864e5).toISOString().slice(0, 10);
    return "Week " + w.n + " (" + nice(from) + " to " + nice(to) + ")";
  }

  // The site's rule for judging a course, in plain words, week by week
  function judge(w, base) {
    if (w === base) return "Your starting point. Later weeks are compared with this one.";
    var done = plural(w.sessions, "massage session");
    if (RULE_SESSIONS && w.sessions < RULE_SESSIONS)
      return done + " so far. The course is judged after " + plural(RULE_SESSIONS, "session") + ".";
    var diff = w.leg - base.leg, act = w.act !== null && base.act !== null ? w.act - base.act : 0;
    if (diff >= 1)
      return "Your average leg pain is higher than in week 1 (" + w.leg + " against " + base.leg +
        "). Talk to your GP or physiotherapist soon about what to change.";
    if (diff <= -1 || act >= 1)
      return "Your average leg pain is " + (diff <= -1 ? "lower" : "about the same") + " than in week 1 (" + w.leg +
        " against " + base.leg + ")" + (act >= 1 ? " and you can do more" : "") +
        ", after " + done + ". Keep bringing your diary to your reviews.";
    return "No change in your average leg pain since week 1 (" + w.leg + " against " + base.leg + "), after " + done +
      ". Talk to your physiotherapist or massage therapist about what to change.";
  }

  function chart(ws) {
    var W = 640, H = 260, L = 34, R = 12, T = 12, B = 34;
    var first = day(entries[0].date), last = day(entries[entries.length - 1].date), span = Math.max(last - first, 1);
    function x(d) { return entries.length === 1 ? (L + W - R) / 2 : L + (d - first) / span * (W - L - R); }
    function y(v) { return T + (10 - v) / 10 * (H - T - B); }
    var s = svg("svg", { viewBox: "0 0 " + W + " " + H, class: "diary-chart", role: "img",
      "aria-labelledby": "diary-chart-title", "aria-describedby": "diary-summary" });
    var title = svg("title", { id: "diary-chart-title" });
    title.textContent = "Chart of leg pain and back pain, 0 to 10, by date";
    s.append(title);
    for (var v = 0; v <= 10; v += 2) {
      s.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "diary-chart__grid" }));
      var t = svg("text", { x: L - 6, y: y(v) + 4, class: "diary-chart__label", "text-anchor": "end" });
      t.textContent = v;
      s.append(t);
    }
    [entries[0].date, entries[entries.length - 1].date].forEach(function (d, i) {
      var t = svg("text", { x: i ? W - R : L, y: H - 10, class: "diary-chart__label", "text-anchor": i ? "end" : "start" });
      t.textContent = nice(d);
      s.append(t);
    });
    ws.forEach(function (w) { // the weekly average of leg pain, as a band across its week
      var x1 = x(Math.max(w.start, first)), x2 = x(Math.min(w.start + 6, last));
      s.append(svg("line", { x1: x1 - 3, x2: x2 + 3, y1: y(w.leg), y2: y(w.leg), class: "diary-chart__week" }));
    });
    ["leg", "back"].forEach(function (k) {
      var pts = entries.map(function (e) { return x(day(e.date)) + "," + y(e[k]); }).join(" ");
      s.append(svg("polyline", { points: pts, class: "diary-chart__line diary-chart__" + k }));
      entries.forEach(function (e) {
        var cx = x(day(e.date)), cy = y(e[k]);
        s.append(k === "leg" ? svg("circle", { cx: cx, cy: cy, r: 4, class: "diary-chart__" + k + "-dot" })
          : svg("rect", { x: cx - 4, y: cy - 4, width: 8, height: 8, class: "diary-chart__" + k + "-dot" }));
      });
    });
    return s;
  }

  function table(caption, heads, rows) {
    var tr = h("tr");
    heads.forEach(function (t) { tr.append(h("th", { scope: "col", text: t })); });
    var body = h("tbody");
    rows.forEach(function (r) {
      var row = h("tr");
      r.forEach(function (c, i) { row.append(h(i ? "td" : "th", i ? null : { scope: "row" }, c)); });
      body.append(row);
    });
    // Material's own wrappers: a wide table scrolls inside the page, not the page itself
    return h("div", { class: "md-typeset__scrollwrap", tabindex: 0, role: "region", "aria-label": caption }, h("div", { class: "md-typeset__table" },
      h("table", null, h("caption", { text: caption }), h("thead", null, tr), body)));
  }

  function render() {
    results.textContent = "";
    needEntries.forEach(function (b) { b.hidden = !entries.length; });
    if (!entries.length) {
      results.append(h("p", { text: storageOk ? "No entries yet. Your first entry will show here." :
        "This browser does not let the diary keep entries. Print the diary table on the tracking progress page instead." }));
      return;
    }
    var ws = weeks(), latest = entries[entries.length - 1], base = ws[0];
    var numb = entries.filter(function (e) { return e.numbness; });
    if (numb.length) {
      results.append(h("div", { class: "diary-alert diary-alert--shown" },
        h("p", null, h("strong", { text: "You recorded new numbness, tingling or weakness on " + nice(numb[numb.length - 1].date, true) + ". " }),
          "Check the ", h("a", { href: RED_FLAGS, text: "red flags: get help now" }),
          " and do what they say. Do not wait for your next review.")));
    }
    results.append(h("p", { id: "diary-summary", class: "diary-summary", text:
      entriesText(entries.length) + " from " + nice(entries[0].date, true) + " to " + nice(latest.date, true) +
      ". Latest: leg pain " + latest.leg + ", back pain " + latest.back + ". " +
      ws.map(function (w) { return "Week " + w.n + " average: leg " + w.leg + ", back " + w.back + "."; }).join(" ") }));
    results.append(h("figure", { class: "diary-figure" }, chart(ws),
      h("figcaption", { class: "diary-legend" },
        h("span", { class: "diary-key diary-key--leg", text: "Leg pain (solid line, dots)" }),
        h("span", { class: "diary-key diary-key--back", text: "Back pain (dashed line, squares)" }),
        h("span", { class: "diary-key diary-key--week", text: "Weekly average of leg pain (wide band)" }))));
    results.append(h("h4", { text: "Week by week" }));
    results.append(table("Weekly averages and what they show", ["Week", "Entries", "Leg pain", "Back pain", "Activities", "Massage sessions", "What it shows"],
      ws.map(function (w) {
        return [weekLabel(w), String(w.items.length), String(w.leg), String(w.back), w.act === null ? "–" : String(w.act),
          String(w.massage), judge(w, base) + (w.numbness ? " New numbness or weakness recorded: check the red flags." : "")];
      })));
    var worse = ws.length > 1 && ws[ws.length - 1].leg - base.leg >= 1;
    if (worse) results.append(h("p", null, "Pain getting worse? Read ", h("a", { href: CHANGE, text: "when to stop or change" }), "."));
    results.append(h("h4", { text: "Every entry" }));
    results.append(table("Your diary entries, oldest first", ["Date", "Leg pain", "Back pain", "Activities (0 to 10)", "Massage", "Exercise", "New numbness or weakness", "Notes"],
      entries.map(function (e) {
        return [nice(e.date), String(e.leg), String(e.back),
          e.activities.map(function (x) { return x.name + (x.score === null ? "" : ": " + x.score); }).join("; ") || "–",
          e.massage ? "Yes" : "No", e.exercise ? "Yes" : "No", e.numbness ? "Yes" : "No", e.notes || "–"];
      })));
  }

  /* --- actions --------------------------------------------------------------- */
  function fill(e) {
    ["leg", "back"].forEach(function (k) {
      form.querySelectorAll("input[name=" + k + "]").forEach(function (r) { r.checked = e ? +r.value === e[k] : false; });
    });
    var acts = e ? e.activities : (entries.length ? entries[entries.length - 1].activities : []);
    for (var i = 1; i <= 3; i++) {
      var x = acts[i - 1];
      field("diary-act" + i).value = x ? x.name : "";
      field("diary-score" + i).value = e && x && x.score !== null ? x.score : "";
    }
    field("diary-massage").checked = !!(e && e.massage);
    field("diary-exercise").checked = !!(e && e.exercise);
    field("diary-numbness").checked = !!(e && e.numbness);
    field("diary-notes").value = e ? e.notes : "";
    numbnessAlert();
  }

  function numbnessAlert() {
    alertBox.textContent = "";
    alertBox.classList.toggle("diary-alert--shown", field("diary-numbness").checked);
    if (field("diary-numbness").checked) {
      alertBox.append(h("p", null, h("strong", { text: "New numbness, tingling or weakness can be a warning sign. " }),
        "Check the ", h("a", { href: RED_FLAGS, text: "red flags: get help now" }), " today. Do not wait for your next review."));
    }
  }

  field("diary-numbness").addEventListener("change", numbnessAlert);
  field("diary-date").addEventListener("change", function () {
    var d = field("diary-date").value;
    var e = entries.filter(function (x) { return x.date === d; })[0];
    fill(e);
    field("diary-saved").textContent = e ? "You already have an entry for " + nice(d, true) + ". Saving replaces it." : "";
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var d = field("diary-date").value;
    var e = { date: d, activities: [], massage: field("diary-massage").checked, exercise: field("diary-exercise").checked,
      numbness: field("diary-numbness").checked, notes: field("diary-notes").value.trim() };
    ["leg", "back"].forEach(function (k) { e[k] = +form.querySelector("input[name=" + k + "]:checked").value; });
    for (var i = 1; i <= 3; i++) {
      var name = field("diary-act" + i).value.trim(), sc = field("diary-score" + i).value;
      if (name) e.activities.push({ name: name, score: sc === "" ? null : Math.min(10, Math.max(0, Math.round(+sc))) });
    }
    var replaced = entries.some(function (x) { return x.date === d; });
    entries = entries.filter(function (x) { return x.date !== d; }).concat([e]);
    try {
      store(entries);
    } catch (err) {
      field("diary-saved").textContent = "Could not save: this browser does not let the diary keep entries.";
      return;
    }
    render();
    field("diary-saved").textContent = (replaced ? "Replaced" : "Saved") + " your entry for " + nice(d, true) + ".";
  });

  function download(kind) {
    var text;
    if (kind === "json") {
      text = JSON.stringify({ format: FORMAT, version: 1, entries: entries }, null, 2);
    } else {
      var cells = function (list) {
        return list.map(function (v) {
          v = v === null || v === undefined ? "" : String(v);
          if (/^[=+\-@]/.test(v)) v = "'" + v; // never a formula in a spreadsheet
          return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
        }).join(",");
      };
      var rows = [cells(["date", "leg_pain", "back_pain", "activity_1", "activity_1_score", "activity_2", "activity_2_score",
        "activity_3", "activity_3_score", "massage", "exercise", "new_numbness_or_weakness", "notes"])];
      entries.forEach(function (e) {
        var r = [e.date, e.leg, e.back];
        for (var i = 0; i < 3; i++) r.push(e.activities[i] ? e.activities[i].name : "", e.activities[i] ? e.activities[i].score : "");
        rows.push(cells(r.concat([e.massage ? "yes" : "no", e.exercise ? "yes" : "no", e.numbness ? "yes" : "no", e.notes])));
      });
      text = rows.join("\r\n") + "\r\n";
    }
    var url = URL.createObjectURL(new Blob([text], { type: kind === "json" ? "application/json" : "text/csv" }));
    var link = h("a", { href: url, download: "sciatica-diary-" + iso(new Date()) + "." + kind, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    say("Exported " + entriesText(entries.length) + " as " + kind.toUpperCase() +
      ". The file is in your downloads; it is not sent anywhere.");
  }

  fileInput.addEventListener("change", function () {
    var file = fileInput.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var data;
      try { data = JSON.parse(text); } catch (e) { throw "it is not a JSON file"; }
      if (!data || data.format !== FORMAT || !Array.isArray(data.entries)) throw "it is not a diary exported from this site";
      var incoming = data.entries.map(function (e, i) { return clean(e, i + 1); });
      var dates = incoming.map(function (e) { return e.date; });
      var replaced = entries.filter(function (e) { return dates.indexOf(e.date) >= 0; }).length;
      entries = entries.filter(function (e) { return dates.indexOf(e.date) < 0; }).concat(incoming);
      store(entries);
      render();
      say("Imported " + entriesText(incoming.length) +
        (replaced ? ", replacing " + replaced + " with the same date" : "") + ".");
    }).catch(function (msg) {
      say("Could not import " + file.name + ": " + (typeof msg === "string" ? msg : "the file could not be read") + ". Nothing was changed.");
    }).then(function () { fileInput.value = ""; });
  });

  function deleteAll() {
    try { localStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
    entries = [];
    dialog.close();
    render();
    fill(null);
    say("All entries are deleted from this device.");
    field("diary-date").focus();
  }

  function printIt() {
    var html = document.documentElement;
    html.classList.add("diary-printing");
    window.print();
    // Chromium and Firefox return after printing; others fire afterprint
    setTimeout(function () { html.classList.remove("diary-printing"); }, 0);
  }
  window.addEventListener("afterprint", function () { document.documentElement.classList.remove("diary-printing"); });

  field("diary-date").value = iso(new Date());
  field("diary-date").max = iso(new Date());
  fill(entries.filter(function (x) { return x.date === iso(new Date()); })[0]);
  render();
})();
