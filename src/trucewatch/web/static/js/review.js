// Analyst review on the incident page: each control calls the review endpoints (the
// CSRF token is sent by tw.api) and reloads the page, which the server renders afresh.
"use strict";
(function () {
  const id = document.getElementById("incident").dataset.id;
  const base = `/api/incidents/${id}`;
  const error = document.getElementById("review-error");
  const note = () => document.getElementById("review-note").value.trim() || null;

  async function act(method, path, body) {
    error.textContent = "";
    try {
      await tw.api(method, base + path, body);
      window.location.reload();
    } catch (e) {
      error.textContent = e.message;
    }
  }

  document.getElementById("confirm").addEventListener("click", () => act("POST", "/confirm", { note: note() }));
  document.getElementById("reject").addEventListener("click", () => act("POST", "/reject", { note: note() }));
  document.getElementById("agree").addEventListener("click", () => act("PUT", "/vote", { value: 1 }));
  document.getElementById("disagree").addEventListener("click", () => act("PUT", "/vote", { value: -1 }));

  document.getElementById("triage-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    const body = { status: data.get("status"), note: note() };
    const assignee = String(data.get("assigned_to") || "").trim();
    if (body.status === "in_progress" && assignee) body.assigned_to = assignee;
    act("PUT", "/triage", body);
  });

  // Counts are whole numbers, coordinates decimals; an empty value means "unknown".
  const INTEGER = /^(killed|wounded)(_|$)/;
  const DECIMAL = /^(lat|lon)$/;
  document.getElementById("correct-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    const field = data.get("field");
    const raw = String(data.get("value") || "").trim();
    let value = raw === "" ? null : raw;
    if (value !== null && INTEGER.test(field)) value = Number.isInteger(Number(raw)) ? Number(raw) : raw;
    if (value !== null && DECIMAL.test(field)) value = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    const noteText = String(data.get("note") || "").trim() || note();
    // "killed" and "wounded" set low, best and high at once: the API refuses a best
    // outside the range, so an exact toll is easiest corrected whole.
    const fields = field === "killed" || field === "wounded"
      ? { [`${field}_low`]: value, [`${field}_best`]: value, [`${field}_high`]: value }
      : { [field]: value };
    act("POST", "/corrections", { fields, note: noteText });
  });

  for (const button of document.querySelectorAll("button.revert")) {
    button.addEventListener("click", () =>
      act("DELETE", `/corrections/${encodeURIComponent(button.dataset.field)}`));
  }
})();
