// incident-tracker: the header's menus (<details class="menu">). They open and close by their
// summary without this script; with it, one is open at a time, and Escape, a click elsewhere or
// moving the focus out closes it.
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("header.top details.menu"));
  if (!menus.length) { return; }

  function closeAll(except) {
    menus.forEach(function (menu) { if (menu !== except) { menu.open = false; } });
  }

  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () { if (menu.open) { closeAll(menu); } });
    menu.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !menu.contains(event.relatedTarget)) { menu.open = false; }
    });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("header.top details.menu")) { closeAll(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    menus.forEach(function (menu) {
      if (menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
    });
  });
})();
