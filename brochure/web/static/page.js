// The counselor page: keeps the preview in step with the form.
//
// In: the form's fields (sent in a POST body to the preview URL whenever a choice
// changes, or shortly after typing stops). Out: page pictures in #pages, labelled in
// the handout's language and direction, a status line for screen readers, and each
// problem beside the field it concerns. Download and Print wait until the preview shows
// what the form says. Every preview request is numbered: the server drops the work of
// one a newer request has superseded. The name and note are only ever sent in request
// bodies; nothing is kept in the browser's storage. Without this script the form still
// works: its buttons post it and the page comes back with the preview or the problems.
"use strict";

(function () {
  const form = document.getElementById("choices");
  const preview = document.getElementById("preview");
  const pages = document.getElementById("pages");
  const status = document.getElementById("preview-status");
  const topic = document.getElementById("topic");
  const name = document.getElementById("name");
  const note = document.getElementById("note");
  const noteCount = document.getElementById("note-count");
  const download = document.getElementById("download");
  const print = document.getElementById("print");
  const why = document.getElementById("download-why");
  const uiSwitch = document.getElementById("ui");
  const TYPING_PAUSE_MS = 300;  // short: the final preview is due 1.5 s after the last key
  const CHOICE_PAUSE_MS = 150;  // arrowing through a radio group asks once, at the end

  let timer = null;
  let controller = null;
  let sequence = 0;

  document.documentElement.classList.add("js");

  function setState(state) {
    preview.dataset.state = state;
    preview.setAttribute("aria-busy", state === "loading" ? "true" : "false");
    const ready = state === "ready";
    download.disabled = !ready;  // stale, loading or in error: not what the form says
    print.disabled = !ready;
    why.hidden = ready;
  }

  // Each problem beside its field (the whole request's above the form).
  function showProblems(fields) {
    for (const box of form.querySelectorAll(".field-problem")) {
      const texts = fields[box.dataset.field] || [];
      box.replaceChildren(...texts.map(function (text) {
        const span = document.createElement("span");
        span.textContent = text + " ";
        return span;
      }));
      box.hidden = texts.length === 0;
      const control = document.getElementById(box.dataset.field);
      if (control) {
        if (texts.length) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    }
    const first = Object.keys(fields).find(function (f) { return f !== "form"; });
    const box = first && document.getElementById(first + "-problem");
    if (box) box.setAttribute("role", "alert");
  }

  function showReview(review) {
    document.getElementById("review").dataset.draft = String(review.draft);
    document.getElementById("review-status").textContent = review.status;
    document.getElementById("review-date").textContent = review.date;
    const reviewNote = document.getElementById("review-note");
    reviewNote.textContent = review.note;
    reviewNote.lang = review.lang;
    reviewNote.dir = review.dir;
    reviewNote.hidden = !review.note;
  }

  function showPages(data) {
    pages.lang = data.language;
    pages.dir = data.direction;
    const title = document.createElement("p");
    title.className = "preview-title";
    title.id = "preview-title";
    title.textContent = data.title;
    const pictures = data.images.map(function (src, index) {
      const img = document.createElement("img");
      img.src = src;
      img.alt = title.textContent + " — " + (index + 1) + " / " + data.pages;
      img.className = "page";
      img.decoding = "async";
      return img;
    });
    pages.replaceChildren(title, ...pictures);
    preview.dataset.language = data.language;
    preview.dataset.also = data.also || "";
    preview.dataset.layout = data.layout;
    preview.dataset.personalised = String(data.personalised);
    status.textContent = data.status;
    showReview(data.review);
  }

  async function update() {
    timer = null;
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = ++sequence;
    preview.dataset.sequence = String(mine);
    setState("loading");
    status.textContent = preview.dataset.updating;
    const body = new FormData(form);
    body.set("seq", String(mine));
    body.delete("as");
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST", body: body, signal: controller.signal,
        cache: "no-store", credentials: "same-origin",
      });
      if (mine !== sequence) return;
      if (response.status === 409) return;  // superseded: a newer preview is on its way
      const data = await response.json();
      if (mine !== sequence) return;
      if (!response.ok) {
        showProblems(data.fields || { form: data.problems || [data.error] });
        status.textContent = preview.dataset.failed;
        setState("error");
        return;
      }
      showProblems({});
      showPages(data);
      setState("ready");
    } catch (error) {
      if (error.name === "AbortError" || mine !== sequence) return;
      showProblems({ form: [preview.dataset.unreachable] });
      status.textContent = preview.dataset.unreachable;
      setState("error");
    }
  }

  // Any change makes the preview stale at once; the new one is asked for after a pause.
  function schedule(delay) {
    if (timer !== null) clearTimeout(timer);
    setState(preview.dataset.state === "error" ? "error" : "stale");
    timer = setTimeout(update, delay);
  }

  // Only the languages the chosen topic has can be chosen.
  function syncLanguages() {
    const option = topic.options[topic.selectedIndex];
    const available = (option.dataset.languages || "").split(" ");
    let checkedOk = false;
    for (const input of form.querySelectorAll("input[name=lang]")) {
      input.disabled = !available.includes(input.value);
      input.closest("label").hidden = input.disabled;
      if (input.checked && !input.disabled) checkedOk = true;
    }
    if (!checkedOk) {
      const first = form.querySelector("input[name=lang]:not(:disabled)");
      if (first) first.checked = true;
    }
    const also = form.querySelector("select[name=also]");
    if (also) {
      for (const choice of also.options) {
        if (!choice.value) continue;
        choice.disabled = !available.includes(choice.value);
        choice.hidden = choice.disabled;
      }
      if (also.selectedOptions.length && also.selectedOptions[0].disabled) also.value = "";
    }
  }

  function countNote() {
    noteCount.textContent = noteCount.dataset.template.replace("{used}", String(note.value.length));
  }

  function clearPersonal() {
    name.value = "";
    note.value = "";
    countNote();
    // The pictures show the name: they go at once, not when the next preview arrives.
    pages.querySelectorAll("img.page").forEach(function (img) { img.remove(); });
    showProblems({});
    status.textContent = preview.dataset.cleared;
    name.focus();
    schedule(0);
  }

  form.addEventListener("change", function (event) {
    const target = event.target;
    if (target.name === "name" || target.name === "note") return;  // handled on input
    if (target === uiSwitch) {  // the page again in its new language, the form as typed
      form.requestSubmit(document.getElementById("ui-apply"));
      return;
    }
    if (target === topic) syncLanguages();
    schedule(CHOICE_PAUSE_MS);
  });
  form.addEventListener("input", function (event) {
    if (event.target === note) countNote();
    if (event.target === name || event.target === note) schedule(TYPING_PAUSE_MS);
  });
  // Enter in the name field asks for the preview now; it never downloads.
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === name) {
      event.preventDefault();
      schedule(0);
    }
  });
  form.addEventListener("submit", function (event) {
    const button = event.submitter;
    const action = button ? button.value : "preview";
    if (action === "preview") {
      event.preventDefault();
      schedule(0);
    } else if (action === "clear") {
      event.preventDefault();
      clearPersonal();
    } else if ((action === "download" || action === "print")
               && preview.dataset.state !== "ready") {
      event.preventDefault();  // the preview is stale or in error: show why instead
      why.hidden = false;
    }
  });

  syncLanguages();
  countNote();
  setState("stale");
  schedule(0);
})();
