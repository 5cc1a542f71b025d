// Saved searches on the dashboard (any logged-in account): each is a name for the
// current filters, kept by the API (/api/searches) for this user.
"use strict";
(function () {
  const { api, el } = window.tw;
  const form = document.getElementById("searches");
  const message = document.getElementById("searches-message");
  const select = form.elements.saved;
  let searches = [];

  async function load(chosen) {
    try {
      searches = (await api("GET", "/api/searches")).data;
    } catch (e) {
      message.textContent = e.message;
      return;
    }
    select.replaceChildren(el("option", { value: "" }, "choose…"),
      ...searches.map((s) => el("option", { value: s.id, selected: String(s.id) === String(chosen) }, s.name)));
  }

  select.addEventListener("change", () => {
    const search = searches.find((s) => String(s.id) === select.value);
    if (search) window.tw.dashboard.apply(search.filters);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      const saved = await api("POST", "/api/searches",
        { name: form.elements.name.value.trim(), filters: window.tw.dashboard.filters() });
      form.elements.name.value = "";
      message.textContent = `Saved as “${saved.name}”.`;
      await load(saved.id);
    } catch (e) {
      message.textContent = e.message;
    }
  });

  document.getElementById("delete-search").addEventListener("click", async () => {
    if (!select.value) return;
    try {
      await api("DELETE", `/api/searches/${encodeURIComponent(select.value)}`);
      message.textContent = "Deleted.";
      await load();
    } catch (e) {
      message.textContent = e.message;
    }
  });

  load();
})();
