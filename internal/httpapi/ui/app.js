// The suppression page: every request carries the token typed in the page
// (kept in this page only, never stored), and every value from the server
// is shown with textContent, never parsed as HTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const auth = () => ({ Authorization: "Bearer " + $("token").value });
  const say = (msg, bad) => {
    $("status").textContent = msg;
    $("status").className = bad ? "error" : "";
  };
  const day = (s, full) => {
    if (!s || s.startsWith("0001-")) return "never";
    return full ? s.slice(0, 16).replace("T", " ") : s.slice(0, 10);
  };
  const cell = (tr, text, cls) => {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  };
  async function errorOf(r) {
    try { return (await r.json()).error || r.statusText; } catch (e) { return r.statusText; }
  }
  async function lift(addr, tr) {
    if (!confirm("Lift the suppression of " + addr + "?")) return;
    const r = await fetch("/api/v1/suppressions/" + encodeURIComponent(addr) + "?actor=web",
      { method: "DELETE", headers: auth() });
    if (r.ok) { tr.remove(); say("lifted " + addr); } else { say(await errorOf(r), true); }
  }
  async function search(ev) {
    if (ev) ev.preventDefault();
    const q = new URLSearchParams({ domain: $("domain").value, reason: $("reason").value, limit: "500" });
    const r = await fetch("/api/v1/suppressions?" + q, { headers: auth() });
    const rows = $("rows");
    rows.replaceChildren();
    if (!r.ok) { say(await errorOf(r), true); return; }
    const data = await r.json();
    say(data.total + " suppressed");
    for (const s of data.suppressions) {
      const tr = document.createElement("tr");
      cell(tr, s.address);
      cell(tr, s.reason, s.hard ? "hard" : "");
      cell(tr, s.scope);
      cell(tr, String(s.count));
      cell(tr, day(s.last_seen, true));
      cell(tr, day(s.expires_at, false));
      cell(tr, ((s.status || "") + " " + (s.diagnostic || "")).trim(), "diag");
      const b = document.createElement("button");
      b.textContent = "Lift";
      b.addEventListener("click", () => lift(s.address, tr));
      cell(tr, "").appendChild(b);
      rows.appendChild(tr);
    }
  }
  document.addEventListener("DOMContentLoaded", () => $("search").addEventListener("submit", search));
})();
