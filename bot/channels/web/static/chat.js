// Tipline web chat: answers without reloading, Quick exit, "are you sure?" in the page,
// and the receipt's copy button. The page works without this file (plain form posts);
// this only improves it. Nothing is kept in storage.
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

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- the end of a report: the copy button ------------------------------------------
  function setUpClosing() {
    const copy = document.getElementById("copy");
    const said = document.querySelector("#closing ~ #status");
    if (!copy || !navigator.clipboard) return;
    copy.hidden = false;
    copy.addEventListener("click", async function () {
      const lines = Array.from(document.querySelectorAll("#codes .code-line"), function (line) {
        return line.textContent.replace(/\s+/g, " ").trim();
      });
      try {
        await navigator.clipboard.writeText(lines.join("\n"));
        said.textContent = copy.dataset.copied;
      } catch (error) {
        said.textContent = copy.dataset.failed;
      }
    });
  }
  setUpClosing();

  const log = document.getElementById("log");
  if (!log) return;
  const status = document.getElementById("status");
  const announce = document.getElementById("announce");
  const answer = document.getElementById("answer");
  const text = document.getElementById("text");
  const menu = document.getElementById("menu");
  const TYPED_ONLY = ["multi", "attachment", "confirm"];
  let messageId = newId();
  let opener = null;

  function newId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function who(mine) {
    return make("span", "visually-hidden", (mine ? log.dataset.you : log.dataset.bot) + " ");
  }

  function mine(said) {
    const item = make("div", "msg mine");
    item.dir = "auto";
    item.append(who(true), make("p", "", said));
    return item;
  }

  function bubble(reply) {
    const item = make("div", reply.question ? "msg bot question" : "msg bot");
    item.dir = reply.direction;
    item.append(who(false));
    reply.lines.forEach(function (line) { item.append(make("p", "", line)); });
    if (reply.items.length) {
      const list = make("ol", "readback");
      reply.items.forEach(function (pair, index) {
        const row = make("li");
        const value = make("span", "answer", pair[1]);
        value.dir = "auto";
        const change = make("button", "change", log.dataset.change);
        change.type = "submit";
        change.name = "pick";
        change.value = String(index + 1);
        change.formNoValidate = true;
        change.setAttribute("form", "answer");
        change.append(make("span", "visually-hidden", ": " + pair[0]));
        row.append(make("span", "summary", pair[0]), " ", value, change);
        list.append(row);
      });
      item.append(list);
    }
    reply.after.forEach(function (line) { item.append(make("p", "", line)); });
    if (reply.question) {
      item.id = "question";
      item.tabIndex = -1;
    }
    return item;
  }

  function showQuestion(question, progress) {
    const box = document.getElementById("options");
    const expects = question ? question.expects : "";
    const confirming = expects === "confirm";
    const choices = ["choice", "multi", "yesno", "confirm"].includes(expects);
    box.textContent = "";
    box.classList.toggle("compose", confirming);
    if (question && question.options.length) {
      const set = make("fieldset");
      // A typed question's "I don't know" button needs no "Choose an answer" over it.
      const legend = make("legend", confirming || !choices ? "visually-hidden" : "",
        question.multi ? box.dataset.many : box.dataset.one);
      set.append(legend);
      question.options.forEach(function (option) {
        if (question.multi) {
          const label = make("label", "check");
          const input = make("input");
          input.type = "checkbox";
          input.name = "choice";
          input.value = option.id;
          label.append(input, " " + option.label);
          set.append(label);
          return;
        }
        const button = make("button", confirming ? "primary" : "", option.label);
        button.type = "submit";
        button.name = question.languages ? "locale" : "pick";
        button.value = option.id;
        button.formNoValidate = true;
        if (question.languages) { button.lang = option.id; button.dir = "auto"; }
        set.append(button);
      });
      box.append(set);
    }
    answer.dataset.step = (question && question.step) || "";
    answer.dataset.expects = expects || "";
    answer.elements.asked.value = question ? (question.step || "") + ":" + (expects || "") : "";
    const labels = {};
    if (question) question.options.forEach(function (o) { labels[o.id] = o.label; });
    answer.elements.labels.value = JSON.stringify(labels);
    const label = document.getElementById("text-label");
    label.textContent = choices ? label.dataset.or : label.dataset.typed;
    text.placeholder = label.textContent;
    text.required = !TYPED_ONLY.includes(expects);
    document.getElementById("typing").hidden = confirming;
    document.getElementById("hint").hidden = expects !== "date";
    document.getElementById("upload").hidden = expects !== "attachment";
    const line = document.getElementById("progress");
    line.textContent = progress || "";
    line.hidden = !progress;
  }

  function finished(turn) {
    // The conversation leaves the screen; the closing words and the receipt take its place.
    document.querySelectorAll(".chat, #answer, #menu, .confirm").forEach(function (node) {
      node.remove();
    });
    document.body.classList.add("ended");
    const closing = make("section", "closing");
    closing.id = "closing";
    closing.tabIndex = -1;
    turn.replies.forEach(function (reply) {
      reply.lines.forEach(function (line, index) {
        closing.append(make("p", index === 0 ? "lead" : "", line));
      });
      if (reply.codes.length) {
        const codes = make("div", "codes");
        codes.id = "codes";
        reply.codes.forEach(function (pair) {
          const code = make("span", "code", pair[1]);
          code.dir = "ltr";
          const line = make("p", "code-line");
          line.append(make("span", "code-label", pair[0]), " ", code);
          codes.append(line);
        });
        const copy = make("button", "copy", log.dataset.copy);
        copy.type = "button";
        copy.id = "copy";
        copy.hidden = true;
        copy.dataset.copied = log.dataset.copied;
        copy.dataset.failed = log.dataset.failed;
        codes.append(copy);
        closing.append(codes);
      }
      reply.after.forEach(function (line) { closing.append(make("p", "", line)); });
    });
    const said = make("p", "note");
    said.id = "status";
    said.setAttribute("role", "status");
    const wipe = make("a", "button wipe", log.dataset.again);
    wipe.id = "wipe";
    wipe.href = "/";
    const last = make("p", "wipe-line");
    last.append(wipe);
    document.querySelector("main .danger").after(closing, said, last);
    setUpClosing();
    closing.focus({ preventScroll: true });
    closing.scrollIntoView({ block: "start" });
  }

  function apply(turn, said) {
    document.documentElement.lang = turn.lang;
    document.documentElement.dir = turn.dir;
    if (turn.ended) { finished(turn); return; }
    if (said && !turn.restarted) log.append(mine(said));
    const old = document.getElementById("question");
    if (old) {
      old.removeAttribute("id");
      old.removeAttribute("tabindex");
      old.classList.remove("question");
    }
    let asked = null;
    let question = null;
    turn.replies.forEach(function (reply) {
      const drawn = bubble(reply);
      log.append(drawn);
      if (reply.question) { asked = reply; question = drawn; }
    });
    showQuestion(asked, turn.progress);
    if (!turn.kept) text.value = "";
    answer.querySelector("input[type=file]").value = "";
    status.textContent = turn.restarted ? log.dataset.expired : "";
    // Focus goes to the question itself (never to an answer), which is spoken as it is
    // focused; the other replies of the turn are announced once, after it.
    if (question) {
      question.focus({ preventScroll: true });
      question.scrollIntoView({ block: "start" });
    }
    const others = turn.replies.filter(function (r) { return !r.question; });
    announce.textContent = "";
    if (others.length) {
      window.setTimeout(function () {
        announce.textContent = others.map(function (r) { return r.lines.join(" "); }).join(" ");
      }, 300);
    }
  }

  function said(form, submitter) {
    if (submitter && submitter.name === "pick") return submitter.textContent;
    const checked = form.querySelectorAll("input[name=choice]:checked");
    if (checked.length) {
      return Array.from(checked, function (box) { return box.parentElement.textContent.trim(); }).join(", ");
    }
    return form === answer ? text.value.trim() : "";
  }

  function askFirst(kind, from) {
    const panel = document.getElementById("confirm-" + kind);
    opener = from;
    panel.hidden = false;
    answer.hidden = true;
    menu.hidden = true;
    panel.focus({ preventScroll: true });
    panel.scrollIntoView({ block: "start" });
  }

  function keepAnswers() {
    document.querySelectorAll(".confirm").forEach(function (panel) { panel.hidden = true; });
    answer.hidden = false;
    menu.hidden = false;
    (opener || document.getElementById("question") || text).focus();
  }

  async function send(form, submitter) {
    const data = new FormData(form, submitter);
    data.set("mid", messageId);
    const words = said(form, submitter);
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
      document.querySelectorAll("input[name=csrf]").forEach(function (input) { input.value = turn.csrf; });
      if (turn.confirm) { askFirst(turn.confirm, text); return; }
      menu.open = false;  // a command was carried out: the menu folds away again
      if (form.classList.contains("confirm-form")) {
        keepAnswers();
        log.textContent = "";  // started again: the deleted answers leave the screen too
      }
      apply(turn, form.classList.contains("confirm-form") ? "" : words);
    } catch (error) {
      status.textContent = log.dataset.offline;  // same id on retry: never sent twice
    } finally {
      form.removeAttribute("aria-busy");
    }
  }

  document.querySelectorAll("#answer, #commands, #receipt-form, .confirm-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      const submitter = event.submitter;
      if (submitter && submitter.name === "locale") return;  // a new language: a whole new page
      event.preventDefault();
      if (form.getAttribute("aria-busy")) return;
      if (submitter && submitter.name === "ask") { askFirst(submitter.value, submitter); return; }
      send(form, submitter);
    });
  });
  document.querySelectorAll(".confirm .keep").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); keepAnswers(); });
  });

  // Enter sends; Shift+Enter starts a new line.
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      answer.requestSubmit(answer.querySelector(".send"));
    }
  });
  // Typing while the question has focus goes into the answer box.
  document.addEventListener("keydown", function (event) {
    const typing = !document.getElementById("typing").hidden;
    const printable = event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (typing && printable && document.activeElement.id === "question") text.focus();
  });
})();
