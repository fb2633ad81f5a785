// A conversation thread: new messages arrive over the person's own Socket.IO connection and are appended.
// User text is only ever set with textContent, never as HTML.
(() => {
  "use strict";
  const list = document.getElementById("conversation");
  if (!list || typeof io !== "function") return;
  const d = list.dataset;
  const threadId = Number(d.threadId);
  const me = Number(d.me);
  const csrf = (document.querySelector("input[name=csrf_token]") || {}).value;
  const socket = io({ auth: { personal: true } });

  function append(m) {
    if (document.getElementById(`m${m.id}`)) return; // already on the page (e.g. our own, after the redirect)
    const item = document.createElement("li");
    item.className = "conv-message" + (m.author_id === me ? " conv-mine" : "");
    item.id = `m${m.id}`;
    item.dataset.id = m.id;
    const meta = document.createElement("div");
    meta.className = "small text-secondary";
    meta.textContent = `${m.author} · ${m.created_at}`;
    item.appendChild(meta);
    if (m.body) {
      const bubble = document.createElement("div");
      bubble.className = "conv-bubble text-prewrap";
      bubble.textContent = m.body;
      item.appendChild(bubble);
    }
    if (m.deck) {
      const deck = document.createElement("div");
      deck.className = "conv-bubble conv-deck";
      deck.textContent = d.tDeck;
      item.appendChild(deck);
    }
    list.appendChild(item);
    const empty = document.getElementById("conversation-empty");
    if (empty) empty.remove();
    item.scrollIntoView({ block: "nearest" });
  }

  socket.on("conversation_message", (m) => {
    if (m.thread_id !== threadId) return;
    append(m);
    if (m.author_id !== me && csrf && document.visibilityState === "visible") {
      fetch(d.readUrl, { method: "POST", headers: { "X-CSRFToken": csrf }, credentials: "same-origin" });
    }
  });
  socket.on("signed_out", () => socket.disconnect());
})();
