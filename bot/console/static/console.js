// Relais console: the queue polls every 3 s; the open conversation refreshes with it.
"use strict";

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const queueList = document.getElementById("queue");
const queueCount = document.getElementById("queue-count");
const queueStatus = document.getElementById("queue-status");
const panel = document.getElementById("conversation");
let me = null;
let openId = null;
let lastRendered = "";
let canned = [];
let colleagues = [];
let openedDossier = null;  // the dossier an agent opened: shown again on refresh, not re-read
const DELIVERY = {
  template: "Hors du délai WhatsApp de 24 h : le modèle approuvé est parti à la place du texte.",
  window_closed: "Hors du délai WhatsApp de 24 h : message non envoyé (aucun modèle configuré).",
  opted_out: "Le résident a écrit STOP : message non envoyé.",
  failed: "L'envoi a échoué. Le message reste dans la transcription.",
};

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
    body: JSON.stringify(body),
  };
  const response = await fetch("/console/api" + path, options);
  if (response.status === 401) { window.location = "/console/login"; throw new Error("401"); }
  const data = await response.json();
  if (!response.ok) throw new Error(data.message || "Erreur");
  return data;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function waited(minutes) {
  if (minutes < 1) return "< 1 min";
  if (minutes < 60) return minutes + " min";
  return Math.floor(minutes / 60) + " h " + String(minutes % 60).padStart(2, "0");
}

function clock(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
}

async function refreshQueue() {
  try {
    const data = await api("/queue");
    queueCount.textContent = data.handoffs.length;
    queueList.replaceChildren(...data.handoffs.map((h) => el("li", {
      class: "item" + (h.crisis ? " crisis" : "") + (h.id === openId ? " open" : ""),
      "data-id": h.id,
    }, el("button", { type: "button", onclick: () => openHandoff(h.id) },
      el("span", { class: "line" },
        el("strong", {}, h.label),
        el("span", { class: "badge " + (h.crisis ? "badge-crisis" : "badge-reason") },
          h.reason_label)),
      h.need_label ? el("span", { class: "line need" }, h.need_label) : null,
      el("span", { class: "line muted" },
        el("span", {}, h.status === "taken" ? "Pris par " + h.agent_name : "En attente"),
        el("span", {}, "attend depuis " + waited(h.waiting_minutes)))))));
    if (!data.handoffs.length) {
      queueList.replaceChildren(el("li", { class: "muted empty-queue" }, "Personne n'attend."));
    }
    queueStatus.textContent = "Mis à jour à " + new Date().toLocaleTimeString("fr-FR");
    if (openId !== null) await openHandoff(openId, true);
  } catch (error) {
    queueStatus.textContent = "Connexion perdue, nouvelle tentative…";
  }
}

function bubble(entry) {
  const who = { resident: "Résident", bot: "Assistant", agent: entry.agent || "Agent" }[entry.from];
  return el("li", { class: "msg msg-" + entry.from },
    el("span", { class: "meta" }, who + (entry.at ? " · " + clock(entry.at) : "")),
    el("span", { class: "text" }, entry.text));
}

async function act(path, body, confirmText) {
  if (confirmText && !window.confirm(confirmText)) return;
  try {
    await api("/handoffs/" + openId + path, body || {});
    await refreshQueue();
  } catch (error) {
    window.alert(error.message);
  }
}

