// The operator page of bounced: the suppression list with its filters and
// cursor paging, one address's evidence, history and audit trail, adding
// and lifting with a note, the allowlist, charts of the daily counters,
// and the webhook endpoints with their dead letters.
//
// Every request carries the token typed in the page, kept in this tab's
// sessionStorage only: never in the URL, and forgotten with the tab. Everything the
// server sends comes from bounces, that is from strangers: it is put into
// the page with textContent and setAttribute only, never parsed as HTML.
"use strict";
(function () {
  // ---- strings, English and Japanese -------------------------------------
  const STRINGS = {
    en: {
      title: "Suppressed addresses",
      language: "Language",
      token: "API token",
      tokenSave: "Use token",
      tokenForget: "Forget",
      navList: "Suppressions", navAdd: "Add", navAllow: "Allowlist", navCharts: "Charts", navAudit: "Audit",
      hello: "Enter the read token (or the write token, needed for changes).",
      tokenKept: "Token kept for this tab only.",
      tokenGone: "Token forgotten.",
      needToken: "Enter the API token first.",
      badToken: "The server refused the token (a change needs the write token).",
      tooMany: "Too many wrong tokens: wait a minute.",
      failed: "The request failed: {0}",
      prefix: "Address starts with", reason: "Reason", category: "Category", scope: "Scope", domain: "Domain",
      carrier: "Carrier", since: "Since", until: "Until", perPage: "Per page", search: "Search", clear: "Clear",
      moreFilters: "More filters",
      any: "(any)",
      address: "Address", count: "Count", lastSeen: "Last seen", expires: "Expires", serverSaid: "Server said",
      first: "First page", prev: "Previous", next: "Next",
      open: "Details", lift: "Lift",
      pageInfo: "Page {0}: {1} shown.",
      pageTotal: "{0} match.",
      pageMore: "More may follow: the next page goes on scanning.",
      noneFound: "No suppressed address matches.",
      back: "Back to the list", showing: "Showing {0}.",
      showRaw: "Show the raw bounce", hideRaw: "Hide the raw bounce", downloadRaw: "Download the raw bounce",
      noRaw: "No raw bounce is kept for this address.",
      evidence: "Evidence", bouncesSeen: "Every bounce seen", auditTrail: "Audit trail",
      at: "When", kind: "Kind", status: "Status", remoteMTA: "Remote MTA", rule: "Rule", confidence: "Confidence",
      action: "Action", actor: "Who", note: "Note", source: "Source", raw: "Raw",
      suppressedIn: "Suppressed (scope {0}) since {1}.", notSuppressed: "Not suppressed.",
      liftedBy: "Lifted {0} by {1}.",
      f_reason: "Reason", f_category: "Category", f_hard: "Hard", f_status: "Enhanced status", f_reply_code: "SMTP reply",
      f_diagnostic: "The server's words", f_remote_mta: "Remote MTA", f_reporting_mta: "Reporting MTA",
      f_format: "Decoder", f_rule: "Rule", f_confidence: "Confidence", f_rule_source: "Rule's source",
      f_original_subject: "Original Subject", f_original_message_id: "Original Message-ID", f_source: "Where it came from",
      f_verification: "VERP check", f_carrier: "Carrier", f_faults: "Address faults", f_suggestion: "Suggested address",
      f_policy: "Policy", f_hint: "Hint", f_count: "Entries", f_first_seen: "First seen", f_last_seen: "Last seen",
      f_suppressed_at: "Suppressed at", f_expires_at: "Expires", f_last_delivered: "Last delivered",
      f_complaint: "Complaint", f_note: "Note", f_raw: "Raw bounce (SHA-256)",
      yes: "yes", no: "no", never: "never",
      liftAsk: "Lift the suppression of {0}? Mail will be sent to it again.",
      noteNeeded: "Say why in the note.",
      lifted: "Lifted {0}.",
      addTitle: "Suppress an address by hand", add: "Add",
      addAsk: "Suppress {0} ({1}, scope {2})?",
      added: "{0}: {1}", addStatus_added: "added", addStatus_widened: "widened to this scope",
      addStatus_extended: "lasts longer now", addStatus_unchanged: "already suppressed, unchanged", addStatus_refused: "refused",
      allowTitle: "Allowlist",
      allowHelp: "An allowlisted address or domain is never suppressed; adding one lifts what it covers.",
      entry: "Address or domain", allowAdd: "Allow", remove: "Remove",
      allowAsk: "Allow {0}? Its suppressions are lifted.",
      removeAsk: "Remove {0} from the allowlist?",
      allowed: "{0} is allowlisted.", unallowed: "{0} is off the allowlist.",
      fromConfig: "configuration", fromStore: "added here",
      show: "Show",
      chartCategory: "Bounces per day by category",
      chartDomain: "Bounces per day by recipient domain",
      chartCarrier: "Bounces per day by carrier",
      chartEmpty: "Nothing counted in these days.",
      spike: "Spike: {0}, {1} on {2}, {3}× its usual {4} a day.",
      noSpike: "No domain or carrier stands out.",
      auditTitle: "Changes by operators",
      cancel: "Cancel", confirm: "Confirm",
      loading: "Loading…",
      cat_user_unknown: "unknown user", cat_host_unknown: "unknown domain", cat_mailbox_full: "mailbox full",
      cat_size_rejected: "too big", cat_policy_block: "blocked by policy", cat_transient: "transient",
      cat_suspended: "suspended", cat_complaint: "complaint", cat_auto_reply: "auto reply",
      cat_delivered: "delivered", cat_manual: "by hand",
      navWebhooks: "Webhooks",
      webhooksTitle: "Webhook endpoints",
      webhooksHelp: "An event a receiver refused max_attempts times is moved to the endpoint's dead-letter subject. Once the receiver answers again, send it again with the command below.",
      whEndpoint: "Endpoint", whURL: "URL", whEvents: "Events", whState: "State", whPending: "Pending",
      whDelivered: "Delivered", whFailed: "Failed", whDead: "Dead-lettered", whLastDelivered: "Last delivery",
      whLastError: "Last error", whAll: "all", whUnknown: "unknown",
      whNone: "No webhook endpoint is configured.",
      whCount: "{0} webhook endpoint(s); {1} with dead letters.",
      whStored: "{0} ({1} stored)",
      whDeadTitle: "Dead letters of {0}: {1} stored in {2}",
      whDeadAt: "Dead-lettered", whEventID: "Event", whType: "Type", whAttempts: "Attempts", whError: "Last error", whEventTime: "Event time",
      whShown: "The last {0} are shown, newest first.",
      whReplay: "To send these to {0} again once it answers, run the command below.",
      whReplayNote: "A replay sends every event stored since that time, delivered before or not; receivers deduplicate on webhook-id.",
      state_starting: "starting", state_running: "running", state_disabled: "disabled (410 Gone)",
    },
    ja: {
      title: "配信停止アドレス",
      language: "言語",
      token: "APIトークン",
      tokenSave: "トークンを使う",
      tokenForget: "消去",
      navList: "配信停止一覧", navAdd: "追加", navAllow: "許可リスト", navCharts: "グラフ", navAudit: "操作履歴",
      hello: "読み取りトークン（変更には書き込みトークン）を入力してください。",
      tokenKept: "トークンはこのタブにだけ保持します。",
      tokenGone: "トークンを消去しました。",
      needToken: "先にAPIトークンを入力してください。",
      badToken: "トークンが拒否されました（変更には書き込みトークンが必要です）。",
      tooMany: "誤ったトークンが多すぎます。1分待ってください。",
      failed: "要求に失敗しました: {0}",
      prefix: "アドレスの先頭", reason: "理由", category: "分類", scope: "範囲", domain: "ドメイン",
      carrier: "キャリア", since: "開始日", until: "終了日", perPage: "表示件数", search: "検索", clear: "クリア",
      moreFilters: "その他の条件",
      any: "（すべて）",
      address: "アドレス", count: "回数", lastSeen: "最終受信", expires: "解除予定", serverSaid: "サーバーの応答",
      first: "最初のページ", prev: "前へ", next: "次へ",
      open: "詳細", lift: "停止を解除",
      pageInfo: "{0}ページ目: {1}件を表示。",
      pageTotal: "該当 {0}件。",
      pageMore: "続きがある可能性があります。次のページで検索を続けます。",
      noneFound: "該当する配信停止アドレスはありません。",
      back: "一覧に戻る", showing: "{0} を表示中。",
      showRaw: "元のバウンスを表示", hideRaw: "元のバウンスを隠す", downloadRaw: "元のバウンスをダウンロード",
      noRaw: "このアドレスの元のバウンスは保存されていません。",
      evidence: "根拠", bouncesSeen: "受信したすべてのバウンス", auditTrail: "操作履歴",
      at: "日時", kind: "種類", status: "ステータス", remoteMTA: "相手のMTA", rule: "ルール", confidence: "確度",
      action: "操作", actor: "実行者", note: "メモ", source: "出所", raw: "元データ",
      suppressedIn: "配信停止中（範囲 {0}）: {1}から。", notSuppressed: "配信停止されていません。",
      liftedBy: "{0}に{1}が解除。",
      f_reason: "理由", f_category: "分類", f_hard: "恒久的", f_status: "拡張ステータス", f_reply_code: "SMTP応答コード",
      f_diagnostic: "サーバーの応答", f_remote_mta: "相手のMTA", f_reporting_mta: "報告したMTA",
      f_format: "デコーダー", f_rule: "ルール", f_confidence: "確度", f_rule_source: "ルールの出典",
      f_original_subject: "元の件名 (Subject)", f_original_message_id: "元の Message-ID", f_source: "取得元",
      f_verification: "VERP検証", f_carrier: "キャリア", f_faults: "アドレスの誤り", f_suggestion: "正しいと思われるアドレス",
      f_policy: "ポリシー", f_hint: "ヒント", f_count: "件数", f_first_seen: "初回受信", f_last_seen: "最終受信",
      f_suppressed_at: "停止日時", f_expires_at: "解除予定", f_last_delivered: "最終配信成功",
      f_complaint: "苦情", f_note: "メモ", f_raw: "元のバウンス (SHA-256)",
      yes: "はい", no: "いいえ", never: "なし",
      liftAsk: "{0} の配信停止を解除しますか？ このアドレスに再び送信されます。",
      noteNeeded: "メモに理由を書いてください。",
      lifted: "{0} の配信停止を解除しました。",
      addTitle: "手動で配信停止に追加", add: "追加",
      addAsk: "{0} を配信停止にしますか？（{1}、範囲 {2}）",
      added: "{0}: {1}", addStatus_added: "追加しました", addStatus_widened: "この範囲にも広げました",
      addStatus_extended: "期間を延ばしました", addStatus_unchanged: "既に停止中のため変更なし", addStatus_refused: "拒否されました",
      allowTitle: "許可リスト",
      allowHelp: "許可リストのアドレスやドメインは配信停止になりません。追加すると該当する停止は解除されます。",
      entry: "アドレスまたはドメイン", allowAdd: "許可", remove: "削除",
      allowAsk: "{0} を許可しますか？ 該当する配信停止は解除されます。",
      removeAsk: "{0} を許可リストから削除しますか？",
      allowed: "{0} を許可リストに追加しました。", unallowed: "{0} を許可リストから削除しました。",
      fromConfig: "設定ファイル", fromStore: "この画面で追加",
      show: "表示",
      chartCategory: "分類別の1日あたりのバウンス数",
      chartDomain: "宛先ドメイン別の1日あたりのバウンス数",
      chartCarrier: "キャリア別の1日あたりのバウンス数",
      chartEmpty: "この期間の集計はありません。",
      spike: "急増: {0} が {2} に {1}件（通常は1日 {4}件、その {3}倍）。",
      noSpike: "目立って増えたドメインやキャリアはありません。",
      auditTitle: "オペレーターによる変更",
      cancel: "キャンセル", confirm: "実行",
      loading: "読み込み中…",
      cat_user_unknown: "宛先不明", cat_host_unknown: "ドメイン不明", cat_mailbox_full: "容量超過",
      cat_size_rejected: "サイズ超過", cat_policy_block: "ポリシーで拒否", cat_transient: "一時的エラー",
      cat_suspended: "利用停止", cat_complaint: "苦情", cat_auto_reply: "自動応答",
      cat_delivered: "配信成功", cat_manual: "手動",
      navWebhooks: "Webhook",
      webhooksTitle: "Webhookの送信先",
      webhooksHelp: "受信側が max_attempts 回拒否したイベントは、送信先ごとのデッドレターサブジェクトに移されます。受信側が応答するようになったら、次のコマンドで再送します。",
      whEndpoint: "送信先", whURL: "URL", whEvents: "イベント", whState: "状態", whPending: "未配信",
      whDelivered: "配信済み", whFailed: "失敗", whDead: "デッドレター", whLastDelivered: "最終配信",
      whLastError: "最後のエラー", whAll: "すべて", whUnknown: "不明",
      whNone: "Webhookの送信先は設定されていません。",
      whCount: "Webhookの送信先 {0}件（うちデッドレターあり {1}件）。",
      whStored: "{0}（保存 {1}件）",
      whDeadTitle: "{0} のデッドレター: {2} に {1}件",
      whDeadAt: "デッドレター化", whEventID: "イベント", whType: "種類", whAttempts: "試行回数", whError: "最後のエラー", whEventTime: "イベント日時",
      whShown: "新しい順に最新 {0}件を表示しています。",
      whReplay: "{0} が応答するようになったら、次のコマンドで再送します。",
      whReplayNote: "再送では、その時刻以降に保存されたすべてのイベントを、配信済みかどうかにかかわらず送ります。受信側は webhook-id で重複を除いてください。",
      state_starting: "起動中", state_running: "稼働中", state_disabled: "停止（410 Gone）",
    },
  };
  const REASONS = ["user_unknown", "has_moved", "host_unknown", "not_accept", "mailbox_full", "message_too_big",
    "exceed_limit", "blocked", "rejected", "policy_violation", "spam_detected", "virus_detected", "filtered",
    "auth_failure", "bad_reputation", "require_ptr", "not_compliant_rfc", "security_error", "content_error",
    "no_relaying", "failed_starttls", "suppressed", "rate_limited", "too_many_connections", "suspended", "expired",
    "network_error", "system_error", "system_full", "mailer_error", "syntax_error", "on_hold", "undefined",
    "complaint", "manual"];
  const CATEGORIES = ["user_unknown", "host_unknown", "mailbox_full", "size_rejected", "policy_block", "transient",
    "suspended", "complaint", "manual"];

  const $ = (id) => document.getElementById(id);
  let lang = "en";
  const t = (key, ...args) => {
    let s = STRINGS[lang][key];
    if (s === undefined) s = STRINGS.en[key];
    if (s === undefined) s = key;
    return s.replace(/\{(\d)\}/g, (m, i) => (args[i] === undefined ? "" : String(args[i])));
  };
  const catName = (c) => (STRINGS.en["cat_" + c] ? t("cat_" + c) : c);

  // el builds an element: attrs are set with setAttribute (never an
  // event handler), children are nodes or strings put in as text.
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const k of kids) {
      if (k === undefined || k === null) continue;
      e.appendChild(typeof k === "string" ? document.createTextNode(k) : k);
    }
    return e;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const when = (s, dateOnly) => {
    if (!s || s.startsWith("0001-")) return t("never");
    return dateOnly ? s.slice(0, 10) : s.slice(0, 16).replace("T", " ");
  };
  const yesNo = (b) => (b ? t("yes") : t("no"));

  // ---- status line and the API -------------------------------------------
  let statusKey = ["hello"];
  function say(bad, key, ...args) {
    statusKey = [key, ...args];
    $("status").textContent = t(key, ...args);
    $("status").className = bad ? "error" : "";
  }
  const TOKEN_KEY = "bounced.token";
  const token = () => sessionStorage.getItem(TOKEN_KEY) || $("token").value.trim();
  const auth = () => ({ Authorization: "Bearer " + token() });

  class APIError extends Error {}
  async function refused(r) {
    if (r.status === 401 || r.status === 403) { say(true, "badToken"); return new APIError("token"); }
    if (r.status === 429) { say(true, "tooMany"); return new APIError("limited"); }
    let msg = r.statusText || String(r.status);
    try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
    say(true, "failed", msg);
    return new APIError(msg);
  }
  function needToken() {
    if (token()) return true;
    say(true, "needToken");
    $("token").focus();
    return false;
  }
  // get reads a JSON answer; it throws (after saying why) on a refusal.
  async function get(path) {
    let r;
    try { r = await fetch(path, { headers: auth(), cache: "no-store" }); } catch (e) { say(true, "failed", e.message); throw e; }
    if (!r.ok) throw await refused(r);
    return r.json();
  }
  async function getRaw(path) {
    const r = await fetch(path, { headers: auth(), cache: "no-store" });
    if (!r.ok) throw await refused(r);
    return r;
  }
  // send makes a change; body, when given, goes as JSON.
  async function send(method, path, body) {
    const o = { method: method, headers: auth() };
    if (body !== undefined) {
      o.headers["Content-Type"] = "application/json";
      o.body = JSON.stringify(body);
    }
    let r;
    try { r = await fetch(path, o); } catch (e) { say(true, "failed", e.message); throw e; }
    if (!r.ok) throw await refused(r);
    return r.json();
  }
  const quiet = (p) => p.catch((e) => { if (!(e instanceof APIError)) console.error(e); });

  // ---- the confirmation dialog -------------------------------------------
  // ask shows msg and, when withNote, a note the operator must fill; it
  // resolves to the note ("" without one), or null when cancelled.
  let pending = null; // the resolve of the opening the dialog shows
  function ask(msg, withNote) {
    const d = $("confirm");
    $("confirm-msg").textContent = msg;
    $("confirm-notelabel").hidden = !withNote;
    const note = $("confirm-note");
    note.value = "";
    note.required = !!withNote;
    note.placeholder = withNote ? t("noteNeeded") : "";
    if (pending) pending(null);
    return new Promise((resolve) => {
      pending = resolve;
      d.returnValue = "";
      d.showModal();
      (withNote ? note : $("confirm-ok")).focus();
    });
  }
  function dialogClosed() {
    const d = $("confirm");
    // The close event is queued: one that comes after the dialog opened
    // again belongs to the earlier opening.
    if (d.open || !pending) return;
    const resolve = pending;
    pending = null;
    resolve(d.returnValue === "ok" ? $("confirm-note").value.trim() : null);
  }

  // ---- views -------------------------------------------------------------
  const VIEWS = ["list", "detail", "add", "allow", "charts", "audit", "webhooks"];
  let view = "list";
  function show(name) {
    view = name;
    for (const v of VIEWS) $("view-" + v).hidden = v !== name;
    for (const b of document.querySelectorAll("#nav button")) {
      b.classList.toggle("current", b.dataset.view === name || (name === "detail" && b.dataset.view === "list"));
    }
    if (!token()) return;
    if (name === "allow") quiet(loadAllow());
    if (name === "charts") quiet(loadCharts());
    if (name === "audit") quiet(loadAudit());
    if (name === "webhooks") quiet(loadWebhooks());
  }

  // ---- the list ----------------------------------------------------------
  const list = { cursors: [""], page: 0, data: null };
  function filters() {
    const q = new URLSearchParams();
    const put = (k, id) => { const v = $(id).value.trim(); if (v) q.set(k, v); };
    put("prefix", "f-prefix"); put("reason", "f-reason"); put("category", "f-category"); put("scope", "f-scope");
    put("domain", "f-domain"); put("carrier", "f-carrier"); put("since", "f-since"); put("until", "f-until");
    put("limit", "f-limit");
    return q;
  }
  async function loadList() {
    if (!needToken()) return;
    const q = filters();
    const cur = list.cursors[list.page];
    if (cur) q.set("cursor", cur);
    list.data = await get("/api/v1/suppressions?" + q);
    renderList();
    say(false, "pageInfo", list.page + 1, list.data.suppressions.length);
  }
  function search(ev) {
    if (ev) ev.preventDefault();
    list.cursors = [""];
    list.page = 0;
    show("list");
    quiet(loadList());
  }
  function labelled(tr, label, text, cls) {
    const td = el("td", { "data-label": label, class: cls }, text);
    tr.appendChild(td);
    return td;
  }
  function renderList() {
    const rows = $("rows");
    rows.replaceChildren();
    const d = list.data;
    if (!d) return;
    for (const s of d.suppressions) {
      const tr = el("tr", { "data-address": s.address });
      const open = el("button", { type: "button", class: "link addr" }, s.address);
      open.addEventListener("click", () => quiet(openDetail(s.address)));
      labelled(tr, t("address"), open);
      labelled(tr, t("reason"), s.reason, s.hard ? "hard" : "");
      labelled(tr, t("scope"), s.scope || "");
      labelled(tr, t("count"), String(s.count));
      labelled(tr, t("lastSeen"), when(s.last_seen), "when");
      labelled(tr, t("expires"), s.expires_at ? when(s.expires_at, true) : t("never"));
      labelled(tr, t("serverSaid"), [s.status, s.diagnostic].filter(Boolean).join(" "), "diag");
      const lift = el("button", { type: "button", class: "danger lift", "aria-label": t("lift") + " " + s.address }, t("lift"));
      lift.addEventListener("click", () => quiet(liftAddress(s.address)));
      labelled(tr, "", lift, "act");
      rows.appendChild(tr);
    }
    const info = [t("pageInfo", list.page + 1, d.suppressions.length)];
    if (d.total !== undefined && d.total !== null) info.push(t("pageTotal", d.total));
    if (d.next && d.suppressions.length < Number($("f-limit").value)) info.push(t("pageMore"));
    if (!d.next && d.suppressions.length === 0 && list.page === 0) info.push(t("noneFound"));
    $("pageinfo").textContent = info.join(" ");
    $("next").disabled = !d.next;
    $("prev").disabled = list.page === 0;
    $("first").disabled = list.page === 0;
  }
  function page(delta) {
    if (delta > 0) {
      if (!list.data || !list.data.next) return;
      list.cursors[list.page + 1] = list.data.next;
      list.cursors.length = list.page + 2;
      list.page++;
    } else if (delta < 0) {
      list.page = Math.max(0, list.page - 1);
    } else {
      list.page = 0;
    }
    quiet(loadList());
  }

  // ---- lift --------------------------------------------------------------
  async function liftAddress(addr) {
    if (!needToken()) return;
    const note = await ask(t("liftAsk", addr), true);
    if (note === null) return;
    await send("DELETE", "/api/v1/suppressions/" + encodeURIComponent(addr), { note: note, actor: "web" });
    say(false, "lifted", addr);
    if (view === "detail" && detail.address === addr) {
      await openDetail(addr);
      say(false, "lifted", addr);
    }
    if (list.data) {
      // The cursor of this page stays valid: the page comes again, from
      // the server, without the address.
      await loadList();
      say(false, "lifted", addr);
    }
  }

  // ---- one address -------------------------------------------------------
  const detail = { address: "", data: null, rawShown: false };
  const EVIDENCE = ["reason", "category", "hard", "status", "reply_code", "diagnostic", "remote_mta", "reporting_mta",
    "rule", "confidence", "rule_source", "format", "original_subject", "original_message_id", "source", "verification",
    "carrier", "faults", "suggestion", "policy", "hint", "count", "first_seen", "last_seen", "suppressed_at",
    "expires_at", "last_delivered", "complaint", "note", "raw"];
  async function openDetail(addr) {
    if (!needToken()) return;
    const d = await get("/api/v1/suppressions/" + encodeURIComponent(addr));
    detail.address = addr;
    detail.data = d;
    detail.rawShown = false;
    $("d-rawtext").hidden = true;
    $("d-rawtext").textContent = "";
    renderDetail();
    show("detail");
    say(false, "showing", addr);
    window.scrollTo(0, 0);
  }
  function fieldText(k, v) {
    if (v === undefined || v === null || v === "") return null;
    if (typeof v === "boolean") return yesNo(v);
    if (k.endsWith("_at") || k.endsWith("_seen") || k === "last_delivered") return when(v);
    if (k === "category") return v + " (" + catName(v) + ")";
    if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join("; ");
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }
  function renderDetail() {
    const d = detail.data;
    if (!d) return;
    $("d-address").textContent = d.address;
    let state = d.suppressed ? t("suppressedIn", d.scope || "", when(d.suppressed_at)) : t("notSuppressed");
    if (d.lifted_by) state += " " + t("liftedBy", when(d.lifted_at), d.lifted_by);
    $("d-state").textContent = state;
    $("d-state").className = d.suppressed ? "info bad" : "info";
    $("d-lift").hidden = !d.suppressed;
    $("d-raw").hidden = !d.raw;
    $("d-download").hidden = !d.raw;
    $("d-raw").textContent = detail.rawShown ? t("hideRaw") : t("showRaw");
    const dl = $("d-evidence");
    dl.replaceChildren();
    for (const k of EVIDENCE) {
      const text = fieldText(k, d[k]);
      if (text === null) continue;
      dl.appendChild(el("dt", null, t("f_" + k)));
      dl.appendChild(el("dd", { class: "f-" + k.replace(/_/g, "-") }, text));
    }
    const hb = $("d-bounces");
    hb.replaceChildren();
    for (const h of d.bounces || []) {
      const tr = el("tr");
      labelled(tr, t("at"), when(h.at), "when");
      labelled(tr, t("kind"), h.kind || "");
      labelled(tr, t("reason"), h.reason || "", h.hard ? "hard" : "");
      labelled(tr, t("status"), [h.status, h.reply_code].filter(Boolean).join(" "));
      labelled(tr, t("serverSaid"), h.diagnostic || h.note || "", "diag");
      labelled(tr, t("remoteMTA"), h.remote_mta || "");
      labelled(tr, t("rule"), h.rule || "");
      labelled(tr, t("confidence"), h.confidence || "");
      if (h.raw) {
        const b = el("button", { type: "button" }, t("downloadRaw"));
        b.addEventListener("click", () => quiet(downloadRaw(h.raw)));
        labelled(tr, "", b, "act");
      } else {
        labelled(tr, "", "", "act");
      }
      hb.appendChild(tr);
    }
    const au = $("d-audit");
    au.replaceChildren();
    for (const a of d.audit || []) au.appendChild(auditRow(a, false));
  }
  function auditRow(a, withAddress) {
    const tr = el("tr");
    labelled(tr, t("at"), when(a.at), "when");
    labelled(tr, t("action"), a.action || "");
    if (withAddress) labelled(tr, t("address"), a.address || "");
    labelled(tr, t("actor"), a.actor || "");
    labelled(tr, t("note"), a.note || "", "diag");
    labelled(tr, t("scope"), a.scope || "");
    labelled(tr, t("reason"), a.reason || "");
    return tr;
  }
  const rawPath = (hash) => "/api/v1/suppressions/" + encodeURIComponent(detail.address) + "/raw" +
    (hash ? "?hash=" + encodeURIComponent(hash) : "");
  async function toggleRaw() {
    const pre = $("d-rawtext");
    if (detail.rawShown) {
      detail.rawShown = false;
      pre.hidden = true;
      renderDetail();
      return;
    }
    const r = await getRaw(rawPath(""));
    const text = await r.text();
    pre.textContent = text.length > 262144 ? text.slice(0, 262144) + "\n…" : text;
    pre.hidden = false;
    detail.rawShown = true;
    renderDetail();
  }
  async function downloadRaw(hash) {
    const r = await getRaw(rawPath(hash));
    const blob = await r.blob();
    const url = URL.createObjectURL(new Blob([blob], { type: "application/octet-stream" }));
    const a = el("a", { href: url, download: (hash || detail.data.raw || "bounce") + ".eml" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---- add ---------------------------------------------------------------
  async function add(ev) {
    ev.preventDefault();
    if (!needToken()) return;
    const addr = $("a-address").value.trim();
    const reason = $("a-reason").value || "manual";
    const scope = $("a-scope").value.trim() || "all";
    const body = { address: addr, reason: reason, scope: scope, note: $("a-note").value.trim() };
    if ($("a-expires").value) body.expires_at = $("a-expires").value + "T00:00:00Z";
    if (await ask(t("addAsk", addr, reason, scope), false) === null) return;
    const res = await send("POST", "/api/v1/suppressions", Object.assign(body, { actor: "web" }));
    const ul = $("a-results");
    for (const x of res.results || []) {
      const li = el("li", { class: x.status === "refused" ? "error" : "" },
        t("added", x.address, t("addStatus_" + x.status)) + (x.error ? " (" + x.error + ")" : ""));
      ul.insertBefore(li, ul.firstChild);
      say(x.status === "refused", "added", x.address, t("addStatus_" + x.status));
    }
    if (!(res.results || []).some((x) => x.status === "refused")) $("addform").reset();
  }

  // ---- allowlist ---------------------------------------------------------
  let allowData = null;
  async function loadAllow() {
    if (!needToken()) return;
    allowData = await get("/api/v1/allowlist");
    renderAllow();
  }
  function renderAllow() {
    const rows = $("al-rows");
    rows.replaceChildren();
    if (!allowData) return;
    for (const a of allowData.allowlist || []) {
      const tr = el("tr", { "data-entry": a.entry });
      labelled(tr, t("entry"), a.entry);
      labelled(tr, t("source"), a.source === "config" ? t("fromConfig") : t("fromStore"));
      if (a.source === "store") {
        const b = el("button", { type: "button", class: "danger" }, t("remove"));
        b.addEventListener("click", () => quiet(changeAllow("DELETE", a.entry)));
        labelled(tr, "", b, "act");
      } else {
        labelled(tr, "", "", "act");
      }
      rows.appendChild(tr);
    }
  }
  async function changeAllow(method, entry, note) {
    if (!needToken()) return;
    if (method === "DELETE") {
      note = await ask(t("removeAsk", entry), true);
    } else if (await ask(t("allowAsk", entry), false) === null) {
      return;
    }
    if (note === null) return;
    const q = new URLSearchParams({ actor: "web", note: note || "" });
    const res = await send(method, "/api/v1/allowlist/" + encodeURIComponent(entry) + "?" + q);
    say(false, method === "PUT" ? "allowed" : "unallowed", res.entry || entry);
    if (method === "PUT") $("allowform").reset();
    await loadAllow();
  }

  // ---- charts ------------------------------------------------------------
  let statsData = null;
  const isoDay = (d) => d.toISOString().slice(0, 10);
  async function loadCharts(ev) {
    if (ev) ev.preventDefault();
    if (!needToken()) return;
    if (!$("c-until").value) $("c-until").value = isoDay(new Date());
    if (!$("c-since").value) $("c-since").value = isoDay(new Date(Date.now() - 29 * 86400000));
    const q = new URLSearchParams({ since: $("c-since").value, until: $("c-until").value, top_domains: "8" });
    statsData = await get("/api/v1/stats?" + q);
    renderCharts();
  }
  // Colours by name so that a category keeps its colour from day to day.
  const CAT_CLASS = { user_unknown: 1, host_unknown: 2, mailbox_full: 3, size_rejected: 4, policy_block: 0,
    transient: 5, suspended: 6, complaint: 7, manual: 8 };
  function seriesOf(days, field) {
    const totals = {};
    for (const d of days) for (const [k, n] of Object.entries(d[field] || {})) totals[k] = (totals[k] || 0) + n;
    return Object.keys(totals).sort((a, b) => (a === "(other)") - (b === "(other)") || totals[b] - totals[a] || (a < b ? -1 : 1))
      .map((k) => ({ name: k, total: totals[k] }));
  }
  function median(xs) {
    const s = xs.slice().sort((a, b) => a - b);
    if (!s.length) return 0;
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
  // spikes finds, per domain and carrier, the day far above its usual
  // count: at least 10 bounces and 4 times the median of the other days.
  function spikes(days) {
    const out = [];
    // Days before anything was counted say nothing of what is usual.
    const from = days.findIndex((d) => d.total > 0);
    if (from < 0) return out;
    days = days.slice(from);
    for (const field of ["domain", "carrier"]) {
      for (const s of seriesOf(days, field)) {
        if (s.name === "(other)") continue;
        const counts = days.map((d) => (d[field] || {})[s.name] || 0);
        let top = 0;
        for (let i = 1; i < counts.length; i++) if (counts[i] > counts[top]) top = i;
        const rest = counts.filter((_, i) => i !== top);
        const usual = Math.max(1, median(rest));
        if (counts[top] >= 10 && counts[top] >= 4 * usual) {
          out.push({ name: s.name, n: counts[top], day: days[top].day, times: Math.round(counts[top] / usual), usual: Math.round(median(rest) * 10) / 10 });
        }
      }
    }
    return out.sort((a, b) => b.times - a.times);
  }
  function renderCharts() {
    if (!statsData) return;
    const days = statsData.days || [];
    const ul = $("c-spikes");
    ul.replaceChildren();
    const sp = spikes(days);
    for (const s of sp) ul.appendChild(el("li", { class: "spike", "data-name": s.name }, t("spike", s.name, s.n, s.day, s.times, s.usual)));
    if (!sp.length) ul.appendChild(el("li", null, t("noSpike")));
    const hot = new Set(sp.map((s) => s.name));
    chart($("c-category"), days, "category", (name, i) => "c" + (CAT_CLASS[name] ?? (i % 10)), catName, hot);
    chart($("c-domain"), days, "domain", (name, i) => (name === "(other)" ? "cother" : "c" + (i % 10)), (x) => x, hot);
    chart($("c-carrier"), days, "carrier", (name, i) => "c" + (i % 10), (x) => x, hot);
  }
  // chart draws stacked bars, one per day, with a legend.
  function chart(box, days, field, cls, label, hot) {
    box.replaceChildren();
    const series = seriesOf(days, field);
    if (!series.length) { box.appendChild(el("p", { class: "info" }, t("chartEmpty"))); return; }
    const W = 720, H = 220, L = 40, B = 22, T = 8;
    const max = Math.max(1, ...days.map((d) => Object.values(d[field] || {}).reduce((a, b) => a + b, 0)));
    const bw = (W - L) / Math.max(1, days.length);
    const caption = box.parentNode.querySelector("figcaption");
    const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": caption ? caption.textContent : field, class: "bars" });
    const y = (n) => T + (H - T - B) * (1 - n / max);
    g.appendChild(svg("line", { x1: L, x2: W, y1: y(0), y2: y(0), class: "axis" }));
    g.appendChild(svg("text", { x: L - 4, y: y(max) + 10, class: "tick end" }, String(max)));
    g.appendChild(svg("text", { x: L - 4, y: y(0), class: "tick end" }, "0"));
    days.forEach((d, i) => {
      let base = 0;
      const x = L + i * bw;
      series.forEach((s, si) => {
        const n = (d[field] || {})[s.name] || 0;
        if (!n) return;
        const r = svg("rect", { x: x + 1, width: Math.max(1, bw - 2), y: y(base + n), height: y(base) - y(base + n),
          class: cls(s.name, si) + (hot.has(s.name) ? " hot" : ""), "data-series": s.name, "data-day": d.day });
        r.appendChild(svg("title", null, `${d.day} ${label(s.name)}: ${n}`));
        g.appendChild(r);
        base += n;
      });
      const every = Math.ceil(days.length / 6);
      if (i % every === 0) g.appendChild(svg("text", { x: x + bw / 2, y: H - 6, class: "tick mid" }, d.day.slice(5)));
    });
    box.appendChild(g);
    const legend = el("ul", { class: "legend" });
    series.forEach((s, si) => legend.appendChild(el("li", { class: hot.has(s.name) ? "hot" : "" },
      el("span", { class: "swatch " + cls(s.name, si) }), label(s.name) + " " + s.total)));
    box.appendChild(legend);
  }

  // ---- audit -------------------------------------------------------------
  let auditData = null;
  async function loadAudit() {
    if (!needToken()) return;
    auditData = await get("/api/v1/audit?limit=200");
    renderAudit();
  }
  function renderAudit() {
    const rows = $("au-rows");
    rows.replaceChildren();
    for (const a of (auditData && auditData.audit) || []) rows.appendChild(auditRow(a, true));
  }

  // ---- webhooks ----------------------------------------------------------
  // Each endpoint with its counters; one with dead letters is marked and
  // followed by its last dead letters and the command that sends them again.
  let webhooksData = null;
  async function loadWebhooks() {
    if (!needToken()) return;
    webhooksData = await get("/api/v1/webhooks");
    renderWebhooks();
    const eps = webhooksData.webhooks || [];
    if (eps.length) say(false, "whCount", eps.length, eps.filter(hasDead).length);
  }
  const hasDead = (w) => w.dead_lettered > 0 || w.dead_letters_stored > 0;
  const replayCommand = (name, since) => "bounced webhooks replay --endpoint " + name + " --since " + since;
  function renderWebhooks() {
    const rows = $("wh-rows");
    const dead = $("wh-dead");
    rows.replaceChildren();
    dead.replaceChildren();
    $("wh-info").textContent = "";
    if (!webhooksData) return;
    const eps = webhooksData.webhooks || [];
    if (!eps.length) $("wh-info").textContent = t("whNone");
    for (const w of eps) {
      const bad = hasDead(w);
      const tr = el("tr", { "data-endpoint": w.endpoint, class: bad ? "dead" : "" });
      labelled(tr, t("whEndpoint"), w.endpoint, "name");
      labelled(tr, t("whURL"), w.url || "", "addr");
      labelled(tr, t("whEvents"), (w.events || []).length ? w.events.join(", ") : t("whAll"));
      labelled(tr, t("whState"), STRINGS.en["state_" + w.state] ? t("state_" + w.state) : w.state || "",
        w.state === "disabled" ? "hard" : "");
      labelled(tr, t("whPending"), w.pending >= 0 ? String(w.pending) : t("whUnknown"));
      labelled(tr, t("whDelivered"), String(w.delivered));
      labelled(tr, t("whFailed"), String(w.failed), w.failed > 0 ? "failed" : "");
      const stored = w.dead_letters_stored;
      labelled(tr, t("whDead"), stored >= 0 && stored !== w.dead_lettered ? t("whStored", w.dead_lettered, stored) : String(w.dead_lettered),
        "deadcount" + (bad ? " dead" : ""));
      labelled(tr, t("whLastDelivered"), when(w.last_delivered), "when");
      labelled(tr, t("whLastError"), w.last_error ? when(w.last_error_at) + " " + w.last_error : "", "diag");
      rows.appendChild(tr);
      if (bad || w.dead_letters_error) dead.appendChild(deadBox(w));
    }
  }
  function deadBox(w) {
    const box = el("div", { class: "deadbox", "data-endpoint": w.endpoint });
    box.appendChild(el("h3", null, t("whDeadTitle", w.endpoint, w.dead_letters_stored >= 0 ? w.dead_letters_stored : t("whUnknown"), w.dead_letter_subject)));
    if (w.dead_letters_error) box.appendChild(el("p", { class: "error" }, w.dead_letters_error));
    const recent = w.recent_dead_letters || [];
    if (recent.length) {
      box.appendChild(el("p", { class: "info" }, t("whShown", recent.length)));
      const tb = el("tbody");
      for (const d of recent) {
        const tr = el("tr", { "data-id": d.id });
        labelled(tr, t("whDeadAt"), when(d.dead_lettered_at), "when");
        labelled(tr, t("whEventID"), d.id, "addr");
        labelled(tr, t("whType"), d.type || "");
        labelled(tr, t("whEventTime"), when(d.time), "when");
        labelled(tr, t("whAttempts"), String(d.attempts));
        labelled(tr, t("whError"), d.error || "", "diag");
        tb.appendChild(tr);
      }
      const head = el("tr");
      for (const k of ["whDeadAt", "whEventID", "whType", "whEventTime", "whAttempts", "whError"]) head.appendChild(el("th", null, t(k)));
      box.appendChild(el("table", { class: "cards" }, el("thead", null, head), tb));
    }
    box.appendChild(el("p", null, t("whReplay", w.endpoint)));
    box.appendChild(el("pre", { class: "cmd replay" }, replayCommand(w.endpoint, w.replay_since || "TIME")));
    box.appendChild(el("p", { class: "info" }, t("whReplayNote")));
    return box;
  }

  // ---- language ----------------------------------------------------------
  const LANG_KEY = "bounced.lang";
  function setLang(l) {
    lang = STRINGS[l] ? l : "en";
    document.documentElement.lang = lang;
    $("lang").value = lang;
    document.title = "bounced: " + t("title");
    for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
    fillSelect($("f-reason"), REASONS.filter((r) => r !== "manual"), (r) => r, true);
    fillSelect($("a-reason"), ["manual"].concat(REASONS.filter((r) => r !== "manual")), (r) => r, false);
    fillSelect($("f-category"), CATEGORIES, (c) => c + " – " + catName(c), true);
    $("status").textContent = t(...statusKey);
    renderList();
    renderDetail();
    renderAllow();
    renderCharts();
    renderAudit();
    renderWebhooks();
  }
  function fillSelect(sel, values, text, withAny) {
    const keep = sel.value;
    sel.replaceChildren();
    if (withAny) sel.appendChild(el("option", { value: "" }, t("any")));
    for (const v of values) sel.appendChild(el("option", { value: v }, text(v)));
    sel.value = keep;
    if (sel.selectedIndex < 0) sel.selectedIndex = 0;
  }

  function start() {
    const stored = sessionStorage.getItem(LANG_KEY);
    setLang(stored || (document.documentElement.lang || "en").slice(0, 2));
    if (sessionStorage.getItem(TOKEN_KEY)) $("token").placeholder = "••••••••";
    $("confirm").addEventListener("close", dialogClosed);
    $("lang").addEventListener("change", () => {
      sessionStorage.setItem(LANG_KEY, $("lang").value);
      setLang($("lang").value);
    });
    $("tokenform").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = $("token").value.trim();
      if (!v) { needToken(); return; }
      sessionStorage.setItem(TOKEN_KEY, v);
      $("token").value = "";
      $("token").placeholder = "••••••••";
      say(false, "tokenKept");
      if (view === "list") search();
      else show(view);
    });
    $("token-forget").addEventListener("click", () => {
      sessionStorage.removeItem(TOKEN_KEY);
      $("token").value = "";
      $("token").placeholder = "";
      list.data = null; detail.data = null; allowData = null; statsData = null; auditData = null; webhooksData = null;
      setLang(lang);
      say(false, "tokenGone");
    });
    for (const b of document.querySelectorAll("#nav button")) {
      b.addEventListener("click", () => { show(b.dataset.view); if (b.dataset.view === "list" && token() && !list.data) search(); });
    }
    $("filters").addEventListener("submit", search);
    $("clear").addEventListener("click", () => { $("filters").reset(); search(); });
    $("next").addEventListener("click", () => page(1));
    $("prev").addEventListener("click", () => page(-1));
    $("first").addEventListener("click", () => page(0));
    $("back").addEventListener("click", () => { show("list"); if (list.data) quiet(loadList()); });
    $("d-lift").addEventListener("click", () => quiet(liftAddress(detail.address)));
    $("d-raw").addEventListener("click", () => quiet(toggleRaw()));
    $("d-download").addEventListener("click", () => quiet(downloadRaw("")));
    $("addform").addEventListener("submit", (ev) => quiet(add(ev)));
    $("allowform").addEventListener("submit", (ev) => {
      ev.preventDefault();
      quiet(changeAllow("PUT", $("al-entry").value.trim(), $("al-note").value.trim()));
    });
    $("chartform").addEventListener("submit", (ev) => quiet(loadCharts(ev)));
    // On a wide screen every filter shows; on a phone they fold away.
    if (window.matchMedia("(min-width: 641px)").matches) $("more").open = true;
    show("list");
    if (token()) search();
  }
  document.addEventListener("DOMContentLoaded", start);
})();
