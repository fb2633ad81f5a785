// Live roadshow room: one Socket.IO connection to the session's room.
// The server sends the whole state on every (re)connect and small changes afterwards.
// User text is only ever set with textContent, never as HTML.
(() => {
  "use strict";
  const root = document.getElementById("live-room");
  if (!root || typeof io !== "function") return;

  const t = root.dataset; // data-t-* strings, translated on the server
  const $ = (id) => document.getElementById(id);
  const model = { room: null, lineup: [], questions: new Map(), interests: [], you: {}, announcements: [], polls: new Map(), offset: 0 };
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
    // a second click takes the vote back
    vote.disabled = !model.you.can_ask || q.status !== "approved";
    vote.classList.toggle("active", voted);
    vote.setAttribute("aria-pressed", voted ? "true" : "false");
    show(node.querySelector('[data-action="withdraw"]'), mine && !q.answered);  // an answered question stays
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
    // The most represented are named (a province-wide room draws hundreds); the rest are counted.
    const total = p.institution_count;
    text($("live-institution-count"), total ? `(${total})` : "");
    const more = total - p.institutions.length;
    text($("live-institutions-more"), more > 0 ? t.tMoreInstitutions.replace("{n}", more) : "");
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

  // Polls, newest first: a vote form while open and not yet voted; bars once the counts are sent
  // (hosts always get them, the room once the host shows them).
  function renderPolls() {
    const list = $("live-polls");
    const template = $("live-poll-template");
    const polls = [...model.polls.values()].sort((a, b) => b.id - a.id);
    list.replaceChildren(...polls.map((p) => pollItem(template, p)));
    show($("live-polls-empty"), polls.length === 0);
  }

  function pollItem(template, p) {
    const node = template.content.firstElementChild.cloneNode(true);
    const field = (name) => node.querySelector(`[data-field="${name}"]`);
    node.dataset.pollId = p.id;
    const mine = (model.you.ballots || {})[p.id];
    text(field("question"), p.question);
    const meta = [p.kind === "multiple" ? t.tPollMultiple : t.tPollSingle, t.tPollBallots.replace("{n}", p.ballots)];
    if (p.anonymous) meta.push(t.tPollAnonymous);
    if (!p.open) meta.push(t.tPollClosed); else if (mine) meta.push(t.tPollVoted);
    text(field("meta"), meta.join(" · "));
    const canVote = p.open && !mine && model.you.user_id != null && model.room && model.room.status === "live";
    show(node.querySelector("[data-poll-vote]"), canVote);
    if (canVote) {
      field("choices").replaceChildren(...p.options.map((o) => {
        const wrap = document.createElement("div");
        wrap.className = "form-check";
        const input = document.createElement("input");
        input.className = "form-check-input";
        input.type = p.kind === "multiple" ? "checkbox" : "radio";
        input.name = `poll-${p.id}`;
        input.value = o.id;
        input.id = `poll-${p.id}-${o.id}`;
        const label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = input.id;
        label.textContent = o.label;
        wrap.append(input, label);
        return wrap;
      }));
    }
    if (p.counts) {
      field("results").replaceChildren(...p.options.map((o) => {
        const n = p.counts[o.id] || 0;
        const share = p.ballots ? Math.round((100 * n) / p.ballots) : 0;
        const row = document.createElement("div");
        row.className = "small";
        const head = document.createElement("div");
        head.className = "d-flex justify-content-between gap-2";
        const label = document.createElement("span");
        label.textContent = (mine && mine.includes(o.id) ? "✓ " : "") + o.label;
        const figure = document.createElement("span");
        figure.className = "text-nowrap";
        figure.textContent = `${n} · ${share}%`;
        head.append(label, figure);
        const bar = document.createElement("progress");
        bar.className = "poll-bar";
        bar.max = 100;
        bar.value = share;
        bar.setAttribute("aria-label", o.label);
        row.append(head, bar);
        const names = (p.voters || {})[o.id];
        if (names && names.length) {
          const who = document.createElement("div");
          who.className = "text-secondary";
          who.textContent = names.join("、");
          row.append(who);
        }
        return row;
      }));
    }
    node.querySelectorAll("[data-poll-host]").forEach((b) => {
      show(b, p.open && (b.dataset.pollHost === "host:poll_close" || !p.results_shown));
    });
    return node;
  }

  // The video player (live-video.js) follows the stream's state through this DOM event.
  function announceStream(stream) {
    if (stream) root.dispatchEvent(new CustomEvent("live:stream", { detail: stream }));
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
    model.polls = new Map(s.polls.map((p) => [p.id, p]));
    setRoom(s.room);
    renderPresence(s.presence);
    renderQuestions();
    renderAnnouncements();
    renderInterests();
    renderPolls();
    announceStream(s.stream);
  });
  socket.on("room", setRoom);
  socket.on("presence", renderPresence);
  socket.on("question", (q) => {
    const isNew = !model.questions.has(q.id);
    model.questions.set(q.id, q);
    renderQuestions();
    // read a newly arrived question out (polite: after what the reader is saying; the focus stays put)
    if (isNew && q.author_id !== model.you.user_id) {
      text($("live-sr-questions"), `${t.tNewQuestion}: ${q.anonymous ? "" : (q.author || "") + ": "}${q.body}`);
    }
  });
  socket.on("question_removed", ({ id }) => { model.questions.delete(id); renderQuestions(); });
  socket.on("announcement", (a) => { model.announcements.unshift(a); renderAnnouncements(); });
  socket.on("stream", announceStream);
  socket.on("poll", (p) => { model.polls.set(p.id, p); renderPolls(); });
  socket.on("interest", (i) => { model.interests.push(i); renderInterests(); });
  socket.on("error", (e) => { if (e.code !== "too_early") flashError(e.message); });  // that one asks instead
  socket.on("removed", (e) => { socket.disconnect(); fatal(e.message); });
  // The server moved this connection to other rooms (new host, seat given back, ...): the page itself
  // (host panel, question form) depends on the role, so load it again.
  socket.on("access_changed", (e) => {
    socket.disconnect();
    fatal(e.message);
    setTimeout(() => window.location.reload(), 1500);
  });

  // The server asks every client to fetch the whole state again (its broadcasts may have been lost while
  // the processes could not reach each other).
  socket.on("resync", () => socket.emit("sync"));

  // ---------------------------------------------------------------- user actions
  // Every action waits for the server's answer. Sent while disconnected, it goes out on reconnect; if no
  // answer comes in time (the process died holding it), the user is told it may not have been sent.
  const ACK_TIMEOUT_MS = 10000;
  const send = (event, data, done, lost) => socket.timeout(ACK_TIMEOUT_MS).emit(event, data, (err, ack) => {
    if (err) {
      if (lost) lost(); else flashError(t.tNotConfirmed);
    } else if (ack && ack.ok && done) {
      done(ack);
    }
  });
  // A question keeps its key until the server acknowledges it: sent again after a lost answer, it is
  // stored once (the server answers with the question it already has).
  const newKey = () => Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join("");
  let pendingAsk = null;  // {body, key} of the question not yet acknowledged

  const ask = $("live-ask");
  if (ask) {
    const body = $("live-ask-body");
    const count = () => text($("live-ask-count"), `${body.value.length} / ${t.questionMax}`);
    body.addEventListener("input", count);
    ask.addEventListener("submit", (event) => {
      event.preventDefault();
      text($("live-ask-error"), "");
      if (!pendingAsk || pendingAsk.body !== body.value) pendingAsk = { body: body.value, key: newKey() };
      const sent = pendingAsk;
      send("ask", { body: sent.body, anonymous: $("live-ask-anonymous").checked, client_key: sent.key }, (ack) => {
        if (pendingAsk === sent) pendingAsk = null;
        (model.you.mine = model.you.mine || []).push(ack.id);
        if (body.value === sent.body) body.value = "";
        count();
        renderQuestions();
      }, () => text($("live-ask-error"), t.tAskNotConfirmed));
    });
  }

  $("live-questions").addEventListener("click", (event) => {
    const button = event.target.closest("button");
    const item = button && button.closest("[data-id]");
    if (!item) return;
    const id = Number(item.dataset.id);
    const action = button.dataset.action;
    if (action === "vote" && model.you.voted.includes(id)) {
      send("unvote", { question_id: id }, () => {
        model.you.voted = model.you.voted.filter((v) => v !== id);
        renderQuestions();
      });
    } else if (action === "vote") {
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
      if (button.dataset.host === "host:open") {
        // long before the start the server asks first: the session would show as live everywhere at once
        socket.emit("host:open", data, (ack) => {
          if (ack && ack.code === "too_early" && window.confirm(ack.message)) send("host:open", { early: true });
        });
        return;
      }
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

  const rotate = $("live-key-rotate");
  if (rotate) {
    rotate.addEventListener("click", () => {
      if (!window.confirm(rotate.dataset.confirm)) return;
      send("host:rotate_key", {}, (ack) => { $("live-stream-key").value = ack.stream_key; });
    });
    $("live-key-show").addEventListener("click", () => {
      const key = $("live-stream-key");
      key.type = key.type === "password" ? "text" : "password";
    });
  }

  const pollForm = $("live-poll-form");
  if (pollForm) {
    pollForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const options = $("live-poll-options").value.split("\n").map((line) => line.trim()).filter(Boolean);
      send("host:poll_launch", {
        question: $("live-poll-question").value, options,
        kind: $("live-poll-multiple").checked ? "multiple" : "single", anonymous: $("live-poll-anonymous").checked,
      }, () => pollForm.reset());
    });
  }
  $("live-polls").addEventListener("submit", (event) => {
    event.preventDefault();
    const item = event.target.closest("[data-poll-id]");
    const id = Number(item.dataset.pollId);
    const chosen = [...event.target.querySelectorAll("input:checked")].map((input) => Number(input.value));
    send("poll_vote", { poll_id: id, option_ids: chosen }, (ack) => {
      (model.you.ballots = model.you.ballots || {})[id] = ack.option_ids;
      renderPolls();
    });
  });
  $("live-polls").addEventListener("click", (event) => {
    const button = event.target.closest("[data-poll-host]");
    if (button) send(button.dataset.pollHost, { poll_id: Number(button.closest("[data-poll-id]").dataset.pollId) });
  });

  setInterval(renderTimer, 250);
})();