function renderHandoff(data) {
  const h = data.handoff;
  const mine = h.status === "taken" && (h.agent === me.username || me.role === "supervisor");
  const header = el("div", { class: "conv-header" },
    el("div", {},
      el("h2", {}, h.label),
      el("p", { class: "muted" },
        el("span", { class: "badge " + (h.crisis ? "badge-crisis" : "badge-reason") }, h.reason_label),
        h.need_label ? " " + h.need_label : "",
        " · " + (h.channel === "web" ? "Chat web" : "SMS / WhatsApp / Telegram"),
        h.status === "closed"
          ? " · close : " + (me.outcomes[h.outcome] || h.outcome)
          : " · attend depuis " + waited(h.waiting_minutes),
        h.status === "taken" ? " · pris par " + (h.agent === me.username ? "vous" : h.agent_name) : "")),
    el("div", { class: "actions" },
      h.status === "queued"
        ? el("button", { class: "primary", id: "take", onclick: () => act("/take") },
          "Prendre la conversation") : null,
      mine ? el("button", { id: "handback", onclick: () => act("/handback", {},
        "Rendre la conversation à l'assistant ?") }, "Rendre à l'assistant") : null));
  if (h.crisis && h.status !== "closed") {
    header.append(el("p", { class: "crisis-banner", role: "alert" },
      "Crise suicidaire signalée : l'assistant a donné le 3114 et le 15/112. Répondez en priorité."));
  }
  const history = el("ol", { class: "transcript", "aria-label": "Transcription" },
    data.history.map(bubble),
    data.transcript.length ? el("li", { class: "handoff-mark" }, "Passage à une personne") : null,
    data.transcript.map(bubble));
  if (!data.history_available) {
    history.prepend(el("li", { class: "muted" }, "Historique de l'assistant indisponible."));
  }
  const reply = el("textarea", { id: "reply-text", rows: 3, maxlength: 1600,
    placeholder: "Votre réponse au résident…", disabled: !mine });
  const cannedSelect = el("select", { id: "canned", disabled: !mine,
    onchange: (e) => { if (e.target.value !== "") reply.value = canned[e.target.value].text; } },
  el("option", { value: "" }, "Réponses types…"),
  canned.map((c, i) => el("option", { value: i }, c.title)));
  const composer = el("form", { class: "composer", onsubmit: async (event) => {
    event.preventDefault();
    const text = reply.value.trim();
    if (!text) return;
    try {
      const result = await api("/handoffs/" + openId + "/reply", { text });
      reply.value = "";
      if (result.delivery !== "sent") window.alert(DELIVERY[result.delivery] || result.delivery);
      await openHandoff(openId, true);
    } catch (error) { window.alert(error.message); }
  } }, cannedSelect, reply,
  el("button", { type: "submit", class: "primary", id: "send", disabled: !mine }, "Envoyer"));

  const note = el("textarea", { id: "note-text", rows: 2, placeholder: "Note privée (jamais envoyée)" });
  const notes = el("section", { class: "side-block" }, el("h3", {}, "Notes privées"),
    el("ul", { class: "notes" }, data.notes.map((n) => el("li", {},
      el("span", { class: "meta" }, n.agent + " · " + clock(n.at)), el("span", {}, n.text)))),
    el("form", { onsubmit: async (event) => {
      event.preventDefault();
      if (!note.value.trim()) return;
      await act("/note", { text: note.value.trim() });
    } }, note, el("button", { type: "submit" }, "Ajouter la note")));
  const transferTo = el("select", { id: "transfer-to" },
    colleagues.map((c) => el("option", { value: c.username }, c.display_name + " — " + c.speciality)));
  const outcome = el("select", { id: "outcome" },
    Object.entries(me.outcomes).filter(([k]) => k !== "handed_back")
      .map(([k, label]) => el("option", { value: k }, label)));
  const manage = el("section", { class: "side-block" }, el("h3", {}, "Suite"),
    el("label", { for: "transfer-to" }, "Transférer à"), transferTo,
    el("button", { disabled: !colleagues.length || h.status === "closed",
      onclick: () => act("/transfer", { to: transferTo.value }) }, "Transférer"),
    el("label", { for: "outcome" }, "Clore avec le résultat"), outcome,
    el("button", { disabled: !mine, onclick: () => act("/close", { outcome: outcome.value },
      "Clore la conversation ? L'assistant reprendra.") }, "Clore"));
  const dossiers = el("section", { class: "side-block", id: "dossiers" }, el("h3", {}, "Dossiers"),
    data.dossiers.length ? el("ul", { class: "dossier-links" }, data.dossiers.map((d) => el("li", {},
      el("button", { type: "button", class: "link", "data-dossier": d.id,
        onclick: () => openDossier(d.id) }, d.code),
      " " + d.title + " · ",
      el("span", { class: "badge badge-status" }, d.status_label))))
      : el("p", { class: "muted" }, "Aucun dossier pour ce résident."));
  const eligibility = el("section", { class: "side-block", id: "eligibility" },
    el("h3", {}, "Dernier calcul d'éligibilité"),
    data.eligibility
      ? [el("p", { class: "meta" }, "Donné au résident le " + day(data.eligibility.at)),
        el("div", { class: "explanation" }, data.eligibility.messages.map((m) => el("p", {}, m)))]
      : el("p", { class: "muted" }, data.history_available
        ? "Aucun calcul dans cette conversation." : "Historique de l'assistant indisponible."));
  const main = el("div", { class: "conv-main" }, history, composer);
  if (openedDossier && data.dossiers.some((d) => d.id === openedDossier.id)) {
    main.prepend(dossierView(openedDossier));
  }
  panel.replaceChildren(header, el("div", { class: "conv-body" }, main,
    el("aside", { class: "conv-side" }, dossiers, eligibility, notes, manage)));
  history.scrollTop = history.scrollHeight;
}

