/* "Do I need urgent help?" (issue #17). Progressive enhancement of the page:
 * every <li> of the urgency cards the page includes (the same snippets the
 * red flags page shows: emergency, urgent, soon) becomes a checkbox, and one
 * of the three answers written out below them is shown. Without JavaScript
 * the page is the plain checklist with all three answers. Nothing is stored
 * and nothing is sent anywhere. */
(function () {
  "use strict";
  var article = document.querySelector(".md-content article") || document.body;
  var LEVELS = ["emergency", "urgent", "soon"];
  var ticks = { emergency: [], urgent: [], soon: [] };
  var count = 0;
  var lastCard = null;

  LEVELS.forEach(function (level) {
    article.querySelectorAll(".admonition." + level).forEach(function (card) {
      card.querySelectorAll("li").forEach(function (li) {
        var box = document.createElement("input");
        var label = document.createElement("label");
        box.type = "checkbox";
        box.id = "sign-" + ++count;
        box.name = level;
        label.htmlFor = box.id;
        // The item's own nodes move into the label: the words are the snippet's
        while (li.firstChild) label.appendChild(li.firstChild);
        li.className = "urgency-sign";
        li.append(box, label);
        // A glossary definition (a popover, shown at the foot of the screen
        // wherever it sits) goes after the label, not in it: a tap on the open
        // definition must not tick the box, nor its words name the checkbox
        label.querySelectorAll("[popover]").forEach(function (definition) { li.appendChild(definition); });
        ticks[level].push(box);
      });
      card.querySelectorAll("ul").forEach(function (ul) { ul.classList.add("urgency-list"); });
      lastCard = card;
    });
  });

  var answers = {
    emergency: document.getElementById("answer-emergency"),
    urgent: document.getElementById("answer-urgent"),
    none: document.getElementById("answer-none")
  };
  if (!count || !lastCard || !answers.emergency || !answers.urgent || !answers.none) return;

  var actions = document.createElement("div");
  var button = document.createElement("button");
  var hint = document.createElement("p");
  actions.className = "urgency-actions";
  button.type = "button";
  button.className = "md-button md-button--primary";
  button.textContent = "Show my answer";
  hint.id = "urgency-hint";
  hint.textContent = "Tick every sign you have now, then press \u201cShow my answer\u201d. " +
    "If you are not sure, tick it.";
  button.setAttribute("aria-describedby", hint.id);
  actions.append(hint, button);
  lastCard.after(actions);

  // The three answers sit together; one is shown, announced politely when it changes
  var box = document.createElement("div");
  box.className = "urgency-answers";
  box.setAttribute("aria-live", "polite");
  answers.emergency.before(box);
  Object.keys(answers).forEach(function (key) {
    var answer = answers[key];
    box.appendChild(answer);
    answer.hidden = true;
    var heading = answer.querySelector("h2, h3, h4");
    if (heading) heading.tabIndex = -1;
  });

  var shown = false;

  function level() {
    var any = function (list) { return list.some(function (b) { return b.checked; }); };
    if (any(ticks.emergency)) return "emergency";
    if (any(ticks.urgent)) return "urgent";
    return "none";
  }

  function show(focus) {
    var which = level();
    Object.keys(answers).forEach(function (key) { answers[key].hidden = key !== which; });
    box.dataset.answer = which;
    shown = true;
    if (focus) {
      var heading = answers[which].querySelector("[tabindex]");
      (heading || answers[which]).focus();
    }
  }

  button.addEventListener("click", function () { show(true); });
  article.addEventListener("change", function (event) {
    if (shown && event.target.type === "checkbox") show(false);
  });
})();
