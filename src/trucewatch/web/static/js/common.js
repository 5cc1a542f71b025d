// Shared by every page: calling the JSON API (with the CSRF token on unsafe requests),
// building DOM without innerHTML (text from reports must never be parsed as HTML), and
// the log-out button.
"use strict";

window.tw = (function () {
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  class ApiError extends Error {
    constructor(status, body) {
      const error = body && body.error;
      super(error ? error.message : `HTTP ${status}`);
      this.status = status;
      this.code = error ? error.code : "error";
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = csrf();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  // el("a", {href: "/x", class: "y"}, "text", child): children are text or nodes; text
  // always goes in as a text node.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "dataset") Object.assign(node.dataset, value);
      // Through the CSSOM: the pages' Content-Security-Policy refuses style attributes.
      else if (name === "style") node.style.cssText = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const verdictColour = (verdict) => {
    const name = "--" + (verdict || "none").replace(/ /g, "-");
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#9e9e9e";
  };

  // A date as precise as it is known: a day as YYYY-MM-DD, a week as "week of 3 Jul
  // 2017", a month as "July 2017", a year as "2017" (ACLED's and UCDP's coarser dates).
  const UTC = { timeZone: "UTC" };
  function when(day, precision) {
    if (!day) return "unknown";
    const moment = new Date(`${day}T00:00:00Z`);
    if (precision === "week") {
      return `week of ${moment.toLocaleDateString("en-GB", { ...UTC, day: "numeric", month: "short", year: "numeric" })}`;
    }
    if (precision === "month") return moment.toLocaleDateString("en-GB", { ...UTC, month: "long", year: "numeric" });
    if (precision === "year") return String(moment.getUTCFullYear());
    return day;
  }
  // An incident record of the API: event_date for a day, period_start for a coarser date.
  const recordWhen = (record) => when(record.event_date || record.period_start, record.date_precision);

  function toll(t) {
    if (!t || (t.best === null && t.low === null && t.high === null)) return "unknown";
    if (t.low === t.high) return String(t.best);
    return `${t.best ?? "?"} (${t.low ?? "?"}–${t.high ?? "?"})`;
  }

  document.getElementById("logout")?.addEventListener("click", async () => {
    try { await api("POST", "/api/auth/logout"); } catch (e) { /* already logged out */ }
    window.location.reload();
  });

  return { api, el, svg, ApiError, verdictColour, when, recordWhen, toll };
})();
