// The login form: POST /api/auth/login sets the session cookie; then back where we were.
"use strict";
(function () {
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const data = new FormData(form);
    try {
      await tw.api("POST", "/api/auth/login",
        { username: data.get("username"), password: data.get("password") });
      window.location.assign(form.dataset.next || "/");
    } catch (e) {
      error.textContent = e.message;
    }
  });
})();
