// Progressive enhancements only: every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // On a phone the course outline starts folded, so that the lesson comes first.
  if (window.matchMedia("(max-width: 63.99rem)").matches) {
    for (const details of document.querySelectorAll("details[data-fold-on-mobile]")) {
      details.removeAttribute("open");
    }
  }
});
