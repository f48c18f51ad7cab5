/*
 * fmse course script, loaded by the fmse Voilà template (index.html.j2, body_header) before the
 * cells stream in. Plain ES2017, no dependencies, nothing loaded from elsewhere.
 *
 * ipywidgets builds its DOM long after the page has loaded (and rebuilds parts of it when a model
 * changes), so everything below is applied by fix() for the whole document, from a
 * MutationObserver; fix() is idempotent and cheap.
 *
 *  - .fmse-live      -> role="status" aria-live="polite" (widget add_class("fmse-live"))
 *  - .fmse-alert     -> role="alert"
 *  - .fmse-choice, .fmse-exercise -> role="group" labelled by its .fmse-question; a .widget-radio-box
 *                       gets role="radiogroup" + aria-labelledby (its .fmse-field's label, else the
 *                       question); every RadioButtons group gets a shared name="" so the arrow keys move
 *                       between its options (ipywidgets 8.1 renders <label>text<input type="radio">
 *                       </label> with no name).
 *  - .fmse-field     -> selects and text boxes inside are named by the field's .fmse-field-label
 *                       (ipywidgets leaves them nameless); a field of checkboxes is a named group.
 *  - .fmse-order-row -> Move up / Move down are described by their step; after a move, focus follows
 *                       the step to its new row. Chat checkboxes are described by their message.
 *  - .fmse-scenario  -> after Choose / Start again, focus moves to the new step's first reply (or the
 *                       ending's heading) once the kernel has shown it.
 *  - #rendered_cells -> role="main" (the server already writes it; Voilà moves the element into
 *                       its Lumino shell, so a wrapping <main> would end up empty), skip link first; the
 *                       skip link goes to the page's h1 (past the links between pages), not the whole main.
 *  - Voilà's English per-cell error sentence -> the course message in the page's language
 *    (the template already does this on the server; this catches outputs rendered in the browser).
 *  - The widgets manager's "Loading widget..." (and its missing-model error) -> the course's words in the
 *    page's language, before the browser paints them (translateWidgetText).
 *  - Names and terms of the other language in the page's text (the list the page header carries in
 *    script.fmse-other-language, from widgets/other_language.py) -> <span lang="en|cy">, outside form
 *    controls and their plain-text labels.
 *  - p.fmse-table-caption just before a Markdown table -> that table's <caption>.
 *  - A table (or pre) wider than its column scrolls inside itself (course.css): while it does, it is
 *    focusable (tabindex="0") so that keyboard users can scroll it too (WCAG 2.1.1).
 *  - .fmse-remember  -> asks the server to remember the learner in this browser, then shows ?learner= in
 *                       the address bar (rememberLearner).
 *  - When the page has finished rendering (see isRendered / checkReady), sets
 *    <html data-fmse-ready="true"> and fires the "fmse:ready" event on document (for tests).
 */
