// Tipline web chat: answers without reloading, and Quick exit. The page works without
// this file (plain form posts); this only improves it. Nothing is kept in storage.
"use strict";

(function () {
  const exit = document.getElementById("quick-exit");

  function quickExit(event) {
    if (event) event.preventDefault();
    document.body.hidden = true;
    // replace(): the chat leaves the tab's history, so Back does not return to it.
    window.location.replace(exit.href);
  }

  exit.addEventListener("click", quickExit);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") quickExit(event);
  });

  const log = document.getElementById("log");
  const status = document.getElementById("status");
  if (!log) return;
  const CHOICE_KINDS = ["choice", "multi", "yesno", "confirm"];
  let messageId = newId();

  function newId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function say(text, mine, dir) {
    const item = document.createElement("p");
    item.className = mine ? "msg mine" : "msg bot";
    item.dir = mine ? "auto" : dir;
    const who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = (mine ? log.dataset.you : log.dataset.bot) + " ";
    item.append(who, text);
    log.append(item);
  }

  function said(form, submitter) {
    if (form.id === "language") return "";
    if (submitter && submitter.name === "pick") return submitter.textContent;
    if (submitter && submitter.name === "locale") return "";
    const checked = form.querySelectorAll("input[name=choice]:checked");
    if (checked.length) {
      return Array.from(checked, function (box) { return box.parentElement.textContent.trim(); }).join(", ");
    }
    const text = form.querySelector("textarea");
    return text ? text.value.trim() : "";
  }

  function showQuestion(question) {
    const box = document.getElementById("options");
    if (!box) return;
    box.textContent = "";
    const expects = question ? question.expects : null;
    if (question && question.options.length) {
      const set = document.createElement("fieldset");
      set.className = "options";
      const legend = document.createElement("legend");
      legend.textContent = question.multi ? box.dataset.many : box.dataset.one;
      set.append(legend);
      question.options.forEach(function (option) {
        if (question.multi) {
          const label = document.createElement("label");
          label.className = "check";
          const input = document.createElement("input");
          input.type = "checkbox";
          input.name = "choice";
          input.value = option.id;
          label.append(input, " " + option.label);
          set.append(label);
        } else {
          const button = document.createElement("button");
          button.type = "submit";
          button.name = question.languages ? "locale" : "pick";
          button.value = option.id;
          button.textContent = option.label;
          if (question.languages) { button.lang = option.id; button.dir = "auto"; }
          set.append(button);
        }
      });
      box.append(set);
    }
    const form = document.getElementById("answer");
    form.dataset.step = (question && question.step) || "";
    form.dataset.expects = expects || "";
    const label = document.getElementById("text-label");
    label.textContent = CHOICE_KINDS.includes(expects) ? label.dataset.or : label.dataset.typed;
    document.getElementById("hint").hidden = expects !== "date";
    document.getElementById("upload").hidden = expects !== "attachment";
  }

  function finished() {
    ["answer", "commands"].forEach(function (id) {
      const form = document.getElementById(id);
      if (form) form.remove();
    });
    const link = document.createElement("a");
    link.className = "button";
    link.href = "/";
    link.textContent = log.dataset.again;
    const line = document.createElement("p");
    line.append(link);
    status.after(line);
    link.focus();
  }

  function apply(turn, form, submitter, text) {
    if (text && !turn.restarted) say(text, true, "auto");
    turn.replies.forEach(function (reply) { say(reply.text, false, reply.direction); });
    document.documentElement.lang = turn.lang;
    document.documentElement.dir = turn.dir;
    document.querySelectorAll("input[name=csrf]").forEach(function (input) { input.value = turn.csrf; });
    const picker = document.getElementById("locale");
    if (picker) picker.value = turn.lang;
    status.textContent = turn.restarted ? log.dataset.expired : "";
    if (turn.ended) { finished(); return; }
    const asked = turn.replies.filter(function (r) { return r.expects !== null; }).pop();
    showQuestion(asked || null);
    const answer = document.getElementById("answer");
    if (!turn.restarted) answer.querySelector("textarea").value = "";
    answer.querySelector("input[type=file]").value = "";
    const first = answer.querySelector("#options button, #options input");
    (first || answer.querySelector("textarea")).focus();
  }

  async function send(form, submitter) {
    const data = new FormData(form, submitter);
    data.set("mid", messageId);
    const text = said(form, submitter);
    const csrf = form.querySelector("input[name=csrf]").value;
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/api/turn", {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      });
      const turn = await response.json();
      if (!response.ok) {
        status.textContent = turn.message;  // what was typed stays in the box
        return;
      }
      messageId = newId();
      apply(turn, form, submitter, text);
    } catch (error) {
      status.textContent = log.dataset.offline;  // same id on retry: never sent twice
    } finally {
      form.removeAttribute("aria-busy");
    }
  }

  ["answer", "commands", "language"].forEach(function (id) {
    const form = document.getElementById(id);
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.getAttribute("aria-busy")) return;
      send(form, event.submitter);
    });
  });
})();
