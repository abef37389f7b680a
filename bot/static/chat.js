// Local web chat: one anonymous sender id per browser, kept in localStorage.
"use strict";

const conversation = document.getElementById("conversation");
const statusLine = document.getElementById("status");
const form = document.getElementById("composer");
const input = document.getElementById("message");

function senderId() {
  let id = localStorage.getItem("relais-sender");
  if (!id) {
    id = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
    localStorage.setItem("relais-sender", id);
  }
  return id;
}

function show(text, who, buttons) {
  const item = document.createElement("li");
  item.className = "message " + who;
  item.textContent = text;
  if (buttons && buttons.length) {
    const choices = document.createElement("div");
    choices.className = "choices";
    for (const button of buttons) {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.textContent = button.title;
      choice.addEventListener("click", () => {
        choices.querySelectorAll("button").forEach((b) => (b.disabled = true));
        send(button.payload, button.title);
      });
      choices.appendChild(choice);
    }
    item.appendChild(choices);
  }
  conversation.appendChild(item);
  item.scrollIntoView({ block: "end" });
}

function newMessageId() {
  return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + String(Math.random()).slice(2);
}

// The message that got "réessayez": it is put back in the input, and sent again with the same
// id, so the gateway answers it once even if Relais had handled it meanwhile.
let unanswered = null;

function keepForRetry(text, id, shownAs) {
  unanswered = { text: text, id: id };
  if (!shownAs && !input.value) input.value = text;
}

async function send(text, shownAs) {
  const id = unanswered && unanswered.text === text ? unanswered.id : newMessageId();
  show(shownAs || text, "me");
  statusLine.textContent = "";
  try {
    const response = await fetch("/web/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId(), text: text, message_id: id }),
    });
    const body = await response.json();
    if (!response.ok) {
      statusLine.textContent = body.message || "Une erreur est survenue.";
      if (response.status >= 500) keepForRetry(text, id, shownAs);
      return;
    }
    unanswered = null;
    for (const message of body.messages) show(message.text, "bot", message.buttons);
  } catch (error) {
    statusLine.textContent = "Relais ne répond pas. Vérifiez votre connexion et réessayez.";
    keepForRetry(text, id, shownAs);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// A person of the town may answer instead of the bot: their messages arrive here.
let lastAgentMessage = Number(sessionStorage.getItem("relais-last-agent") || 0);

async function pollAgentMessages() {
  try {
    const response = await fetch("/web/messages?after=" + String(lastAgentMessage), {
      headers: { "X-Relais-Sender": senderId() },
    });
    if (!response.ok) return;
    const body = await response.json();
    for (const message of body.messages) {
      // An agent's message, or a reminder of the bot (an appointment tomorrow).
      show(message.text, message.from === "bot" ? "bot" : "agent", message.buttons);
      if (message.id) lastAgentMessage = Math.max(lastAgentMessage, message.id);
    }
    sessionStorage.setItem("relais-last-agent", String(lastAgentMessage));
  } catch (error) {
    // The next poll tries again; the bot's own answers do not depend on this.
  }
}

pollAgentMessages();
setInterval(pollAgentMessages, 3000);
