// The review screen (templates/review/screen.html): one figure at a time, decided with the keyboard.
// The next figure is fetched (and claimed) while the current one is read, so a key shows it at once; decisions
// are sent in the background. Every request waits for the one before it: a decision is saved before the next
// figure is asked for, and the server never sees one curator's requests race each other.
// window.reviewTimings holds, per key that showed a figure, the milliseconds from the key to the figure drawn
// (read by tests/browser/test_review.py and bench/bench_review.py).
(function () {
  "use strict";
  const root = document.getElementById("review");
  if (!root) { return; }
  const narrowing = JSON.parse(document.getElementById("review-narrowing").textContent);
  const form = document.getElementById("review-edit");
  const csrfToken = form.elements.csrfmiddlewaretoken.value;
  const RENEW_MS = 60000;
  const MAX_SKIP = 300;

  const shown = [];       // every figure shown, in order: {id, data}
  let index = -1;         // the one on screen
  const decided = [];     // ids decided here, newest last: what undo takes back
  const AHEAD = 2;
  const ahead = [];       // promises of the next figures from the queue, in order (null: the queue is empty)
  const reserved = [];    // ids fetched ahead and not shown yet
  let waiting = false;    // a key is waiting for the next figure
  let requests = Promise.resolve();  // the last request sent: each one waits for it
  let pending = 0;
  const timings = window.reviewTimings = [];

  const $ = (id) => document.getElementById(id);

  function figureUrl(id, action) {
    return root.dataset.figureUrl.replace(/0\/$/, id + "/" + (action ? action + "/" : ""));
  }

  function readJson(response) {
    if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) {
      // A login page after the session ended, a refused CSRF token, a server error page.
      throw new Error(root.dataset.serverError + " (" + response.status + ")");
    }
    return response.json().then((body) => {
      if (!response.ok) {
        const error = new Error(body.error || response.statusText);
        error.body = body;
        throw error;
      }
      return body;
    });
  }

  // Run `send` (which returns a promise) after every request sent before it.
  function inTurn(send) {
    const result = requests.then(send);
    requests = result.catch(() => undefined);
    return result;
  }

  function get(url) {
    return inTurn(() => fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }))
      .then(readJson);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrfToken, "Accept": "application/json" },
    }).then(readJson);
  }

  function say(text, isError) {
    const message = $("review-message");
    message.textContent = text || "";
    message.classList.toggle("errornote", Boolean(isError));
  }

  function fetchNext() {
    const params = new URLSearchParams(narrowing);
    const skip = shown.slice(-MAX_SKIP).map((entry) => entry.id).concat(reserved).join(",");
    if (skip) { params.set("skip", skip); }
    return get(root.dataset.nextUrl + "?" + params)
      .then((body) => { if (!body.figure) { say(body.message); } return body.figure; });
  }

  function render(data) {
    const article = data.article;
    $("review-title").textContent = article.title;
    $("review-published").textContent = article.published;
    $("review-publisher").textContent = article.publisher;
    $("review-donors").textContent = article.donors || "—";
    $("review-public").href = article.url;
    $("review-admin").href = data.admin_url;
    $("review-status").textContent = data.status_label;
    $("review-status").className = "review-status status-" + data.status;
    $("review-before").textContent = data.before;
    $("review-paragraph").innerHTML = data.paragraph_html;  // built and escaped by the server (admin/display.py)
    $("review-after").textContent = data.after;
    const table = $("review-fields");
    table.replaceChildren(...data.fields.map(([label, value]) => {
      const row = document.createElement("tr");
      const th = document.createElement("th");
      const td = document.createElement("td");
      th.textContent = label;
      td.textContent = value;
      row.append(th, td);
      return row;
    }));
    $("review-reasons").replaceChildren(...data.reasons.map((reason) => {
      const item = document.createElement("li");
      item.textContent = reason;
      return item;
    }));
    $("review-figure").hidden = false;
  }

  // Draw the figure at `index`; with `started` (the key's time), record how long until it is on screen.
  function show(started) {
    const entry = shown[index];
    render(entry.data);
    requestAnimationFrame(() => {
      if (started !== undefined) {
        const ms = performance.now() - started;
        timings.push(ms);
        root.dataset.lastMs = ms.toFixed(1);
      }
      root.dataset.shown = String(entry.id);
      root.dataset.state = "ready";
    });
  }

  // Keep AHEAD figures fetched (and claimed) beyond the last one shown; each request skips those before it.
  function prefetch() {
    while (ahead.length < AHEAD) {
      const before = ahead.length ? ahead[ahead.length - 1] : Promise.resolve();
      ahead.push(before.then(fetchNext).then((data) => {
        if (data) { reserved.push(data.id); }
        return data;
      }).catch((error) => { say(error.message, true); return null; }));
    }
  }

  function forward(started) {
    if (index < shown.length - 1) {
      index += 1;
      show(started);
      return;
    }
    if (waiting) { return; }
    waiting = true;
    prefetch();
    ahead.shift().then((data) => {
      waiting = false;
      if (!data) {
        ahead.length = 0;  // asked again at the next key: others may have released figures
        root.dataset.state = "empty";
        return;
      }
      reserved.splice(reserved.indexOf(data.id), 1);
      shown.push({ id: data.id, data: data });
      index = shown.length - 1;
      show(started);
      prefetch();
    });
  }

  function back() {
    if (index <= 0) { return; }
    index -= 1;
    show(performance.now());
    const entry = shown[index];
    // Claim it again and show what others may have changed since.
    get(figureUrl(entry.id))
      .then((body) => { entry.data = body.figure; if (shown[index] === entry) { render(entry.data); } })
      .catch((error) => say(error.message, true));
  }

  // Save a decision in turn: its body is built when it is sent, so it carries the `seen` time the decision
  // before it (an undo's, say) brought back.
  function write(entry, action, bodyOf) {
    pending += 1;
    root.dataset.pending = String(pending);
    const done = inTurn(() => post(figureUrl(entry.id, action), bodyOf()))
      .then((body) => {
        entry.data = body.figure;
        if (shown[index] === entry) { render(entry.data); }
        return body;
      });
    done.catch((error) => say("#" + entry.id + ": " + error.message, true)).finally(() => {
      pending -= 1;
      root.dataset.pending = String(pending);
    });
    return done;
  }

  function seenBody(entry) {
    return () => new URLSearchParams({ seen: entry.data.seen });
  }

  function decide(action, started) {
    const entry = shown[index];
    if (!entry) { return; }
    say("");
    decided.push(entry.id);
    write(entry, action, seenBody(entry)).catch(() => {
      decided.splice(decided.lastIndexOf(entry.id), 1);
    });
    forward(started);
  }

  function undo() {
    const id = decided.pop();
    if (id === undefined) { say(root.dataset.nothingToUndo || "—"); return; }
    const at = shown.findIndex((entry) => entry.id === id);
    index = at;
    show(performance.now());
    write(shown[at], "undo", seenBody(shown[at]));
  }

  function openEditor() {
    const entry = shown[index];
    if (!entry) { return; }
    for (const [name, value] of Object.entries(entry.data.form)) {
      if (form.elements[name]) { form.elements[name].value = value; }
    }
    $("review-edit-errors").replaceChildren();
    form.hidden = false;
    form.elements.value.focus();
    form.elements.value.select();
  }

  function closeEditor() {
    form.hidden = true;
    if (document.activeElement) { document.activeElement.blur(); }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const started = performance.now();
    const entry = shown[index];
    write(entry, "edit", () => {
      form.elements.seen_updated_at.value = entry.data.seen;
      return new FormData(form);
    }).then(() => {
      decided.push(entry.id);
      closeEditor();
      forward(started);
    }).catch((error) => {
      const errors = (error.body && error.body.errors) || {};
      $("review-edit-errors").replaceChildren(...Object.entries(errors).map(([name, list]) => {
        const item = document.createElement("li");
        const messages = list.map((e) => e.message).join(" ");
        item.textContent = name === "__all__" ? messages : name + ": " + messages;
        return item;
      }));
    });
  });
  $("review-edit-cancel").addEventListener("click", closeEditor);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (!form.hidden) {
      if (event.key === "Escape") { event.preventDefault(); closeEditor(); }
      return;
    }
    if (event.target.closest && event.target.closest("input, select, textarea")) { return; }
    const started = performance.now();
    const actions = {
      v: () => decide("verify", started),
      r: () => decide("reject", started),
      e: openEditor,
      j: () => forward(started),
      k: back,
      u: undo,
      "?": () => { $("review-help").hidden = !$("review-help").hidden; },
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  // Renew the claims on the figure shown and on those fetched ahead, so that no one else is given them meanwhile.
  setInterval(() => {
    const entry = shown[index];
    if (document.hidden) { return; }
    for (const id of (entry ? [entry.id] : []).concat(reserved)) {
      inTurn(() => post(figureUrl(id, "claim"), new URLSearchParams())).catch((error) => say(error.message, true));
    }
  }, RENEW_MS);

  root.dataset.pending = "0";
  forward();
}());
