// What every grid page shares: the API call with the signed-in key, error display, and signing in (a key kept
// for this tab only, in sessionStorage, sent as X-API-Key; asked for when a request is refused).
"use strict";

const $ = (id) => document.getElementById(id);
const num = (v) => Number(v).toLocaleString();
const KEY = "gridserve.apiKey";
let me = { authenticated: false, name: null, role: null };
const canWrite = () => me.role === "writer" || me.role === "admin";

/** The given headers plus the signed-in key, if any: every request of the page goes through here. */
function withKey(headers = {}) {
  const key = sessionStorage.getItem(KEY);
  return key ? { ...headers, "X-API-Key": key } : { ...headers };
}

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: withKey(options.headers) });
  if (res.status === 204) return null;
  const body = await res.json().catch(() => ({ detail: res.statusText }));
  if (!res.ok) {
    const err = new Error(body.detail || "Request failed (" + res.status + ")");
    err.status = res.status;
    err.body = body;
    throw err;
  }
  return body;
}

function showError(message) {
  const box = $("error");
  box.textContent = message || "";
  box.hidden = !message;
}

/** A refused save in an editor: the sentence above the form, each field's problem beside its input. */
function showFieldErrors(err) {
  $("form-error").textContent = err.message;
  for (const fe of (err.body && err.body.errors) || []) {
    const slot = $("err-" + fe.field);
    if (slot) {
      slot.textContent = fe.message;
      $("f-" + fe.field).setAttribute("aria-invalid", "true");
      $("f-" + fe.field).setAttribute("aria-describedby", "err-" + fe.field);
    }
  }
}

// what to do again once signed in: a refused save and, meanwhile, any refused background read
let afterSignIn = [];
let renderPage = () => {};

/** Who the stored key belongs to; a key that no longer works is forgotten. */
async function refreshMe() {
  try {
    me = await api("/api/v1/auth/me");
  } catch (err) {
    if (err.status !== 401) throw err;
    sessionStorage.removeItem(KEY);
    me = await api("/api/v1/auth/me");
  }
  renderMe();
}

/** The header says who is signed in; the page shows its write buttons only to callers who may write. */
function renderMe() {
  const name = (me.name || "").replace(/^(key|jwt):/, "");
  $("who").textContent = me.authenticated ? "Signed in: " + name + " (" + (me.role || "no role") + ")" : "Read-only";
  $("sign-in").hidden = me.authenticated;
  $("sign-out").hidden = !me.authenticated;
  renderPage();
}

function askForKey(reason, retry) {
  if ($("signin").open) {
    // already asking (a save was refused, then a background read too): retry both, keep the first reason
    if (retry) afterSignIn.push(retry);
    return;
  }
  afterSignIn = retry ? [retry] : [];
  $("signin-reason").textContent = reason ? reason + " Sign in with an API key that allows it." : "";
  $("signin-error").textContent = "";
  $("api-key").value = "";
  $("signin").showModal();
  $("api-key").focus();
}

/** Wires the sign-in dialog and the header's buttons; {@code render} shows the page's write buttons. */
function wireSignIn(render, reload) {
  renderPage = render;
  $("signin-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const key = $("api-key").value.trim();
    if (!key) return;
    const previous = sessionStorage.getItem(KEY);
    sessionStorage.setItem(KEY, key);
    try {
      me = await api("/api/v1/auth/me");
    } catch (err) {
      if (previous) sessionStorage.setItem(KEY, previous);
      else sessionStorage.removeItem(KEY);
      $("signin-error").textContent = err.message;
      return;
    }
    $("signin").close();
    renderMe();
    const retries = afterSignIn;
    afterSignIn = [];
    retries.forEach((retry) => retry());
  });
  $("cancel-signin").addEventListener("click", () => {
    afterSignIn = [];
    $("signin").close();
  });
  $("sign-in").addEventListener("click", () => askForKey("", null));
  $("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    refreshMe().then(reload);
  });
}
