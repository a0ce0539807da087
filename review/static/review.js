// casescan review: zoom for the page image and single-key shortcuts.
// Shortcuts only move focus to an action (Enter then confirms it), so a stray key never decides an
// item; they can be switched off (WCAG 2.1.4) and never fire while typing in a field.
(function () {
  "use strict";

  var ZOOMS = [100, 150, 200, 300, 400];
  var STORE = "casescan.shortcuts";

  function setZoom(viewer, level) {
    var img = viewer.querySelector("img");
    var status = document.getElementById("zoom-level");
    if (!img) { return; }
    viewer.dataset.zoom = String(level);
    img.style.width = level + "%";
    if (status) { status.textContent = "Zoom " + level + "%"; }
  }

  function zoom(direction) {
    var viewer = document.getElementById("viewer");
    if (!viewer) { return; }
    var current = Number(viewer.dataset.zoom || 100);
    var index = ZOOMS.indexOf(current);
    if (direction === "in") { index = Math.min(ZOOMS.length - 1, index + 1); }
    else if (direction === "out") { index = Math.max(0, index - 1); }
    else { index = 0; }
    setZoom(viewer, ZOOMS[index]);
  }

  function shortcutsOn() {
    var box = document.getElementById("shortcuts-enabled");
    return !box || box.checked;
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || !shortcutsOn()) { return; }
    var key = event.key === "=" ? "+" : event.key;
    var element = document.querySelector('[data-shortcut="' + CSS.escape(key) + '"]');
    if (!element) { return; }
    event.preventDefault();
    if (element.dataset.shortcutAction === "click") {
      element.click();
    } else if (element.tagName === "DETAILS") {
      element.open = !element.open;
      element.querySelector("summary").focus();
    } else {
      element.focus();
      element.scrollIntoView({ block: "center" });
    }
  }

  function setUpShortcutSwitch() {
    var box = document.getElementById("shortcuts-enabled");
    if (!box) { return; }
    var hiddenParent = box.closest("[hidden]");
    if (hiddenParent) { hiddenParent.removeAttribute("hidden"); }
    try { box.checked = window.localStorage.getItem(STORE) !== "off"; } catch (e) { box.checked = true; }
    box.addEventListener("change", function () {
      try { window.localStorage.setItem(STORE, box.checked ? "on" : "off"); } catch (e) { /* private mode */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var viewer = document.getElementById("viewer");
    if (viewer) {
      document.querySelectorAll("[data-zoom-action]").forEach(function (button) {
        button.removeAttribute("hidden");
        button.addEventListener("click", function () { zoom(button.dataset.zoomAction); });
      });
      setZoom(viewer, 100);
    }
    setUpShortcutSwitch();
    document.addEventListener("keydown", onKey);
  });
}());