function day(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" });
}

function dossierView(d) {
  return el("section", { class: "dossier-view", id: "dossier-view" },
    el("div", { class: "pane-title" },
      el("h3", {}, d.code + " — " + d.title),
      el("button", { type: "button", class: "link", onclick: () => {
        openedDossier = null; lastRendered = ""; openHandoff(openId, true);
      } }, "Fermer")),
    el("p", { class: "muted" }, d.form + " · " + d.status_label + " · mis à jour le " + day(d.updated_at)),
    d.sections.map((section) => el("div", { class: "dossier-section" }, el("h4", {}, section.title),
      el("dl", {}, section.lines.flatMap((line) => [el("dt", {}, line.label), el("dd", {}, line.value)])))),
    el("h4", {}, "Pièces"),
    el("ul", { class: "checklist" }, d.documents.map((doc) =>
      el("li", { class: doc.received ? "received" : "missing" },
        (doc.received ? "Reçu — " : "Manquant — ") + doc.label))),
    d.unsorted_documents ? el("p", { class: "muted" },
      d.unsorted_documents + " fichier(s) envoyé(s) dans la conversation, à classer.") : null);
}

async function openDossier(dossierId) {
  try {
    const data = await api("/handoffs/" + openId + "/dossiers/" + dossierId);
    openedDossier = data.dossier;
    lastRendered = "";
    await openHandoff(openId, true);
  } catch (error) { window.alert(error.message); }
}

async function openHandoff(id, quiet) {
  const typing = document.activeElement && ["reply-text", "note-text"].includes(document.activeElement.id);
  const draft = { reply: document.getElementById("reply-text")?.value, note: document.getElementById("note-text")?.value };
  try {
    // Opening is an access (audited); the 3-second refresh of the open conversation is not.
    const data = await api("/handoffs/" + id + (quiet && id === openId ? "/updates" : ""));
    if (id !== openId) openedDossier = null;
    const key = JSON.stringify(data);
    if (quiet && key === lastRendered && openId === id) return;
    if (quiet && typing) return;  // never wipe what an agent is typing
    openId = id;
    lastRendered = key;
    renderHandoff(data);
    if (draft.reply) document.getElementById("reply-text").value = draft.reply;
    if (draft.note) document.getElementById("note-text").value = draft.note;
    queueList.querySelectorAll("li.item").forEach((li) =>
      li.classList.toggle("open", Number(li.dataset.id) === id));
  } catch (error) {
    if (!quiet) window.alert(error.message);
  }
}

async function start() {
  me = await api("/me");
  [canned, colleagues] = await Promise.all([
    api("/canned").then((d) => d.canned), api("/colleagues").then((d) => d.colleagues)]);
  await refreshQueue();
  setInterval(refreshQueue, 3000);
}

start();
