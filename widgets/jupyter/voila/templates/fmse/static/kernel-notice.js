/*
 * fmse: "this page's kernel has closed" notice, loaded by the fmse Voilà template (index.html.j2) before the
 * page connects to its kernel. Plain ES2017, no dependencies.
 *
 * The server closes a page's kernel when the page is left, when the browser session opens more than 8 pages
 * (the least recently used goes), or after a long time with nothing connected (widgets/kernels.py). If that
 * happens while the page is still open, its widgets stop answering. This script watches the page's kernel
 * websocket (by wrapping window.WebSocket, which the page's Jupyter code looks up when it connects); when it
 * closes while the page is not being left, it asks the server (GET <base>fmse/api/kernel/<id>, the owner's only)
 * whether the kernel is gone and why, and if it is, shows a notice in the page's language (role="alert") with a
 * button that reloads the same page. Wording: fmse_i18n.html.j2 (kernel_closed_*, kernel_reload), read from
 * script#fmse-i18n. Sets <html data-fmse-kernel-closed="<reason>"> (for tests).
 */
(function () {
  "use strict";

  if (window.fmseKernelNotice || typeof window.WebSocket !== "function") {
    return;
  }
  window.fmseKernelNotice = true;

  var CHANNELS = /\/api\/kernels\/([0-9a-f-]{36})\/channels/;
  var leaving = false;
  var shown = false;
  var checking = false;

  window.addEventListener("pagehide", function () { leaving = true; });
  window.addEventListener("beforeunload", function () { leaving = true; });

  function strings() {
    var el = document.getElementById("fmse-i18n");
    try {
      return el ? JSON.parse(el.textContent) : {};
    } catch (e) {
      return {};
    }
  }

  function baseUrl() {
    var el = document.getElementById("jupyter-config-data");
    try {
      var base = el ? JSON.parse(el.textContent).baseUrl : null;
      return base || "/";
    } catch (e) {
      return "/";
    }
  }

  function show(reason) {
    if (shown || leaving) {
      return;
    }
    shown = true;
    var t = strings();
    var text = t["kernel_closed_" + reason] || t.kernel_closed_other;
    if (!text) {
      return;
    }
    var box = document.createElement("div");
    box.className = "fmse-kernel-notice";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:sticky;top:0;z-index:10000;margin:0;padding:0.75em 1em;" +
      "background:#fff4ce;color:#1f1f1f;border:3px solid #8a5300;font-size:1.05rem;line-height:1.5;";
    var p = document.createElement("p");
    p.style.margin = "0 0 0.5em 0";
    p.textContent = text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fmse-kernel-reload";
    button.textContent = t.kernel_reload || "Reload";
    button.style.cssText = "min-height:44px;min-width:44px;padding:0.4em 1em;font-size:1rem;cursor:pointer;";
    button.addEventListener("click", function () { window.location.reload(); });
    box.appendChild(p);
    box.appendChild(button);
    var skip = document.getElementById("fmse-skip-link");
    if (skip && skip.parentNode === document.body) {
      document.body.insertBefore(box, skip.nextSibling);
    } else {
      document.body.insertBefore(box, document.body.firstChild);
    }
    document.documentElement.setAttribute("data-fmse-kernel-closed", reason);
  }

  function check(kernelId, attempt) {
    if (shown || leaving || checking) {
      return;
    }
    checking = true;
    fetch(baseUrl() + "fmse/api/kernel/" + kernelId, {credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        return response.json().catch(function () { return {state: "unknown"}; });
      })
      .then(function (answer) {
        checking = false;
        if (answer.state === "closed") {
          show(answer.reason || "other");
        } else if (answer.state === "unknown") {
          show("other");
        }
      })
      .catch(function () {
        checking = false;
        if (attempt < 5) {
          setTimeout(function () { check(kernelId, attempt + 1); }, 3000);
        } else {
          show("other");
        }
      });
  }

  var Native = window.WebSocket;
  function CourseWebSocket(url, protocols) {
    var socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    var found = CHANNELS.exec(String(url));
    if (found) {
      socket.addEventListener("close", function () {
        // Give a page that is being left the moment it needs to say so (pagehide comes after some closes).
        setTimeout(function () { check(found[1], 0); }, 500);
      });
    }
    return socket;
  }
  CourseWebSocket.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    Object.defineProperty(CourseWebSocket, name, {value: Native[name]});
  });
  window.WebSocket = CourseWebSocket;
})();
