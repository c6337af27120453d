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

document.addEventListener("DOMContentLoaded", () => {
  // A box whose content waits on a background task (the certificate being issued, questions
  // being regenerated): ask the server for the box again, a little less often each time, and
  // put it in place once its state (the X-Poll-State header) is no longer a pending one.
  // Without this, the page says to reload it.
  for (const box of document.querySelectorAll("[data-poll]")) {
    const pending = (box.dataset.pollPending || "").split(" ");
    if (!pending.includes(box.dataset.state)) {
      continue;
    }
    const target = box.querySelector("[data-poll-target]") || box;
    const started = Date.now();
    const GIVE_UP_AFTER = 15 * 60 * 1000;
    let delay = 1500;
    const again = () => {
      if (Date.now() - started < GIVE_UP_AFTER) {
        delay = Math.min(delay * 1.5, 20000);
        window.setTimeout(poll, delay);
      }
    };
    const poll = () => {
      fetch(box.dataset.poll, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        cache: "no-store",
      })
        .then((response) => {
          if (!response.ok) {
            throw new Error(`HTTP ${response.status}`);
          }
          const state = response.headers.get("X-Poll-State");
          return response.text().then((html) => ({ state, html }));
        })
        .then(({ state, html }) => {
          if (state && !pending.includes(state)) {
            target.innerHTML = html;
            box.dataset.state = state;
          } else {
            again();
          }
        })
        .catch(again);
    };
    window.setTimeout(poll, delay);
  }
});

document.addEventListener("DOMContentLoaded", () => {
  // "Copier le lien": the invitation link to the clipboard (without this, select the field).
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = document.querySelector("[data-copy-status]");
    if (!field || !navigator.clipboard) {
      continue;
    }
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(
        () => {
          if (status) {
            status.textContent = button.dataset.copied;
          }
        },
        () => field.select(),
      );
    });
  }
  // A link to a closed <details> (a learner's answers to one attempt) opens it.
  const openTarget = (id) => {
    const target = id && document.getElementById(id);
    if (target instanceof HTMLDetailsElement) {
      target.open = true;
    }
  };
  openTarget(decodeURIComponent(location.hash.slice(1)));
  for (const link of document.querySelectorAll("a[data-open-details]")) {
    link.addEventListener("click", () => openTarget(link.hash.slice(1)));
  }
});
