// Live progress: connect the #live-socket element over a WebSocket (htmx ws extension);
// fall back to Server-Sent Events when WebSockets are missing or never open.
(function () {
  "use strict";
  var failures = 0;

  function useSse(old) {
    // A fresh element: the ws extension stops retrying once its element leaves the page.
    var el = old.cloneNode(false);
    el.removeAttribute("ws-connect");
    old.replaceWith(el);
    el.setAttribute("hx-ext", "sse");
    el.setAttribute("sse-connect", el.dataset.sse);
    var sink = document.createElement("div");
    sink.setAttribute("sse-swap", "update");
    sink.setAttribute("hx-swap", "none");
    el.replaceChildren(sink);
    el.dataset.transport = "sse";
    htmx.process(el);
  }

  function useWs(el) {
    el.setAttribute("hx-ext", "ws");
    el.setAttribute("ws-connect", el.dataset.ws);
    el.dataset.transport = "ws";
    htmx.process(el);
  }

  function connect() {
    var el = document.getElementById("live-socket");
    if (!el || !el.dataset.ws || el.dataset.transport) return;
    var forced = new URLSearchParams(location.search).get("live");
    if (!("WebSocket" in window) || forced === "sse") useSse(el); else useWs(el);
  }

  document.addEventListener("htmx:wsOpen", function () { failures = -1000; });
  document.addEventListener("htmx:wsClose", function () {
    failures += 1;
    var el = document.getElementById("live-socket");
    if (failures >= 2 && el && el.dataset.transport === "ws") useSse(el);
  });
  document.addEventListener("DOMContentLoaded", connect);
})();
