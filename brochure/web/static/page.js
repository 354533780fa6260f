// The counselor page: keeps the preview in step with the form.
//
// In: the form's fields (sent in a POST body to the preview URL whenever a choice
// changes, or shortly after typing stops). Out: page pictures in #pages, labelled in
// the handout's language and direction, and a status line for screen readers.
// The name and note are only ever sent in request bodies; nothing is kept in the
// browser's storage.
"use strict";

(function () {
  const form = document.getElementById("choices");
  const preview = document.getElementById("preview");
  const pages = document.getElementById("pages");
  const status = document.getElementById("preview-status");
  const problems = document.getElementById("preview-problems");
  const topic = document.getElementById("topic");
  const note = document.getElementById("note");
  const noteUsed = document.getElementById("note-used");
  const TYPING_PAUSE_MS = 400;
  const CHOICE_PAUSE_MS = 150;  // arrowing through a radio group asks once, at the end

  let timer = null;
  let controller = null;
  let sequence = 0;

  function setState(state) {
    preview.dataset.state = state;
    preview.setAttribute("aria-busy", state === "loading" ? "true" : "false");
  }

  function showProblems(list) {
    problems.replaceChildren();
    if (!list.length) return;
    const ul = document.createElement("ul");
    for (const text of list) {
      const li = document.createElement("li");
      li.textContent = text;
      ul.append(li);
    }
    problems.append(ul);
  }

  function labelOf(id, fallback) {
    const input = document.getElementById(id);
    return input ? input.dataset.label : fallback;
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
    preview.dataset.layout = data.layout;
    preview.dataset.personalised = String(data.personalised);
    const count = data.pages + (data.pages === 1 ? " page" : " pages");
    status.textContent = "Preview ready: " + count + ", " + labelOf("lang-" + data.language, data.language) +
      ", " + labelOf("layout-" + data.layout, data.layout) + (data.personalised ? ", with the personal line." : ".");
  }

  async function update() {
    timer = null;
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = ++sequence;
    setState("loading");
    status.textContent = "Updating the preview…";
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST", body: new FormData(form), signal: controller.signal,
        cache: "no-store", credentials: "same-origin",
      });
      const data = await response.json();
      if (mine !== sequence) return;
      if (!response.ok) {
        showProblems(data.problems || [data.error]);
        status.textContent = "No preview: see the problem below.";
        setState("error");
        return;
      }
      showProblems([]);
      showPages(data);
      setState("ready");
    } catch (error) {
      if (error.name === "AbortError" || mine !== sequence) return;
      showProblems(["The preview could not be loaded (" + error.message + ")."]);
      status.textContent = "No preview.";
      setState("error");
    }
  }

  function schedule(delay) {
    if (timer !== null) clearTimeout(timer);
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
  }

  function countNote() {
    noteUsed.textContent = String(note.value.length);
  }

  form.addEventListener("change", function (event) {
    const target = event.target;
    if (target.name === "name" || target.name === "note") return;  // handled on input
    if (target === topic) syncLanguages();
    schedule(CHOICE_PAUSE_MS);
  });
  form.addEventListener("input", function (event) {
    if (event.target === note) countNote();
    if (event.target.name === "name" || event.target.name === "note") schedule(TYPING_PAUSE_MS);
  });

  syncLanguages();
  countNote();
  schedule(0);
})();