(function () {
  "use strict";

  if (window.fmseCourse) {
    return;
  }

  // Voilà's English sentences (voila/execute.py, voila/notebook_renderer.py).
  var VOILA_CELL_ERROR = /There was an error when executing cell \[([^\]]*)\]/;
  var VOILA_OTHER_ERRORS = /^\s*(Cell execution timed out|An exception occurred at the server)/;
  var STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]';

  /* The page's wording, from the one generated source (fmse_strings.html.j2, from the gettext catalogue) that
     the template writes into script#fmse-i18n. A page without it (none of the course's) gets no messages. */
  function strings() {
    var el = document.getElementById("fmse-i18n");
    if (el) {
      try {
        return JSON.parse(el.textContent);
      } catch (e) {
        /* no wording: the fixes below that need it do nothing */
      }
    }
    return {};
  }

  var counter = 0;
  function ensureId(el, prefix) {
    if (!el.id) {
      counter += 1;
      el.id = prefix + "-" + counter;
      while (document.querySelectorAll("#" + el.id).length > 1) {
        counter += 1;
        el.id = prefix + "-" + counter;
      }
    }
    return el.id;
  }

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  }

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  /* Message text with `backquoted` parts as <code>, built without innerHTML. */
  function messageParagraph(text) {
    var p = document.createElement("p");
    text.split("`").forEach(function (part, i) {
      if (i % 2 === 1) {
        var code = document.createElement("code");
        code.textContent = part;
        p.appendChild(code);
      } else if (part) {
        p.appendChild(document.createTextNode(part));
      }
    });
    return p;
  }

  function fixErrors(root) {
    var t = strings();
    each(root, STDERR, function (el) {
      if (el.classList.contains("fmse-cell-error")) {
        return;
      }
      var text = el.textContent || "";
      var m = VOILA_CELL_ERROR.exec(text);
      var message = null;
      if (m && t.cell_error) {
        message = t.cell_error.replace("{n}", m[1]);
      } else if (!m && t.page_error && VOILA_OTHER_ERRORS.test(text)) {
        message = t.page_error;
      }
      if (message === null) {
        return;
      }
      while (el.firstChild) {
        el.removeChild(el.firstChild);
      }
      el.appendChild(messageParagraph(message));
      el.classList.add("fmse-cell-error");
      setAttr(el, "role", "alert");
    });
  }

  function fixRadioGroups(root) {
    each(root, ".widget-radio-box", function (box) {
      setAttr(box, "role", "radiogroup");
      var name = box.getAttribute("data-fmse-name");
      if (!name) {
        name = ensureId(box, "fmse-radios");
        box.setAttribute("data-fmse-name", name);
      }
      // Options are rebuilt when the widget's options change: (re)name every input.
      each(box, 'input[type="radio"]', function (input) {
        setAttr(input, "name", name);
      });
      if (box.hasAttribute("aria-labelledby")) {
        return;
      }
      var fieldLabel = labelOfField(box);
      if (fieldLabel) {
        setAttr(box, "aria-labelledby", ensureId(fieldLabel, "fmse-field-label"));
        return;
      }
      var choice = box.closest(".fmse-choice");
      var question = choice && choice.querySelector(".fmse-question");
      if (question) {
        setAttr(box, "aria-labelledby", ensureId(question, "fmse-question"));
        return;
      }
      // Outside an exercise: use the RadioButtons' own description label, when it has one.
      var widget = box.closest(".widget-radio");
      var label = widget && widget.querySelector(":scope > .widget-label");
      if (label && label.textContent.trim() && label.style.display !== "none") {
        setAttr(box, "aria-labelledby", ensureId(label, "fmse-label"));
      }
    });
  }

  /* The label of the .fmse-field a control sits in (a direct child with class fmse-field-label). */
  function labelOfField(el) {
    var field = el.closest(".fmse-field");
    if (!field) {
      return null;
    }
    for (var i = 0; i < field.children.length; i += 1) {
      if (field.children[i].classList.contains("fmse-field-label")) {
        return field.children[i];
      }
    }
    return null;
  }

  /* Views group a label and its controls in .fmse-field (widgets/views/markup.py). ipywidgets gives a
     select or text box no name of its own (its <label> is empty and hidden): name it after the field.
     A field of checkboxes is a named group; a field holding a radio group names the radiogroup instead. */
  function fixFields(root) {
    each(root, ".fmse-field select, .fmse-field textarea, .fmse-field input[type=\"text\"]", function (control) {
      var label = labelOfField(control);
      if (label) {
        setAttr(control, "aria-labelledby", ensureId(label, "fmse-field-label"));
      }
    });
    each(root, ".fmse-field", function (field) {
      var label = labelOfField(field);
      if (label && field.querySelector('input[type="checkbox"]')) {
        setAttr(field, "role", "group");
        setAttr(field, "aria-labelledby", ensureId(label, "fmse-field-label"));
      }
    });
  }

  /* Move up / Move down buttons are described by the step beside them; chat checkboxes by their message. */
  function fixDescriptions(root) {
    each(root, ".fmse-order-row", function (row) {
      var text = row.querySelector(".fmse-step-text");
      if (!text) {
        return;
      }
      var id = ensureId(text, "fmse-step");
      each(row, ".fmse-move-up, .fmse-move-down", function (button) {
        setAttr(button, "aria-describedby", id);
      });
    });
    each(root, ".fmse-chat-markable", function (message) {
      var text = message.querySelector(".fmse-chat-text");
      var box = message.querySelector('input[type="checkbox"]');
      if (text && box) {
        setAttr(box, "aria-describedby", ensureId(text, "fmse-message"));
      }
    });
  }

  function stepText(row) {
    var el = row && row.querySelector(".fmse-step-text");
    return el ? el.textContent.replace(/^\s*\d+\.\s*/, "").trim() : "";
  }

  /* When a step moves, the kernel rewrites the rows' text: the rows themselves stay put. Move the focus
     with the step, to the same button in its new row, so pressing it again keeps moving the same step. */
  function followMovedStep(event) {
    var button = event.target && event.target.closest && event.target.closest(".fmse-move-up, .fmse-move-down");
    var row = button && button.closest(".fmse-order-row");
    var list = row && row.closest(".fmse-order-list");
    if (!list) {
      return;
    }
    var rows = Array.prototype.slice.call(list.querySelectorAll(".fmse-order-row"));
    var up = button.classList.contains("fmse-move-up");
    var target = rows.indexOf(row) + (up ? -1 : 1);
    if (target < 0 || target >= rows.length) {
      return;
    }
    var moving = stepText(row);
    var started = Date.now();
    (function wait() {
      if (stepText(rows[target]) === moving) {
        var same = rows[target].querySelector(up ? ".fmse-move-up" : ".fmse-move-down");
        // Only if the learner is still on the button they pressed.
        if (same && document.activeElement === button) {
          same.focus();
        }
        return;
      }
      if (Date.now() - started < 5000) {
        setTimeout(wait, 40);
      }
    })();
  }
  document.addEventListener("click", followMovedStep, true);

  /* A branching scenario replaces its replies above the Choose button. Once the kernel has shown the next step
     (its radio group's class fmse-step-N changes, in the same message as the new replies), focus moves to the
     step's first reply, or to the heading of an ending, which has none. The live region still announces the
     new situation. Nothing moves if the learner has gone elsewhere meanwhile. */
  function stepOf(radio) {
    var m = /(?:^|\s)fmse-step-(\d+)(?:\s|$)/.exec(radio ? String(radio.className) : "");
    return m ? m[1] : null;
  }

  function focusStep(scenario, radio) {
    var first = radio.getClientRects().length ? radio.querySelector('input[type="radio"]') : null;
    if (first) {
      // The new replies may be newer than the last fix() pass: name them as one group before focus lands,
      // so Tab leaves the group at once instead of walking its replies.
      fixRadioGroups(radio);
      first.focus();
      return;
    }
    var heading = scenario.querySelector(".fmse-situation .fmse-situation-heading");
    if (heading) {
      setAttr(heading, "tabindex", "-1");
      heading.focus();
    }
  }

  function followScenarioStep(event) {
    var button = event.target && event.target.closest && event.target.closest(".fmse-scenario button");
    var scenario = button && button.closest(".fmse-scenario");
    var radio = scenario && scenario.querySelector(".fmse-situation .widget-radio");
    if (!radio) {
      return;
    }
    var before = stepOf(radio);
    var started = Date.now();
    (function wait() {
      var now = scenario.querySelector(".fmse-situation .widget-radio");
      if (now && stepOf(now) !== before) {
        var active = document.activeElement;
        if (active === button || !active || active === document.body) {
          focusStep(scenario, now);
        }
        return;
      }
      if (Date.now() - started < 15000) {
        setTimeout(wait, 40);
      }
    })();
  }
  document.addEventListener("click", followScenarioStep, true);

  function fixChoices(root) {
    each(root, ".fmse-choice, .fmse-exercise", function (choice) {
      var question = choice.querySelector(".fmse-question");
      setAttr(choice, "role", "group");
      if (question) {
        setAttr(choice, "aria-labelledby", ensureId(question, "fmse-question"));
      }
    });
  }

  function fixLandmarks() {
    var main = document.getElementById("rendered_cells");
    if (main) {
      if (!main.hasAttribute("role") && main.tagName !== "MAIN") {
        main.setAttribute("role", "main");
      }
      if (!main.hasAttribute("tabindex")) {
        main.setAttribute("tabindex", "-1");
      }
    }
    if (main && !document.getElementById("fmse-skip-link") && document.body) {
      var a = document.createElement("a");
      a.id = "fmse-skip-link";
      a.className = "fmse-skip-link";
      a.href = "#rendered_cells";
      a.textContent = strings().skip || "";
      document.body.insertBefore(a, document.body.firstChild);
    }
    fixSkipLink();
  }

  /* The skip link lands on the page's main heading (its h1), past the links between pages and the progress
     bar that come before it in #rendered_cells, so the next Tab reaches the content. The heading can take
     focus from a script or a link (tabindex="-1"), not from Tab. Landmarks after it (the support box, the
     services named in a section) are labelled, so screen-reader users can still move past them. */
  function skipTarget() {
    var main = document.getElementById("rendered_cells");
    return (main && main.querySelector("h1")) || main;
  }

  function fixSkipLink() {
    var link = document.getElementById("fmse-skip-link");
    var target = skipTarget();
    if (!link || !target) {
      return;
    }
    if (target.id !== "rendered_cells" && !target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
      target.classList.add("fmse-skip-target");
    }
    setAttr(link, "href", "#" + ensureId(target, "fmse-content"));
  }

  /* Following the link focuses the heading itself (a fragment link alone only moves where Tab starts from). */
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest && event.target.closest("#fmse-skip-link");
    var target = link && skipTarget();
    if (!target) {
      return;
    }
    event.preventDefault();
    fixSkipLink();
    target.focus();
    target.scrollIntoView({block: "start"});
  });

  /* Links whose text is their address (with or without https:// and a final slash): the print
     stylesheet would otherwise print the address twice. */
  function bareAddress(text) {
    return text.trim().replace(/^https?:\/\//, "").replace(/\/$/, "");
  }

  function markBareUrls(root) {
    each(root, "#rendered_cells a[href]", function (a) {
      if (!a.classList.contains("fmse-bare-url") &&
          bareAddress(a.textContent) === bareAddress(a.getAttribute("href"))) {
        a.classList.add("fmse-bare-url");
      }
    });
  }

  /* A part of the page written in one language (a widget with the class fmse-lang-en or fmse-lang-cy, e.g. each
     language's column of the landing page with its name form, labels, placeholder and buttons) gets that lang,
     so a screen reader reads the English column of a Welsh page in an English voice (WCAG 3.1.2). */
  function fixPartLanguage(root) {
    each(root, ".fmse-lang-en, .fmse-lang-cy", function (el) {
      setAttr(el, "lang", el.classList.contains("fmse-lang-en") ? "en" : "cy");
    });
  }

  /* The other language's names in the rendered text get their own lang (WCAG 3.1.2 Language of Parts). */
  var OTHER_SKIP = "script, style, textarea, select, option, label, button, code, pre, [contenteditable], " +
    ".widget-radio-box, .widget-checkbox, .fmse-other-lang";
  var otherLanguage = null;

  function otherPhrases() {
    if (otherLanguage) {
      return otherLanguage;
    }
    var el = document.querySelector("script.fmse-other-language");
    if (!el) {
      return null;
    }
    try {
      var data = JSON.parse(el.textContent);
      var escaped = data.phrases.map(function (p) {
        return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      });
      // Whole words only (no letter or digit either side), longest phrase first.
      otherLanguage = {
        lang: data.lang,
        pattern: new RegExp("(^|[^\\p{L}\\p{N}])(" + escaped.join("|") + ")(?![\\p{L}\\p{N}])", "u")
      };
    } catch (e) {
      otherLanguage = null;
    }
    return otherLanguage;
  }

  function markOtherLanguage() {
    var other = otherPhrases();
    var cells = document.getElementById("rendered_cells");
    if (!other || !cells) {
      return;
    }
    var walker = document.createTreeWalker(cells, NodeFilter.SHOW_TEXT);
    var found = [];
    var node;
    while ((node = walker.nextNode())) {
      var parent = node.parentElement;
      if (!parent || !other.pattern.test(node.nodeValue) || parent.closest(OTHER_SKIP)) {
        continue;
      }
      var within = parent.closest("[lang]");
      if (within && within.getAttribute("lang") === other.lang) {
        continue;
      }
      found.push(node);
    }
    found.forEach(function (text) {
      var m;
      while ((m = other.pattern.exec(text.nodeValue))) {
        var start = m.index + m[1].length;
        var phrase = text.splitText(start);
        text = phrase.splitText(m[2].length);
        var span = document.createElement("span");
        span.className = "fmse-other-lang";
        span.setAttribute("lang", other.lang);
        phrase.parentNode.insertBefore(span, phrase);
        span.appendChild(phrase);
      }
    });
  }

  /* Wide tables scroll sideways inside themselves: make the ones that scroll now reachable by keyboard. */
  function fixScrollers() {
    each(document, "#rendered_cells table, #rendered_cells pre", function (el) {
      var style = getComputedStyle(el);
      var scrolls = (style.overflowX === "auto" || style.overflowX === "scroll") &&
        el.scrollWidth > el.clientWidth + 1 && !el.querySelector("a[href], button, input, select, textarea");
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-fmse-scroller", "true");
      } else if (!scrolls && el.getAttribute("data-fmse-scroller") === "true") {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-fmse-scroller");
      }
    });
  }
  window.addEventListener("resize", function () { fixScrollers(); });

  /* fixScrollers reads the layout (getComputedStyle, scrollWidth), which makes the browser lay the whole page out
     again: once per fix() pass while the widgets are still being drawn that was the course's largest cost on a
     page's way to ready (issue 22: about 70 ms of module 0). So it runs once the page is ready (markReady) and
     then, after later changes, once they have stopped for SCROLLERS_MS. */
  var SCROLLERS_MS = 100;
  var scrollersTimer = null;

  function scheduleScrollers() {
    if (!ready) {
      return;
    }
    if (scrollersTimer) {
      clearTimeout(scrollersTimer);
    }
    scrollersTimer = setTimeout(function () {
      scrollersTimer = null;
      fixScrollers();
    }, SCROLLERS_MS);
  }

  /* ---- h15: tabs (ipywidgets' Tab) name their panels: lumino gives each tab role=tab and aria-selected;
     add aria-controls, and role=tabpanel with aria-labelledby on each panel (WAI-ARIA tabs pattern). ---- */
  function fixTabs(root) {
    each(root, ".widget-tab", function (box) {
      var bar = box.querySelector(":scope > .widget-tab-bar");
      var contents = box.querySelector(":scope > .widget-tab-contents");
      if (!bar || !contents) {
        return;
      }
      var tabs = bar.querySelectorAll('[role="tab"]');
      var panels = contents.children;
      Array.prototype.forEach.call(tabs, function (tab, i) {
        var panel = panels[i];
        if (!panel || !tab.id) {
          return;
        }
        setAttr(panel, "role", "tabpanel");
        setAttr(panel, "aria-labelledby", tab.id);
        setAttr(tab, "aria-controls", ensureId(panel, "fmse-tabpanel"));
      });
    });
  }
  /* ---- end h15 tabs ---- */

  /* Markdown has no table captions: a notebook writes <p class="fmse-table-caption"> just before its table,
     and here it becomes the table's <caption> (the table's name for screen readers; shown above it). */
  function fixCaptions(root) {
    each(root, "#rendered_cells p.fmse-table-caption", function (p) {
      var table = p.nextElementSibling;
      if (!table || table.tagName !== "TABLE" || table.caption) {
        return;
      }
      var caption = document.createElement("caption");
      caption.className = "fmse-table-caption";
      while (p.firstChild) {
        caption.appendChild(p.firstChild);
      }
      table.insertBefore(caption, table.firstChild);
      p.parentNode.removeChild(p);
    });
  }

  /* The learner remembered by this browser (widgets/learner_cookie.py): a .fmse-remember element the landing
     page shows once the learner has chosen carries the server address that sets the learner cookie
     (data-url) and the learner's query (data-query). Sent once; then the address bar shows the learner, so a
     bookmark keeps them too, and the element says data-fmse-remembered="true" (or "failed"). */
  function rememberLearner(root) {
    each(root, ".fmse-remember[data-url]", function (el) {
      var key = el.getAttribute("data-url");
      if (el.getAttribute("data-fmse-sent") === key) {
        return;
      }
      el.setAttribute("data-fmse-sent", key);
      fetch(key, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        var query = el.getAttribute("data-query") || "";
        if (query && window.history && window.history.replaceState) {
          window.history.replaceState(window.history.state, "", window.location.pathname + "?" + query);
        }
        el.setAttribute("data-fmse-remembered", "true");
      }).catch(function () {
        el.setAttribute("data-fmse-remembered", "failed");
      });
    });
  }

  function fix(root) {
    root = root || document;
    fixTabs(root);
    rememberLearner(root);
    each(root, ".fmse-live", function (el) {
      setAttr(el, "role", "status");
      setAttr(el, "aria-live", "polite");
    });
    each(root, ".fmse-alert", function (el) {
      setAttr(el, "role", "alert");
    });
    fixChoices(root);
    fixFields(root);
    fixDescriptions(root);
    fixRadioGroups(root);
    fixErrors(root);
    each(root, ".jp-OutputArea-output.lm-Panel", translateWidgetText);
    markBareUrls(root);
    fixCaptions(root);
    fixPartLanguage(root);
    markOtherLanguage();
    scheduleScrollers();
    fixLandmarks();
    checkReady();
  }

  /* Rendering has finished when Voilà has shown the cells (spinner gone), its JS bundle has
     turned every cell-output script into DOM, and every widget output holds its widget view. */
  function isRendered() {
    var cells = document.getElementById("rendered_cells");
    if (!cells || document.getElementById("loading") || cells.style.display === "none") {
      return false;
    }
    if (!window.voilaFmseFinished) {
      return false;
    }
    if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) {
      return false;
    }
    var pending = Array.prototype.some.call(
      cells.querySelectorAll(".jp-OutputArea-output.lm-Panel"),
      function (el) { return el.children.length === 0; }
    );
    return !pending;
  }

  /* Widget views build their children asynchronously, so "ready" also waits for the DOM to be
     quiet for SETTLE_MS (at most MAX_WAIT_MS after the checks above first pass, for pages with
     widgets that never stop updating). */
  var SETTLE_MS = 300;
  var MAX_WAIT_MS = 3000;
  var ready = false;
  var firstRendered = 0;
  var settleTimer = null;

  function markReady() {
    if (ready) {
      return;
    }
    ready = true;
    fixScrollers();
    document.documentElement.setAttribute("data-fmse-ready", "true");
    try {
      document.dispatchEvent(new CustomEvent("fmse:ready"));
    } catch (e) {
      /* very old browsers: the attribute is enough */
    }
  }

  function checkReady() {
    if (ready || !isRendered()) {
      return;
    }
    var now = Date.now();
    if (!firstRendered) {
      firstRendered = now;
    }
    if (settleTimer) {
      clearTimeout(settleTimer);
    }
    var wait = Math.max(0, Math.min(SETTLE_MS, firstRendered + MAX_WAIT_MS - now));
    settleTimer = setTimeout(function () {
      settleTimer = null;
      if (isRendered()) {
        markReady();
      }
    }, wait);
  }

  /* The stock body_footer calls window.voila_finish() once the last cell has streamed in; it only
     shows the cells once the JupyterLab theme has loaded (voila.js calls it again then). Wrap it,
     and display_cells, so the fixes run right after the cells become visible. */
  function wrapFinish(name) {
    var original = window[name];
    if (typeof original !== "function" || original.fmseWrapped) {
      return;
    }
    var wrapped = function () {
      var result = original.apply(this, arguments);
      if (!document.getElementById("loading")) {
        window.voilaFmseFinished = true;
      }
      fix(document);
      return result;
    };
    wrapped.fmseWrapped = true;
    window[name] = wrapped;
  }
  wrapFinish("voila_finish");
  wrapFinish("display_cells");

  /* The widgets' renderer (Voilà's widgets manager) writes an English "Loading widget..." into each widget's
     output until its view is built, and an English error if its model is missing. Said in the page's
     language here, inside the observer's callback (before the browser paints), so the English never shows;
     English pages get the course's wording too. */
  var WIDGET_TEXTS = {
    "Loading widget...": "widget_loading",
    "Error displaying widget: model not found": "widget_error"
  };

  function translateWidgetText(el) {
    if (!el || el.nodeType !== 1 || el.childNodes.length !== 1 || el.firstChild.nodeType !== 3) {
      return;
    }
    var key = WIDGET_TEXTS[el.textContent];
    var text = key && strings()[key];
    if (text) {
      el.textContent = text;
    }
  }

  /* A renderer often writes its text before its node is in the page: look inside what was added too. */
  function translateAddedWidgetText(node) {
    if (node.nodeType !== 1) {
      return;
    }
    var text = node.textContent;
    if (text.indexOf("Loading widget") === -1 && text.indexOf("Error displaying widget") === -1) {
      return;
    }
    translateWidgetText(node);
    each(node, "*", translateWidgetText);
  }

  var scheduled = false;
  var observer = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      if (records[i].type === "childList") {
        translateWidgetText(records[i].target);
        Array.prototype.forEach.call(records[i].addedNodes, translateAddedWidgetText);
      }
    }
    // While the page is still arriving its cells are hidden behind the loading message: the fixes run once it
    // has arrived (DOMContentLoaded below) instead of once per piece of it (issue 22: a page's time).
    if (scheduled || document.readyState === "loading") {
      return;
    }
    scheduled = true;
    // Batch the bursts of mutations widget rendering produces into one pass.
    setTimeout(function () {
      scheduled = false;
      fix(document);
    }, 0);
  });
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["class"]
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { fix(document); });
  }
  fix(document);

  window.fmseCourse = { fix: fix, isRendered: isRendered };
})();
