/* My progress diary (issue #17): entries in localStorage only, never sent
 * anywhere. The storage format is described in README.md. */
(() => {
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

  // Small helpers
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
  function iso(d) { // the local date as "YYYY-MM-DD"
    return new Date(d - d.getTimezoneOffset() * 6e4).toISOString().slice(0, 10);
  }
  function nice(isoDate, long) {
    return new Date(day(isoDate) * 864e5).toLocaleDateString("en-GB", {
      weekday: long ? "long" : "short", day: "numeric", month: long ? "long" : "short",
      year: "numeric", timeZone: "UTC"
    });
  }
  function avg(list) {
    return list.length ? Math.round(list.reduce((a, b) => a + b, 0) / list.length * 10) / 10 : null;
  }
  function plural(n, word, many) { return n + " " + (n === 1 ? word : many || word + "s"); }
  function entriesText(n) { return plural(n, "entry", "entries"); }

  // Storage
  function load() {
    try {
      var data = JSON.parse(localStorage.getItem(KEY) || "null");
      return data && Array.isArray(data.entries) ? data.entries : [];
    } catch (e) {
      return [];
    }
  }
  function store(list) {
    list.sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
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
    var acts = (Array.isArray(e.activities) ? e.activities : []).slice(0, 3).map((a, i) => {
      return { name: String(a && a.name || "").slice(0, 100), score: score(a && a.score, "activity " + (i + 1)) };
    }).filter(a => a.name);
    return { date: e.date, leg: leg, back: back, activities: acts, massage: e.massage === true,
      exercise: e.exercise === true, numbness: e.numbness === true, notes: String(e.notes || "").slice(0, 2000) };
  }

  var entries = load();

  // The form and buttons: markup from the theme (overrides/diary.html)
  var template = document.getElementById("diary-template");
  if (!template) return;
  mount.replaceWith(template.content.cloneNode(true));
  function field(id) { return document.getElementById(id); }
  var form = field("diary-form"), alertBox = field("diary-alert"), status = field("diary-status");
  var results = field("diary-results"), fileInput = field("diary-file"), dialog = field("diary-dialog");
  var needEntries = document.querySelectorAll("#diary [data-needs-entries]");
  var actions = {
    csv: () => download("csv"),
    json: () => download("json"),
    import: () => fileInput.click(),
    print: printIt,
    delete: () => {
      field("diary-dialog-text").textContent = "This deletes all " + entriesText(entries.length) +
        " from this device. It cannot be undone. Export them first if you want a copy.";
      dialog.showModal();
    },
    "delete-yes": () => deleteAll(),
    "delete-no": () => dialog.close()
  };
  field("diary").addEventListener("click", event => {
    var act = event.target.closest("[data-act]");
    if (act) actions[act.dataset.act]();
  });

  function say(text) { status.textContent = text; }

  function weeks() {
    if (!entries.length) return [];
    var first = day(entries[0].date), out = [], sessions = 0;
    entries.forEach(e => {
      var n = Math.floor((day(e.date) - first) / 7);
      var w = out[n] || (out[n] = { n: n + 1, start: first + n * 7, items: [] });
      w.items.push(e);
    });
    return out.filter(Boolean).map(w => {
      w.leg = avg(w.items.map(e => e.leg));
      w.back = avg(w.items.map(e => e.back));
      var scores = [];
      w.items.forEach(e => { e.activities.forEach(x => { if (x.score !== null) scores.push(x.score); }); });
      w.act = avg(scores);
      w.massage = w.items.filter(e => e.massage).length;
      sessions += w.massage;
      w.sessions = sessions;
      w.numbness = w.items.some(e => e.numbness);
      return w;
    });
  }

  function weekLabel(w) {
    var d = n => new Date(n * 864e5).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
    return "Week " + w.n + " (" + d(w.start) + " to " + d(w.start + 6) + ")";
  }

  // The site's rule for judging a course, in plain words, week by week
  function judge(w, base) {
    if (w === base) return "Your starting point. Later weeks are compared with this one.";
    var done = plural(w.sessions, "massage session");
    if (RULE_SESSIONS && w.sessions < RULE_SESSIONS)
      return done + " so far. The course is judged after " + plural(RULE_SESSIONS, "session") + ".";
    var diff = w.leg - base.leg, act = w.act !== null && base.act !== null ? w.act - base.act : 0;
    // A change people notice: at least 2 points on a 0 to 10 scale, or 30%
    // of where they started (Ostelo 2008); a smaller drift is day-to-day noise
    var felt = d => Math.abs(d) >= 2 || (base.leg > 0 && Math.abs(d) / base.leg >= 0.3);
    if (diff > 0 && felt(diff))
      return "Your average leg pain is higher than in week 1 (" + w.leg + " against " + base.leg +
        "). Talk to your GP or physiotherapist soon about what to change.";
    if ((diff < 0 && felt(diff)) || act >= 2)
      return "Your average leg pain is " + (diff < 0 && felt(diff) ? "lower" : "about the same") + " than in week 1 (" + w.leg +
        " against " + base.leg + ")" + (act >= 1 ? " and you can do more" : "") +
        ", after " + done + ". Keep bringing your diary to your reviews.";
    return "No change in your average leg pain since week 1 (" + w.leg + " against " + base.leg + "), after " + done +
      ". Talk to your physiotherapist or massage therapist about what to change.";
  }

  function chart(ws) {
    var W = 480, H = 240, L = 30, R = 10, T = 12, B = 34;
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
    [entries[0].date, entries[entries.length - 1].date].forEach((d, i) => {
      var t = svg("text", { x: i ? W - R : L, y: H - 10, class: "diary-chart__label", "text-anchor": i ? "end" : "start" });
      t.textContent = nice(d);
      s.append(t);
    });
    ws.forEach(w => { // the weekly average of leg pain, as a band across its week
      var x1 = x(Math.max(w.start, first)), x2 = x(Math.min(w.start + 6, last));
      s.append(svg("line", { x1: x1 - 3, x2: x2 + 3, y1: y(w.leg), y2: y(w.leg), class: "diary-chart__week" }));
    });
    ["leg", "back"].forEach(k => {
      var pts = entries.map(e => x(day(e.date)) + "," + y(e[k])).join(" ");
      s.append(svg("polyline", { points: pts, class: "diary-chart__line diary-chart__" + k }));
      entries.forEach(e => {
        var cx = x(day(e.date)), cy = y(e[k]);
        s.append(k === "leg" ? svg("circle", { cx: cx, cy: cy, r: 4, class: "diary-chart__" + k + "-dot" })
          : svg("rect", { x: cx - 4, y: cy - 4, width: 8, height: 8, class: "diary-chart__" + k + "-dot" }));
      });
    });
    return s;
  }

  function table(caption, heads, rows) {
    var tr = h("tr");
    heads.forEach(t => { tr.append(h("th", { scope: "col", text: t })); });
    var body = h("tbody");
    rows.forEach(r => {
      var row = h("tr");
      r.forEach((c, i) => { row.append(h(i ? "td" : "th", i ? null : { scope: "row" }, c)); });
      body.append(row);
    });
    // Material's own wrappers: a wide table scrolls inside the page, not the page itself
    return h("div", { class: "md-typeset__scrollwrap", tabindex: 0, role: "region", "aria-label": caption }, h("div", { class: "md-typeset__table" },
      h("table", null, h("caption", { text: caption }), h("thead", null, tr), body)));
  }

  function render() {
    results.textContent = "";
    needEntries.forEach(b => { b.hidden = !entries.length; });
    if (!entries.length) {
      results.append(h("p", { text: "No entries yet. Your first entry will show here." }));
      return;
    }
    var ws = weeks(), latest = entries[entries.length - 1], base = ws[0];
    var numb = entries.filter(e => e.numbness);
    if (numb.length) {
      results.append(h("div", { class: "diary-alert diary-alert--shown" },
        h("p", null, h("strong", { text: "You recorded new numbness, tingling or weakness on " + nice(numb[numb.length - 1].date, true) + ". " }),
          "Check the ", h("a", { href: RED_FLAGS, text: "red flags: get help now" }),
          " and do what they say. Do not wait for your next review.")));
    }
    results.append(h("p", { id: "diary-summary", class: "diary-summary", text:
      entriesText(entries.length) + " from " + nice(entries[0].date, true) + " to " + nice(latest.date, true) +
      ". Latest: leg pain " + latest.leg + ", back pain " + latest.back + ". " +
      ws.map(w => "Week " + w.n + " average: leg " + w.leg + ", back " + w.back + ".").join(" ") }));
    results.append(h("figure", { class: "diary-figure" }, chart(ws),
      h("figcaption", { class: "diary-legend" },
        h("span", { class: "diary-key diary-key--leg", text: "Leg pain (solid line, dots)" }),
        h("span", { class: "diary-key diary-key--back", text: "Back pain (dashed line, squares)" }),
        h("span", { class: "diary-key diary-key--week", text: "Weekly average of leg pain (wide band)" }))));
    results.append(h("h4", { text: "Week by week" }));
    results.append(table("Weekly averages and what they show", ["Week", "Entries", "Leg pain", "Back pain", "Activities", "Massage sessions", "What it shows"],
      ws.map(w => {
        return [weekLabel(w), String(w.items.length), String(w.leg), String(w.back), w.act === null ? "–" : String(w.act),
          String(w.massage), judge(w, base) + (w.numbness ? " New numbness or weakness recorded: check the red flags." : "")];
      })));
    var worse = ws.length > 1 && ws[ws.length - 1].leg - base.leg >= 1;
    if (worse) results.append(h("p", null, "Pain getting worse? Read ", h("a", { href: CHANGE, text: "when to stop or change" }), "."));
    results.append(h("h4", { text: "Every entry" }));
    results.append(table("Your diary entries, oldest first", ["Date", "Leg pain", "Back pain", "Activities (0 to 10)", "Massage", "Exercise", "New numbness or weakness", "Notes"],
      entries.map(e => {
        return [nice(e.date), String(e.leg), String(e.back),
          e.activities.map(x => x.name + (x.score === null ? "" : ": " + x.score)).join("; ") || "–",
          e.massage ? "Yes" : "No", e.exercise ? "Yes" : "No", e.numbness ? "Yes" : "No", e.notes || "–"];
      })));
  }

  // Actions
  function fill(e) {
    ["leg", "back"].forEach(k => {
      form.querySelectorAll("input[name=" + k + "]").forEach(r => { r.checked = e ? +r.value === e[k] : false; });
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
  field("diary-date").addEventListener("change", () => {
    var d = field("diary-date").value;
    var e = entries.filter(x => x.date === d)[0];
    fill(e);
    field("diary-saved").textContent = e ? "You already have an entry for " + nice(d, true) + ". Saving replaces it." : "";
  });

  form.addEventListener("submit", event => {
    event.preventDefault();
    var d = field("diary-date").value;
    var e = { date: d, activities: [], massage: field("diary-massage").checked, exercise: field("diary-exercise").checked,
      numbness: field("diary-numbness").checked, notes: field("diary-notes").value.trim() };
    ["leg", "back"].forEach(k => { e[k] = +form.querySelector("input[name=" + k + "]:checked").value; });
    for (var i = 1; i <= 3; i++) {
      var name = field("diary-act" + i).value.trim(), sc = field("diary-score" + i).value;
      if (name) e.activities.push({ name: name, score: sc === "" ? null : Math.min(10, Math.max(0, Math.round(+sc))) });
    }
    var replaced = entries.some(x => x.date === d);
    entries = entries.filter(x => x.date !== d).concat([e]);
    try {
      store(entries);
    } catch (err) {
      field("diary-saved").textContent = "Could not save: this browser does not let the diary keep entries. " +
        "Print the diary table on the tracking progress page instead.";
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
      var cells = list => {
        return list.map(v => {
          v = v === null || v === undefined ? "" : String(v);
          if (/^[=+\-@]/.test(v)) v = "'" + v; // never a formula in a spreadsheet
          return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
        }).join(",");
      };
      var rows = [cells(["date", "leg_pain", "back_pain", "activity_1", "activity_1_score", "activity_2", "activity_2_score",
        "activity_3", "activity_3_score", "massage", "exercise", "new_numbness_or_weakness", "notes"])];
      entries.forEach(e => {
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
    setTimeout(() => { URL.revokeObjectURL(url); }, 1000);
    say("Exported " + entriesText(entries.length) + " as " + kind.toUpperCase() +
      ". The file is in your downloads; it is not sent anywhere.");
  }

  fileInput.addEventListener("change", () => {
    var file = fileInput.files[0];
    if (!file) return;
    file.text().then(text => {
      var data;
      try { data = JSON.parse(text); } catch (e) { throw "it is not a JSON file"; }
      if (!data || data.format !== FORMAT || !Array.isArray(data.entries)) throw "it is not a diary exported from this site";
      var incoming = data.entries.map((e, i) => clean(e, i + 1));
      var dates = incoming.map(e => e.date);
      var replaced = entries.filter(e => dates.indexOf(e.date) >= 0).length;
      entries = entries.filter(e => dates.indexOf(e.date) < 0).concat(incoming);
      store(entries);
      render();
      say("Imported " + entriesText(incoming.length) +
        (replaced ? ", replacing " + replaced + " with the same date" : "") + ".");
    }).catch(msg => {
      say("Could not import " + file.name + ": " + (typeof msg === "string" ? msg : "the file could not be read") + ". Nothing was changed.");
    }).then(() => { fileInput.value = ""; });
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
  }
  window.addEventListener("afterprint", () => { document.documentElement.classList.remove("diary-printing"); });

  field("diary-date").value = iso(new Date());
  field("diary-date").max = iso(new Date());
  fill(entries.filter(x => x.date === iso(new Date()))[0]);
  render();
})();
