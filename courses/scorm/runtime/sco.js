/* OncoForma SCO runtime: one lesson page of an exported SCORM package talking to the LMS.
 *
 * Plain ES2017, no dependency, no network, no eval, no inline script: the page loads this file
 * from ../shared/sco.js and reads everything it needs from its own markup (data attributes on
 * <body> and #quiz, the French messages in <script type="application/json" id="sco-messages">).
 * It works in any origin the LMS serves the package from, and without an LMS at all (the learner
 * can still read and answer; nothing is recorded).
 *
 * SCORM 1.2 (ADL SCORM Version 1.2 Run-Time Environment, section 3.4) and SCORM 2004 4th
 * edition (SCORM 2004 RTE, section 4.2) are both spoken; <body data-standard> says which.
 * The session ends with exactly one LMSFinish / Terminate per page life: when the quiz is
 * submitted or the lesson's end is reached, else when the page goes away (pagehide, with
 * beforeunload and unload as fallbacks for browsers that miss it).
 */
(function () {
  "use strict";

  var body = document.body;
  var standard = body.getAttribute("data-standard") === "2004" ? "2004" : "1.2";
  // The right answers that pass the quiz (the course's pass mark of its questions, rounded
  // to the nearest, halves down: the page states it before the learner starts).
  var required = parseInt(body.getAttribute("data-required"), 10);

  // SCORM 1.2 caps cmi.suspend_data at 4096 characters (CMIString4096, RTE 3.4.2.1.14);
  // SCORM 2004 raises the smallest permitted maximum to 64000 (RTE 4.2.26).
  var SUSPEND_DATA_MAX = standard === "2004" ? 64000 : 4096;
  // cmi.interactions.n.description is a localized_string_type(SPM: 250) (SCORM 2004 RTE 4.2.9).
  var DESCRIPTION_MAX = 250;
  // The suspend_data format's version: bump it whenever the format changes, so that a package
  // never restores answers saved by a different one.
  var SUSPEND_FORMAT = "1";

  var DEFAULT_MESSAGES = {
    answer_all: "Répondez à toutes les questions avant de valider (il en reste {missing}).",
    passed_title: "Quiz réussi",
    failed_title: "Quiz non réussi",
    score:
      "{right} bonne(s) réponse(s) sur {total}, soit {score}\u00a0%. Pour réussir\u00a0: {required} sur {total}.",
    correct: "Bonne réponse.",
    incorrect: "Réponse incorrecte. La bonne réponse était\u00a0: {answer}.",
    withheld: "Réponse incorrecte\u00a0: relisez la leçon pour trouver la bonne réponse.",
    completed: "Votre progression a été transmise à votre plateforme de formation.",
    resumed: "Vos réponses précédentes ont été restaurées.",
    no_lms:
      "Aucune plateforme de formation détectée\u00a0: vous pouvez lire et répondre, mais rien ne sera enregistré.",
    retry: "Pour retenter le quiz, relisez la leçon puis relancez ce module depuis votre plateforme.",
    ended:
      "La session avec votre plateforme de formation est terminée\u00a0: relancez la leçon depuis la plateforme pour continuer."
  };

  var messages = readMessages();

  function readMessages() {
    var node = document.getElementById("sco-messages");
    var parsed = {};
    if (node) {
      try {
        parsed = JSON.parse(node.textContent) || {};
      } catch (error) {
        parsed = {};
      }
    }
    var merged = {};
    Object.keys(DEFAULT_MESSAGES).forEach(function (key) {
      merged[key] =
        typeof parsed[key] === "string" && parsed[key] !== "" ? parsed[key] : DEFAULT_MESSAGES[key];
    });
    return merged;
  }

  function message(key, values) {
    return messages[key].replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name)
        ? String(values[name])
        : whole;
    });
  }

  var statusNode = document.getElementById("sco-status");

  function say(text) {
    if (statusNode) {
      statusNode.textContent = text;
    }
  }

  // --- Finding the LMS's API object ------------------------------------------------------------
  // ADL's discovery algorithm: the window's parents (at most 7 levels up, as in ADL's SCORM 1.2
  // sample code), then the opener and the opener's parents. A frame of another origin throws on
  // access: it cannot be the LMS's frame, so the search goes on past it.

  var API_NAME = standard === "2004" ? "API_1484_11" : "API";
  var MAX_PARENTS = 7;

  function apiOf(win) {
    try {
      var candidate = win[API_NAME];
      return candidate && typeof candidate === "object" ? candidate : null;
    } catch (error) {
      return null;
    }
  }

  function parentOf(win) {
    try {
      return win.parent && win.parent !== win ? win.parent : null;
    } catch (error) {
      return null;
    }
  }

  function scan(start) {
    var win = start;
    for (var level = 0; win && level <= MAX_PARENTS; level++) {
      var found = apiOf(win);
      if (found) {
        return found;
      }
      win = parentOf(win);
    }
    return null;
  }

  function openerOf(win) {
    try {
      return win && win.opener ? win.opener : null;
    } catch (error) {
      return null;
    }
  }

  function findAPI() {
    var found = scan(window);
    if (!found && openerOf(window)) {
      found = scan(openerOf(window));
    }
    if (!found) {
      var top = null;
      try {
        top = window.top;
      } catch (error) {
        top = null;
      }
      if (top && top !== window && openerOf(top)) {
        found = scan(openerOf(top));
      }
    }
    return found;
  }

  // --- One vocabulary over the two standards ------------------------------------------------

  var names =
    standard === "2004"
      ? {
          initialize: "Initialize",
          terminate: "Terminate",
          getValue: "GetValue",
          setValue: "SetValue",
          commit: "Commit",
          entry: "cmi.entry",
          mode: "cmi.mode",
          suspendData: "cmi.suspend_data",
          sessionTime: "cmi.session_time",
          exit: "cmi.exit",
          count: "cmi.interactions._count"
        }
      : {
          initialize: "LMSInitialize",
          terminate: "LMSFinish",
          getValue: "LMSGetValue",
          setValue: "LMSSetValue",
          commit: "LMSCommit",
          entry: "cmi.core.entry",
          mode: "cmi.core.lesson_mode",
          suspendData: "cmi.suspend_data",
          sessionTime: "cmi.core.session_time",
          exit: "cmi.core.exit",
          count: "cmi.interactions._count"
        };

  var lms = {
    api: null,
    connected: false,
    finished: false,
    review: false,
    startedAt: Date.now()
  };

  function call(name, argument1, argument2) {
    if (!lms.api || typeof lms.api[name] !== "function") {
      return "";
    }
    try {
      return arguments.length > 2
        ? lms.api[name](argument1, argument2)
        : lms.api[name](argument1);
    } catch (error) {
      return "";
    }
  }

  function get(element) {
    var value = call(names.getValue, element);
    return value === null || value === undefined ? "" : String(value);
  }

  function set(element, value) {
    if (!lms.connected || lms.finished) {
      return false;
    }
    return String(call(names.setValue, element, String(value))) === "true";
  }

  function connect() {
    lms.api = findAPI();
    if (!lms.api) {
      return false;
    }
    lms.connected = String(call(names.initialize, "")) === "true";
    return lms.connected;
  }

  // --- Time formats ---------------------------------------------------------------------------

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) {
      text = "0" + text;
    }
    return text;
  }

  // SCORM 1.2 CMITimespan: HHHH:MM:SS.SS (RTE 3.4.2.1.10), hours on 2 to 4 digits.
  function timespan12(milliseconds) {
    var centis = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.min(9999, Math.floor(centis / 360000));
    var minutes = Math.floor((centis % 360000) / 6000);
    var seconds = Math.floor((centis % 6000) / 100);
    return (
      pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(centis % 100, 2)
    );
  }

  // SCORM 2004 timeinterval (second,10,2): an ISO 8601 duration, PT#H#M#S at most 2 decimals
  // (RTE 4.2.23 and 4.1.1.4).
  function timespan2004(milliseconds) {
    var centis = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.floor(centis / 360000);
    var minutes = Math.floor((centis % 360000) / 6000);
    var seconds = Math.floor((centis % 6000) / 100);
    var fraction = centis % 100;
    var text = "PT";
    if (hours) {
      text += hours + "H";
    }
    if (hours || minutes) {
      text += minutes + "M";
    }
    text += seconds + (fraction ? "." + pad(fraction, 2) : "") + "S";
    return text;
  }

  function sessionTime() {
    var elapsed = Date.now() - lms.startedAt;
    return standard === "2004" ? timespan2004(elapsed) : timespan12(elapsed);
  }

  // --- Ending the session, exactly once -------------------------------------------------------

  function finish(done) {
    if (!lms.connected || lms.finished) {
      return false;
    }
    if (!lms.review) {
      set(names.sessionTime, sessionTime());
      if (standard === "2004") {
        set(names.exit, done ? "normal" : "suspend");
      } else {
        set(names.exit, done ? "" : "suspend");
      }
    }
    call(names.commit, "");
    // Set before the call: a pagehide fired while the LMS is answering must not finish twice.
    lms.finished = true;
    return String(call(names.terminate, "")) === "true";
  }

  function leave() {
    finish(false);
  }

  window.addEventListener("pagehide", leave);
  window.addEventListener("pageshow", function (event) {
    // Back from the browser's back-forward cache after pagehide ended the session: the LMS no
    // longer listens to this page. Say so and stop the quiz, rather than let answers go nowhere.
    if (event.persisted && lms.connected && lms.finished) {
      say(messages.ended);
      var controls = document.querySelectorAll("#quiz fieldset, #quiz button");
      for (var i = 0; i < controls.length; i += 1) {
        controls[i].disabled = true;
      }
    }
  });
  window.addEventListener("beforeunload", leave);
  window.addEventListener("unload", leave);
  document.addEventListener("visibilitychange", function () {
    // A phone may discard a hidden tab without any further event: save what there is now.
    if (document.visibilityState === "hidden" && lms.connected && !lms.finished) {
      call(names.commit, "");
    }
  });

  // --- Start ------------------------------------------------------------------------------------

  var resuming = false;

  if (connect()) {
    // Reviewing (or browsing) records nothing: the LMS keeps the status the learner earned.
    var mode = get(names.mode);
    lms.review = mode === "review" || mode === "browse";
    resuming = get(names.entry) === "resume";
    if (!lms.review) {
      if (standard === "2004") {
        var completion = get("cmi.completion_status");
        if (completion === "" || completion === "unknown" || completion === "not attempted") {
          set("cmi.completion_status", "incomplete");
        }
      } else {
        var lessonStatus = get("cmi.core.lesson_status");
        if (lessonStatus === "" || lessonStatus === "not attempted") {
          set("cmi.core.lesson_status", "incomplete");
        }
      }
    }
  } else {
    // No API found, or one that refused to start a session: either way nothing is recorded.
    say(messages.no_lms);
  }

  var quiz = document.getElementById("quiz");
  if (quiz) {
    startQuiz(quiz);
  } else {
    watchLessonEnd(document.getElementById("lesson-end"));
  }

  // --- A lesson without a quiz: completed when its end is reached ---------------------------------

  function watchLessonEnd(end) {
    if (!end) {
      return;
    }
    var reached = false;

    function complete() {
      if (reached) {
        return;
      }
      reached = true;
      if (!lms.connected || lms.finished) {
        return;
      }
      if (!lms.review) {
        if (standard === "2004") {
          set("cmi.completion_status", "completed");
        } else {
          var current = get("cmi.core.lesson_status");
          // Never turn an earlier passed (or failed) into a mere completed.
          if (current !== "passed" && current !== "failed") {
            set("cmi.core.lesson_status", "completed");
          }
        }
      }
      if (finish(true)) {
        say(messages.completed);
      }
    }

    function inView() {
      var box = end.getBoundingClientRect();
      var height = window.innerHeight || document.documentElement.clientHeight;
      return box.top < height && box.bottom > 0;
    }

    if (typeof window.IntersectionObserver === "function") {
      // Its first report comes at once when the end is already on screen (a short lesson).
      var observer = new window.IntersectionObserver(function (entries) {
        for (var i = 0; i < entries.length; i++) {
          if (entries[i].isIntersecting) {
            observer.disconnect();
            complete();
            return;
          }
        }
      });
      observer.observe(end);
    } else {
      var check = function () {
        if (inView()) {
          window.removeEventListener("scroll", check);
          window.removeEventListener("resize", check);
          complete();
        }
      };
      window.addEventListener("scroll", check, { passive: true });
      window.addEventListener("resize", check);
      check();
    }
  }

  // --- A lesson with a quiz ---------------------------------------------------------------------

  function startQuiz(section) {
    var form = document.getElementById("quiz-form");
    var errorNode = document.getElementById("quiz-error");
    var result = document.getElementById("result");
    var questions = Array.prototype.slice.call(
      section.querySelectorAll("fieldset.sco-question")
    );
    var submitted = false;
    // Multiple-response questions earn partial credit (the course's setting).
    var partial = section.getAttribute("data-partial") === "1";

    // A question's options: radio buttons, or checkboxes for a multiple-response question.
    function radios(question) {
      return Array.prototype.slice.call(
        question.querySelectorAll('input[type="radio"], input[type="checkbox"]')
      );
    }

    function isMultiple(question) {
      return !!question.querySelector('input[type="checkbox"]');
    }

    // The letters of the options chosen, in order: "b", or "ace" for a multiple-response
    // question ("" when none is).
    function chosen(question) {
      return radios(question)
        .filter(function (input) {
          return input.checked;
        })
        .map(function (input) {
          return input.value;
        })
        .sort()
        .join("");
    }

    // suspend_data: "<version>~<quiz fingerprint>~<answers>", answers the letters chosen per
    // question ("-" when unanswered) joined by dots: "1~k2x9d0~a.ce.-.b". The
    // fingerprint (of the questions, their options and the options' order) keeps a re-exported
    // quiz whose questions or options changed from restoring answers given to others.
    function fingerprint() {
      // FNV-1a, 32 bits, in base 36: short, and enough to tell two quizzes apart.
      var hash = 0x811c9dc5;
      var text = questions
        .map(function (question) {
          return [question.getAttribute("data-interaction") || ""]
            .concat(
              radios(question).map(function (input) {
                return input.value + "=" + labelText(question, input.value);
              })
            )
            .join("|");
        })
        .join("\n");
      for (var i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
      }
      return hash.toString(36);
    }

    var quizFingerprint = fingerprint();

    function suspendData() {
      return (
        SUSPEND_FORMAT +
        "~" +
        quizFingerprint +
        "~" +
        questions
          .map(function (question) {
            return chosen(question) || "-";
          })
          .join(".")
      );
    }

    function restore(data) {
      var parts = data.split("~");
      if (parts.length !== 3 || parts[0] !== SUSPEND_FORMAT || parts[1] !== quizFingerprint) {
        return false;
      }
      var answers = parts[2].split(".");
      if (answers.length !== questions.length) {
        return false;
      }
      var restored = false;
      questions.forEach(function (question, index) {
        radios(question).forEach(function (input) {
          if (answers[index] !== "-" && answers[index].indexOf(input.value) >= 0) {
            input.checked = true;
            restored = true;
          }
        });
      });
      return restored;
    }

    function saveAnswers() {
      if (submitted || !lms.connected || lms.finished || lms.review) {
        return;
      }
      var data = suspendData();
      // Never hand the LMS more than the standard lets it keep: an over-long value would be
      // refused (error 405) or cut, and a cut value would restore wrong answers.
      if (data.length <= SUSPEND_DATA_MAX) {
        set(names.suspendData, data);
      }
    }

    if (resuming) {
      var saved = get(names.suspendData);
      if (saved && restore(saved)) {
        say(messages.resumed);
      }
    }

    form.addEventListener("change", function (event) {
      var question = event.target.closest ? event.target.closest("fieldset.sco-question") : null;
      if (question) {
        question.classList.remove("sco-question--missing");
      }
      saveAnswers();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (submitted) {
        return;
      }
      var missing = [];
      questions.forEach(function (question, index) {
        var unanswered = chosen(question) === "";
        question.classList.toggle("sco-question--missing", unanswered);
        if (unanswered) {
          missing.push(index);
        }
      });
      if (missing.length) {
        errorNode.textContent = message("answer_all", { missing: missing.length });
        errorNode.hidden = false;
        var first = radios(questions[missing[0]])[0];
        if (first) {
          first.focus();
        }
        return;
      }
      errorNode.hidden = true;
      errorNode.textContent = "";
      submitted = true;
      grade();
    });

    // The keys reach the browser because the quiz is graded here: the LMS receives only the
    // result. data-key is the correct letters XORed with data-salt, in base 64; decoding it
    // takes a minute, so this only keeps the answers from being read at a glance in the page's
    // source. It is obfuscation, not protection, and is decoded only at grading time.
    function keys() {
      var salt = section.getAttribute("data-salt") || "";
      var bytes = "";
      try {
        bytes = window.atob(section.getAttribute("data-key") || "");
      } catch (error) {
        bytes = "";
      }
      var text = "";
      for (var i = 0; i < bytes.length; i++) {
        var mask = salt.length ? salt.charCodeAt(i % salt.length) : 0;
        text += String.fromCharCode(bytes.charCodeAt(i) ^ mask);
      }
      // One entry a question, dots between: "b.ace.d".
      return text.split(".");
    }

    // The text of the options with these letters ("ace": three of them, joined).
    function labelText(question, value) {
      return value
        .split("")
        .map(function (letter) {
          var input = question.querySelector('input[value="' + letter + '"]');
          var label =
            input && input.id ? question.querySelector('label[for="' + input.id + '"]') : null;
          return label ? label.textContent.trim() : letter;
        })
        .join(" ; ");
    }

    // What a question earns, 0 to 1: 1 for exactly its keys. With partial credit (the
    // course's setting, multiple-response questions only), each key chosen earns 1/keys and
    // each wrong option chosen costs 1/(options - keys), never below 0: as the site grades.
    function credit(question, response, key) {
      if (response === key) {
        return 1;
      }
      if (!(partial && isMultiple(question)) || response === "") {
        return 0;
      }
      var right = 0;
      var wrong = 0;
      response.split("").forEach(function (letter) {
        if (key.indexOf(letter) >= 0) {
          right += 1;
        } else {
          wrong += 1;
        }
      });
      var others = radios(question).length - key.length;
      var earned = right / key.length - (others > 0 ? wrong / others : 0);
      return Math.max(0, earned);
    }

    // SCORM's form of several choices: "a,c,e" (1.2), "a[,]c[,]e" (2004).
    function scormChoices(letters) {
      return letters.split("").join(standard === "2004" ? "[,]" : ",");
    }

    function stemText(question) {
      var stem = question.querySelector(".sco-question__stem");
      var text = (stem ? stem.textContent : "").replace(/\s+/g, " ").trim();
      // A leading "{" would read as a language delimiter ({lang=fr}) in a localized string.
      text = text.replace(/^\{+/, "");
      return text.length > DESCRIPTION_MAX ? text.slice(0, DESCRIPTION_MAX - 1) + "…" : text;
    }

    function report(graded, right, total, hundredths, passed) {
      if (!lms.connected || lms.finished) {
        return;
      }
      if (lms.review) {
        finish(true);
        return;
      }
      // Score in hundredths of a percent, rounded down: raw >= mastery exactly when the
      // learner reached the pass mark (8 of 10 against 80), as the LMS will compare it.
      var raw = String(hundredths / 100);
      graded.forEach(function (entry) {
        // SCORM 1.2 interactions are write-only journal entries: each is appended at the
        // current _count (RTE 3.4.2.7). SCORM 2004 keeps the same order.
        var n = parseInt(get(names.count), 10);
        if (!(n >= 0)) {
          n = 0;
        }
        var prefix = "cmi.interactions." + n + ".";
        set(prefix + "id", entry.id);
        set(prefix + "type", "choice");
        if (standard === "2004") {
          set(prefix + "description", entry.description);
          set(prefix + "weighting", "1");
          set(prefix + "learner_response", entry.response);
          set(prefix + "correct_responses.0.pattern", entry.key);
          set(prefix + "result", entry.correct ? "correct" : "incorrect");
        } else {
          set(prefix + "weighting", "1");
          set(prefix + "student_response", entry.response);
          set(prefix + "correct_responses.0.pattern", entry.key);
          set(prefix + "result", entry.correct ? "correct" : "wrong");
        }
      });
      if (standard === "2004") {
        set("cmi.score.min", "0");
        set("cmi.score.max", "100");
        set("cmi.score.raw", raw);
        set("cmi.score.scaled", String(hundredths / 10000));
        set("cmi.success_status", passed ? "passed" : "failed");
        set("cmi.completion_status", "completed");
      } else {
        set("cmi.core.score.min", "0");
        set("cmi.core.score.max", "100");
        set("cmi.core.score.raw", raw);
        // The manifest's adlcp:masteryscore carries the same pass mark, for an LMS that
        // decides by itself; this SCO decides with the same whole-number comparison.
        set("cmi.core.lesson_status", passed ? "passed" : "failed");
      }
      set(names.suspendData, suspendData());
      if (finish(true)) {
        say(messages.completed);
      }
    }

    function grade() {
      var letters = keys();
      var right = 0;
      var points = 0;
      var graded = questions.map(function (question, index) {
        var response = chosen(question);
        var key = letters[index] || "";
        var correct = response !== "" && response === key;
        if (correct) {
          right += 1;
        }
        points += key === "" ? 0 : credit(question, response, key);
        return {
          question: question,
          id: question.getAttribute("data-interaction") || "q-" + index,
          description: stemText(question),
          response: scormChoices(response),
          key: scormChoices(key),
          letters: key,
          correct: correct
        };
      });
      var total = questions.length;
      // Without a valid count (a page edited by hand), every answer must be right.
      var needed = required >= 1 && required <= total ? required : total;
      // Points are whole without partial credit; with it, thirds and the like: compared and
      // floored with a margin for the floating point ("4.333…" must not become 4.32).
      var passed = total > 0 && points + 1e-9 >= needed;
      var hundredths = total > 0 ? Math.floor((points * 10000) / total + 1e-6) : 0;
      // The course's review setting: a wrong answer's key is shown once the quiz is passed
      // ("after_pass"), else never (the package cannot know the platform's last attempt).
      var review = body.getAttribute("data-review") || "after_pass";
      var released = review === "after_pass" && passed;

      graded.forEach(function (entry) {
        var shown = entry.correct || released;
        var feedback = document.getElementById(entry.question.id + "-feedback");
        entry.question.classList.add(
          entry.correct ? "sco-question--correct" : "sco-question--incorrect"
        );
        radios(entry.question).forEach(function (input) {
          var choice = input.closest ? input.closest(".sco-choice") : input.parentNode;
          if (choice && shown && entry.letters.indexOf(input.value) >= 0) {
            choice.classList.add("sco-choice--key");
          }
          if (choice && input.checked && !entry.correct) {
            choice.classList.add("sco-choice--wrong");
          }
        });
        if (feedback) {
          feedback.textContent = entry.correct
            ? message("correct")
            : shown
              ? message("incorrect", { answer: labelText(entry.question, entry.letters) })
              : message("withheld");
          feedback.className =
            "sco-question__feedback " +
            (entry.correct ? "sco-question__feedback--correct" : "sco-question__feedback--incorrect");
          feedback.hidden = false;
        }
        entry.question.disabled = true;
      });
      var button = form.querySelector('button[type="submit"], button:not([type])');
      if (button) {
        button.disabled = true;
        button.hidden = true;
      }

      report(graded, right, total, hundredths, passed);

      document.getElementById("result-title").textContent = passed
        ? messages.passed_title
        : messages.failed_title;
      document.getElementById("result-text").textContent = message("score", {
        score: Math.floor(hundredths / 100),
        right: right,
        total: total,
        required: needed
      });
      if (!passed) {
        var advice = document.createElement("p");
        advice.className = "sco-result__retry";
        advice.textContent = messages.retry;
        result.appendChild(advice);
      }
      result.classList.add(passed ? "sco-result--passed" : "sco-result--failed");
      result.hidden = false;
      result.focus();
    }
  }
})();
