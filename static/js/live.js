// Live roadshow room: one Socket.IO connection to the session's room.
// The server sends the whole state on every (re)connect and small changes afterwards.
// User text is only ever set with textContent, never as HTML.
(() => {
  "use strict";
  const root = document.getElementById("live-room");
  if (!root || typeof io !== "function") return;

  const t = root.dataset; // data-t-* strings, translated on the server
  const $ = (id) => document.getElementById(id);
  const model = { room: null, lineup: [], questions: new Map(), interests: [], you: {}, announcements: [], offset: 0 };
  const socket = io({ auth: { session_id: Number(t.sessionId) } });

  // ---------------------------------------------------------------- helpers
  const show = (el, visible) => el && el.classList.toggle("d-none", !visible);
  const text = (el, value) => { if (el) el.textContent = value == null ? "" : String(value); };
  const slotOf = (id) => model.lineup.find((s) => s.slot_id === id);
  const projectTitle = (id) => (model.lineup.find((s) => s.project_id === id) || {}).title;
  const presenting = () => {
    const r = model.room;
    return r && (r.phase === "pitch" || r.phase === "qa") ? slotOf(r.current_slot_id) : null;
  };
  // HH:mm in Beijing time, as the server writes the times already on the page (whatever the viewer's zone)
  const clock = (ms) => new Date(ms).toLocaleTimeString("zh-CN", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Asia/Shanghai" });
  let errorTimer = null;
  function flashError(message) {
    const el = $("live-error");
    text(el, message);
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => text(el, ""), 6000);
  }
  function fatal(message) {
    const el = $("live-fatal");
    text(el, message);
    show(el, true);
  }
  function setConnection(state, label) {
    const el = $("live-conn");
    el.dataset.state = state;
    el.className = "live-conn badge rounded-pill text-bg-" + { ok: "success", wait: "warning", down: "danger" }[state];
    text(el.querySelector("[data-conn-text]"), label);
  }

  // ---------------------------------------------------------------- rendering
  function renderRoom() {
    const r = model.room;
    if (!r) return;
    const slot = presenting();
    const ended = r.status === "ended" || r.phase === "ended";
    // labels in this page's language (the state is sent to everyone, in the language of whoever changed it)
    const phases = { waiting: t.tPhaseWaiting, pitch: t.tPhasePitch, qa: t.tPhaseQa, ended: t.tPhaseEnded };
    text($("live-phase"), ended ? (r.status === "ended" ? t.tPhaseEnded : r.status_label) : (phases[r.phase] || r.phase_label));
    text($("live-title"), slot ? slot.title : ended ? t.tEnded : t.tNoPresenter);
    text($("live-company"), slot ? slot.company : "");
    text($("live-pitch"), slot ? slot.pitch : "");
    text($("live-position"), slot ? t.tPosition.replace("{n}", slot.position) : "");
    const deck = $("live-deck");
    show(deck, Boolean(slot && slot.deck_url));
    if (slot && slot.deck_url) deck.href = slot.deck_url;
    const link = $("live-project-link");
    show(link, Boolean(slot));
    if (slot) link.href = slot.project_url;
    show($("live-ended"), ended);
    renderQueue(slot);
    renderInterestButton(slot);
    renderAskState();
    renderHostPanel(slot);
    renderTimer();
  }

  function renderQueue(slot) {
    document.querySelectorAll("#live-queue [data-slot-id]").forEach((li) => {
      const entry = slotOf(Number(li.dataset.slotId));
      li.classList.toggle("live-current", Boolean(slot && entry && entry.slot_id === slot.slot_id));
      li.classList.toggle("live-done", Boolean(slot && entry && entry.position < slot.position));
    });
  }

  function renderTimer() {
    const el = $("live-timer");
    const r = model.room;
    if (!el || !r || !r.timer_ends_at || r.phase === "ended" || r.status !== "live") {
      text(el, "--:--");
      el && el.classList.remove("live-overtime", "live-soon");
      return;
    }
    const left = Math.round((r.timer_ends_at - (Date.now() + model.offset)) / 1000);
    const abs = Math.abs(left);
    const mmss = String(Math.floor(abs / 60)).padStart(2, "0") + ":" + String(abs % 60).padStart(2, "0");
    text(el, left < 0 ? "+" + mmss : mmss);
    text($("live-timer-label"), left < 0 ? t.tOvertime : t.tRemaining);
    el.classList.toggle("live-overtime", left < 0);
    el.classList.toggle("live-soon", left >= 0 && left <= 60);
  }

  function renderInterestButton(slot) {
    const button = $("live-interest");
    if (!button) return;
    const done = slot && (model.you.interested || []).includes(slot.project_id);
    button.disabled = !slot || done || model.room.status !== "live";
    button.classList.toggle("btn-success", Boolean(done));
    button.classList.toggle("btn-primary", !done);
    if (done) text(button, t.tInterestSent);
  }

  function renderAskState() {
    const form = $("live-ask");
    if (!form) return;
    const r = model.room;
    const open = r.status === "live" && !r.qa_locked;
    form.querySelectorAll("textarea, button, input").forEach((el) => { el.disabled = !open; });
    show($("live-locked-note"), r.qa_locked);
    show($("live-premod-note"), r.premoderation);
  }

  function renderHostPanel(slot) {
    const panel = $("live-host");
    if (!panel) return;
    const r = model.room;
    const live = r.status === "live";
    show(panel.querySelector('[data-host="host:open"]'), !live && r.status !== "ended");
    panel.querySelectorAll("[data-host]:not([data-host='host:open'])").forEach((b) => { b.disabled = !live; });
    document.querySelectorAll('#live-queue [data-host="host:start_slot"]').forEach((b) => { b.disabled = !live; });
    const last = model.lineup.length ? model.lineup[model.lineup.length - 1] : null;
    const label = r.phase === "waiting" ? t.tAdvanceStart : r.phase === "pitch" ? t.tAdvanceQa
      : slot && last && slot.slot_id === last.slot_id ? t.tAdvanceEnd : t.tAdvanceNext;
    text($("live-advance"), label);
    $("live-advance").disabled = !live || r.phase === "ended";
    $("live-lock").checked = r.qa_locked;
    $("live-premod").checked = r.premoderation;
  }

  function sortedQuestions() {
    return [...model.questions.values()].sort((a, b) =>
      (b.pinned - a.pinned) || (b.votes - a.votes) || (a.id - b.id));
  }

  function renderQuestions() {
    const list = $("live-questions");
    const template = $("live-question-template");
    const items = sortedQuestions();
    list.replaceChildren(...items.map((q) => questionItem(template, q)));
    show($("live-questions-empty"), items.length === 0);
  }

  function questionItem(template, q) {
    const node = template.content.firstElementChild.cloneNode(true);
    const field = (name) => node.querySelector(`[data-field="${name}"]`);
    const mine = (model.you.mine || []).includes(q.id);
    node.dataset.id = q.id;
    text(field("body"), q.body);
    text(field("votes"), q.votes);
    const who = q.author ? q.author : t.tAnonymous;
    text(field("author"), mine ? who + t.tMineSuffix : who);
    text(field("institution"), q.institution ? " · " + q.institution : "");
    text(field("time"), clock(q.created_at));
    const project = q.project_id ? projectTitle(q.project_id) : t.tSessionQuestion;
    text(field("project"), project || "");
    show(field("project"), Boolean(project));
    for (const flag of ["pinned", "answered"]) show(node.querySelector(`[data-flag="${flag}"]`), q[flag]);
    show(node.querySelector('[data-flag="pending"]'), q.status === "pending");
    show(node.querySelector('[data-flag="hidden"]'), q.status === "hidden");
    const vote = node.querySelector('[data-action="vote"]');
    const voted = (model.you.voted || []).includes(q.id);
    vote.disabled = !model.you.can_ask || voted || q.status !== "approved";
    vote.classList.toggle("active", voted);
    show(node.querySelector('[data-action="withdraw"]'), mine);
    node.querySelectorAll("[data-moderate]").forEach((b) => decorateModeration(b, q));
    const remove = node.querySelector('[data-action="remove"]');
    if (remove) remove.dataset.userId = q.author_id;
    return node;
  }

  function decorateModeration(button, q) {
    const base = button.dataset.moderate;
    if (base === "approve") { show(button, q.status !== "approved"); return; }
    if (base === "hide") { show(button, q.status !== "hidden"); return; }
    const on = base === "pin" ? q.pinned : q.answered;
    button.dataset.current = on ? button.dataset.toggle : base;
    text(button, base === "pin" ? (on ? t.tUnpin : t.tPin) : (on ? t.tUnanswer : t.tAnswer));
  }

  function renderPresence(p) {
    text($("live-presence-count"), p.count);
    $("live-institutions").replaceChildren(...p.institutions.map((name) => {
      const badge = document.createElement("span");
      badge.className = "badge text-bg-light border";
      badge.textContent = name;
      return badge;
    }));
  }

  function renderAnnouncements() {
    const list = $("live-announcements");
    list.replaceChildren(...model.announcements.map((a) => {
      const li = document.createElement("li");
      li.className = "list-group-item";
      const when = document.createElement("span");
      when.className = "text-secondary me-2";
      when.textContent = clock(a.created_at);
      li.append(when, document.createTextNode(a.body));
      return li;
    }));
    show($("live-announcements-empty"), model.announcements.length === 0);
    const latest = model.announcements[0];
    show($("live-announcement"), Boolean(latest));
    if (latest) text(document.querySelector("[data-announcement-body]"), latest.body);
  }

  function renderInterests() {
    const list = $("live-interests");
    if (!list) return;
    const template = $("live-interest-template");
    list.replaceChildren(...[...model.interests].reverse().map((i) => {
      const node = template.content.firstElementChild.cloneNode(true);
      text(node.querySelector('[data-field="investor"]'), i.investor);
      text(node.querySelector('[data-field="institution"]'), i.institution || "");
      text(node.querySelector('[data-field="project"]'), projectTitle(i.project_id) || "");
      return node;
    }));
    show($("live-interests-empty"), model.interests.length === 0);
  }

  // ---------------------------------------------------------------- server events
  function setRoom(room) {
    model.room = room;
    model.offset = room.server_now - Date.now();
    renderRoom();
  }

  socket.on("connect", () => setConnection("ok", t.tConnected));
  socket.on("disconnect", (reason) => {
    setConnection(reason === "io client disconnect" ? "down" : "wait", t.tReconnecting);
  });
  socket.on("connect_error", (err) => {
    if (err && err.data && err.data.code) {  // refused by the server: reconnecting would not help
      setConnection("down", t.tRefused);
      fatal(err.message);
    } else {
      setConnection("wait", t.tReconnecting);
    }
  });
  socket.on("state", (s) => {
    model.lineup = s.lineup;
    model.you = s.you;
    model.interests = s.interests;
    model.announcements = s.announcements;
    model.questions = new Map(s.questions.map((q) => [q.id, q]));
    setRoom(s.room);
    renderPresence(s.presence);
    renderQuestions();
    renderAnnouncements();
    renderInterests();
  });
  socket.on("room", setRoom);
  socket.on("presence", renderPresence);
  socket.on("question", (q) => { model.questions.set(q.id, q); renderQuestions(); });
  socket.on("question_removed", ({ id }) => { model.questions.delete(id); renderQuestions(); });
  socket.on("announcement", (a) => { model.announcements.unshift(a); renderAnnouncements(); });
  socket.on("interest", (i) => { model.interests.push(i); renderInterests(); });
  socket.on("error", (e) => flashError(e.message));
  socket.on("removed", (e) => { socket.disconnect(); fatal(e.message); });
  // The server moved this connection to other rooms (new host, seat given back, ...): the page itself
  // (host panel, question form) depends on the role, so load it again.
  socket.on("access_changed", (e) => {
    socket.disconnect();
    fatal(e.message);
    setTimeout(() => window.location.reload(), 1500);
  });

  // ---------------------------------------------------------------- user actions
  const send = (event, data, done) => socket.emit(event, data, (ack) => { if (ack && ack.ok && done) done(ack); });

  const ask = $("live-ask");
  if (ask) {
    const body = $("live-ask-body");
    const count = () => text($("live-ask-count"), `${body.value.length} / ${t.questionMax}`);
    body.addEventListener("input", count);
    ask.addEventListener("submit", (event) => {
      event.preventDefault();
      text($("live-ask-error"), "");
      send("ask", { body: body.value, anonymous: $("live-ask-anonymous").checked }, (ack) => {
        (model.you.mine = model.you.mine || []).push(ack.id);
        body.value = "";
        count();
        renderQuestions();
      });
    });
  }

  $("live-questions").addEventListener("click", (event) => {
    const button = event.target.closest("button");
    const item = button && button.closest("[data-id]");
    if (!item) return;
    const id = Number(item.dataset.id);
    const action = button.dataset.action;
    if (action === "vote") {
      send("vote", { question_id: id }, () => { model.you.voted.push(id); renderQuestions(); });
    } else if (action === "withdraw") {
      send("withdraw", { question_id: id });
    } else if (action === "remove") {
      if (window.confirm(t.tConfirmRemove)) send("host:remove", { user_id: Number(button.dataset.userId) });
    } else if (button.dataset.moderate) {
      send("host:moderate", { question_id: id, action: button.dataset.current || button.dataset.moderate });
    }
  });

  const interest = $("live-interest");
  if (interest) {
    interest.addEventListener("click", () => send("interest", {}, (ack) => {
      model.you.interested.push(ack.project_id);
      renderRoom();
    }));
  }

  document.querySelectorAll("[data-host]").forEach((button) => {
    button.addEventListener("click", () => {
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      const data = {};
      if (button.dataset.minutes) data.minutes = Number(button.dataset.minutes);
      if (button.dataset.slot) data.slot_id = Number(button.dataset.slot);
      send(button.dataset.host, data);
    });
  });
  document.querySelectorAll("[data-setting]").forEach((toggle) => {
    toggle.addEventListener("change", () => send("host:settings", { [toggle.dataset.setting]: toggle.checked }));
  });
  const announce = $("live-announce");
  if (announce) {
    announce.addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("live-announce-body");
      send("host:announce", { body: input.value }, () => { input.value = ""; });
    });
  }

  setInterval(renderTimer, 250);
})();
