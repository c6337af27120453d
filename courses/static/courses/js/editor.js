// The lesson editor's live preview: the text, as the server renders and sanitises it for
// learners, a moment after each change. Without this file, the "Preview" button does it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const preview = document.getElementById("editor-preview");
  const text = document.getElementById("id_text");
  const form = text && text.form;
  if (!preview || !text || !form) {
    return;
  }
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let timer = 0;
  let latest = 0;
  const refresh = () => {
    const asked = ++latest;
    const body = new FormData();
    body.append("text", text.value);
    fetch(preview.dataset.previewUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": token, Accept: "text/html" },
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        if (asked === latest) {
          preview.innerHTML = html; // sanitised by the server, as the lesson page is
        }
      })
      .catch(() => {});
  };
  text.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });
});
