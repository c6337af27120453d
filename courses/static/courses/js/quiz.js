// The quiz page's enhancements. Without this file the quiz still works: the answers are sent
// with the submission and the time left is shown in minutes as of the page's loading.
"use strict";

(() => {
  // Answers are saved one by one, in the order given: a quick change of mind must not be
  // overtaken by the request it replaces.
  let queue = Promise.resolve();

  let quiet = 0;

  function announce(text) {
    const status = document.getElementById("quiz-status");
    if (status) {
      status.textContent = text;
      // Read out already; then out of the way of the options it floats over.
      window.clearTimeout(quiet);
      quiet = window.setTimeout(() => {
        status.textContent = "";
      }, 4000);
    }
  }

  async function save(form, fieldset, input) {
    const body = new FormData();
    body.append("position", fieldset.dataset.position);
    if (input.type === "checkbox") {
      // A multiple-response question: every option ticked now (none clears the answer).
      body.append("multiple", "1");
      for (const ticked of fieldset.querySelectorAll("input[type=checkbox]:checked")) {
        body.append("choice", ticked.value);
      }
    } else {
      body.append("choice", input.value);
    }
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    try {
      const response = await fetch(form.dataset.saveUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": token, Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      announce(response.ok ? fieldset.dataset.savedText : data.error || form.dataset.errorText);
    } catch {
      announce(form.dataset.errorText);
    }
  }

  function autosave(form) {
    const note = document.querySelector("[data-autosave-note]");
    if (note) {
      note.hidden = false;
    }
    form.addEventListener("change", (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || !["radio", "checkbox"].includes(input.type)) {
        return;
      }
      const fieldset = input.closest("fieldset[data-position]");
      if (fieldset) {
        queue = queue.then(() => save(form, fieldset, input));
      }
    });
  }

  function clock(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = String(seconds % 60).padStart(2, "0");
    return `${minutes}:${rest}`;
  }

  function countdown(timer, form) {
    const output = timer.querySelector("[data-time-left]");
    // Counted from the page's loading with the seconds the server sent: the device's clock
    // may be wrong, the server's deadline is what counts.
    const end = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
    let warned = false;
    let submitted = false;
    const tick = () => {
      const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      output.textContent = clock(left);
      if (left <= 60 && left > 0 && !warned) {
        warned = true;
        announce(timer.dataset.oneMinute);
      }
      // A second and a half late rather than early: the server, not this clock, says when
      // time is up, and an early submission would be refused as incomplete.
      if (Date.now() > end + 1500) {
        window.clearInterval(interval);
        timer.classList.add("quiz-timer--over");
        if (form && !submitted && !form.querySelector("fieldset[disabled]")) {
          // Sent within the grace period, this submission's answers still count.
          submitted = true;
          announce(timer.dataset.timeUp);
          form.submit();
        }
      }
    };
    const interval = window.setInterval(tick, 1000);
    tick();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("form[data-save-url]");
    if (form) {
      autosave(form);
    }
    const timer = document.querySelector("[data-seconds-left]");
    if (timer) {
      countdown(timer, form);
    }
    const errors = document.querySelector("[data-focus-on-load]");
    if (errors) {
      errors.focus();
    }
  });
})();
