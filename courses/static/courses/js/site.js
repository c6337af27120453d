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

document.addEventListener("DOMContentLoaded", () => {
  // A quiz's feedback links to its source in the lesson: bring the highlighted passage to the
  // reader's eyes and to a screen reader's cursor.
  const passage = document.getElementById("passage");
  if (passage && window.location.hash === "#passage") {
    passage.focus({ preventScroll: false });
  }
});
