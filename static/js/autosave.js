/*
 * Autosave for audit form questions (docs/frontend.md, "Autosave"; spec
 * ux-and-security.md §3.2). Classic script, loaded with `defer` on form pages
 * after htmx. No eval, no inline handlers, no globals except
 * window.clinauditAutosave (read-only counters for tests). It never replaces
 * or re-renders an input and never moves focus away from one.
 *
 * Markup it works with (one question; ID is the key id, KEY the data key):
 *   div[data-autosave][data-key=KEY]#fg-ID           the form group
 *     [data-save][hx-post][hx-trigger …, retry]      the element that saves
 *       inputs named KEY (dates: KEY-day/-month/-year inside
 *       .nhsuk-date-input / [data-date], which is itself the [data-save])
 *     #msg-ID                                        server messages
 *     input[type=hidden][name=v]#v-ID                version the page shows
 *     p.app-save-status#st-ID[role=status]           status line
 *
 * Events it dispatches (bubbling CustomEvents, on the [data-save] element):
 *   date-complete  day, month and a 4-digit year filled in, 800 ms after the
 *                  last keystroke, and different from what was last sent
 *   date-left      focus left the date inputs and they differ from what was
 *                  last sent (including all three emptied)
 *   retry          automatic/online/Retry-button/restore-after-sign-in retry
 *
 * Classes it sets on the form group (the lead's CSS styles them):
 *   .app-saving             a request for this group is in flight
 *   .app-save-failed        not saved: network error, timeout, 5xx, 401, 4xx
 *   .app-conflict           409 with the conflict panel (#conflict-ID in
 *                           #msg-ID): someone else changed it
 *   .nhsuk-form-group--error  422, or a 409 without the panel (the record is
 *                           locked, past its deadline…) (added); 2xx (removed)
 * and inside #st-ID on failure:
 *   button.app-retry.nhsuk-button.nhsuk-button--secondary.nhsuk-button--small
 *
 * CSS suggestions (not loaded from here; for css/app.css):
 *   .app-save-status        { min-height: 1.5em; margin: 0 0 8px;
 *                             color: var(--nhsuk-secondary-text-colour, #4c6272); }
 *   .app-saving .app-save-status { font-style: italic; }
 *   .app-save-failed        { padding-left: 16px; border-left: 4px solid #d5281b; }
 *   .app-save-failed .app-save-status { color: #d5281b; font-weight: 600; }
 *   .app-conflict           { padding-left: 16px; border-left: 4px solid #ffeb3b; }
 *   .app-save-status .app-retry { margin: 0 0 0 8px; vertical-align: baseline; }
 *                             (nhsuk-button--small is 36px high: ≥ 24×24 target)
 */
(() => {
  'use strict';

  const GROUP = '[data-autosave]';
  const SAVE = '[data-save]';
  const DATE = '[data-date], .nhsuk-date-input';

  const TIMEOUT_MS = 15000;
  const DATE_DELAY_MS = 800;
  const RETRY_FIRST_MS = 2000;
  const RETRY_MAX_MS = 30000;
  const REFRESH_GUARD_MS = 60000;

  const STASH_PREFIX = 'autosave:'; // + location.pathname + ':' + data-key
  const STASH_USER = 'autosave-user';
  const REFRESH_MARK = 'autosave-refresh:'; // + location.pathname

  const MSG_SAVING = 'Saving…';
  const MSG_FAILED = 'Not saved – retry';
  const MSG_AUTH = 'You were signed out, so your last answer was not saved. ' +
    'Sign in again in another tab, then choose Retry.';

  // data-key -> { inflight, failed: null|'network'|'auth'|'http', conflict,
  //               attempts, timer, manual }
  const states = new Map();
  // XMLHttpRequest -> data-key, from htmx:beforeSend until its response.
  const inflight = new Map();
  // form control -> its state when it was last sent (else its default).
  const lastSent = new WeakMap();
  // date [data-save] element -> pending date-complete timer.
  const dateTimers = new WeakMap();

  let reloading = false; // htmx is reloading the page after we stashed
  let signingOut = false;

  /* ---- DOM helpers ---------------------------------------------------- */

  const groupOf = (el) => (el instanceof Element ? el.closest(GROUP) : null);

  function groupByKey(key) {
    return document.querySelector(GROUP + '[data-key="' + CSS.escape(key) + '"]');
  }

  // Elements matching selector that belong to group itself, not to a group
  // nested in it.
  function own(group, selector) {
    return Array.from(group.querySelectorAll(selector)).filter((el) => el.closest(GROUP) === group);
  }

  function statusOf(group) {
    const id = group.id.startsWith('fg-') ? group.id.slice(3) : '';
    return (id && document.getElementById('st-' + id)) || own(group, '.app-save-status')[0] || null;
  }

  const isControl = (el) => el.name && !el.disabled &&
    !/^(button|submit|reset|image|file)$/.test(el.type || '');

  // The answer's own inputs (inside [data-save]); not the version field.
  const answerControls = (group) => own(group, SAVE + ' input, ' + SAVE + ' select, ' + SAVE + ' textarea')
    .filter(isControl);

  // Everything the group sends (hx-include="#fg-ID"), including v.
  const allControls = (group) => own(group, 'input, select, textarea').filter(isControl);

  const checkable = (c) => c.type === 'checkbox' || c.type === 'radio';

  function stateOf(c) {
    if (checkable(c)) return c.checked ? '1' : '';
    if (c.tagName === 'SELECT') return Array.from(c.options).filter((o) => o.selected).map((o) => o.value).join('\n');
    return c.value;
  }

  // The value the server rendered: that is what is stored.
  function defaultOf(c) {
    if (checkable(c)) return c.defaultChecked ? '1' : '';
    if (c.tagName === 'SELECT') {
      const opts = Array.from(c.options);
      let sel = opts.filter((o) => o.defaultSelected);
      if (!sel.length && !c.multiple && opts.length) sel = [opts[0]];
      return sel.map((o) => o.value).join('\n');
    }
    return c.defaultValue;
  }

  const baselineOf = (c) => (lastSent.has(c) ? lastSent.get(c) : defaultOf(c));
  const isDirty = (group) => answerControls(group).some((c) => stateOf(c) !== baselineOf(c));
  const recordSent = (group) => answerControls(group).forEach((c) => lastSent.set(c, stateOf(c)));

  // {name: [values]} as a form submission would send them.
  function valuesOf(group) {
    const out = {};
    for (const c of allControls(group)) {
      let vals;
      if (checkable(c)) vals = c.checked ? [c.value] : [];
      else if (c.tagName === 'SELECT') vals = Array.from(c.options).filter((o) => o.selected).map((o) => o.value);
      else vals = [c.value];
      if (vals.length) (out[c.name] = out[c.name] || []).push(...vals);
    }
    return out;
  }

  // Sets control values only (no events, no DOM replacement).
  function applyValues(group, values) {
    const used = {};
    for (const c of allControls(group)) {
      const vals = Array.isArray(values[c.name]) ? values[c.name].map(String) : [];
      if (checkable(c)) {
        c.checked = vals.includes(c.value);
      } else if (c.tagName === 'SELECT') {
        for (const o of c.options) o.selected = vals.includes(o.value);
      } else {
        const i = used[c.name] || 0;
        used[c.name] = i + 1;
        if (i < vals.length) c.value = vals[i];
      }
    }
  }

  function sameAnswer(a, b) {
    const names = new Set([...Object.keys(a), ...Object.keys(b)]);
    names.delete('v');
    for (const n of names) {
      if (JSON.stringify(a[n] || []) !== JSON.stringify(b[n] || [])) return false;
    }
    return true;
  }

  function labelOf(group) {
    const el = own(group, 'legend')[0] || own(group, 'label')[0];
    return el ? el.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  // Focus the answer itself (the checked radio if there is one).
  function focusAnswer(group) {
    const cs = answerControls(group);
    const c = cs.find((x) => x.type === 'radio' && x.checked) || cs.find((x) => x.type !== 'radio') || cs[0];
    if (c) c.focus();
  }

  // If focus is inside the status line (its Retry button), which is about
  // to be rewritten, put it on the answer rather than let it drop to <body>.
  function rescueFocus(group, st) {
    if (st && st.contains(document.activeElement)) focusAnswer(group);
  }

  /* ---- status line ------------------------------------------------------ */

  // marker records which of our messages is showing, and autosaveText its
  // text: the server's own status (swapped in as the element's content)
  // changes the text, which tells calmStatus not to overwrite it.
  function setStatus(group, text, marker, alert, retry) {
    const st = statusOf(group);
    if (!st) return;
    rescueFocus(group, st);
    // Role first, then content, so the change is announced with the new role.
    st.setAttribute('role', alert ? 'alert' : 'status');
    st.setAttribute('aria-live', alert ? 'assertive' : 'polite');
    st.textContent = text;
    st.dataset.autosaveMsg = marker;
    if (retry) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'app-retry nhsuk-button nhsuk-button--secondary nhsuk-button--small';
      b.textContent = 'Retry';
      const label = labelOf(group);
      if (label) {
        const hidden = document.createElement('span');
        hidden.className = 'nhsuk-u-visually-hidden';
        hidden.textContent = ' saving: ' + label;
        b.append(hidden);
      }
      st.append(' ', b);
    }
    st.dataset.autosaveText = st.textContent;
  }

  function calmStatus(group, fallbackText) {
    const st = statusOf(group);
    if (!st) return;
    if (st.getAttribute('role') === 'alert') {
      st.setAttribute('role', 'status');
      st.setAttribute('aria-live', 'polite');
    }
    // The server normally writes #st-ID's content out of band ("Saved",
    // "Not saved: why"); if it did not, do not leave "Saving…" or a failure
    // message behind.
    if (st.dataset.autosaveMsg) {
      if (st.textContent === st.dataset.autosaveText) {
        rescueFocus(group, st);
        st.textContent = fallbackText;
      }
      delete st.dataset.autosaveMsg;
      delete st.dataset.autosaveText;
    }
  }

  /* ---- sessionStorage stash --------------------------------------------- */

  const stashKey = (key) => STASH_PREFIX + location.pathname + ':' + key;
  const currentUser = () => (document.body && document.body.getAttribute('data-user')) || '';

  function stash(group) {
    try {
      sessionStorage.setItem(stashKey(group.dataset.key), JSON.stringify(valuesOf(group)));
      const user = currentUser();
      if (user) sessionStorage.setItem(STASH_USER, user);
    } catch (e) { /* storage full or disabled: the value is still on the page */ }
  }

  function unstash(key) {
    try { sessionStorage.removeItem(stashKey(key)); } catch (e) { /* ignore */ }
  }

  function readStash(key) {
    try {
      const v = JSON.parse(sessionStorage.getItem(stashKey(key)) || 'null');
      return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
    } catch (e) { return null; }
  }

  function clearAllStashes() {
    try {
      // Keys first, then removal: the order of sessionStorage's keys may
      // change as items are removed, so removing while indexing skips some.
      const keys = [];
      for (let i = 0; i < sessionStorage.length; i++) keys.push(sessionStorage.key(i));
      for (const k of keys) {
        if (k && (k.startsWith(STASH_PREFIX) || k === STASH_USER)) sessionStorage.removeItem(k);
      }
    } catch (e) { /* ignore */ }
  }

  function stashFailed() {
    for (const [key, s] of states) {
      if (s.failed !== 'network' && s.failed !== 'auth') continue;
      const g = groupByKey(key);
      if (g) stash(g);
    }
  }

  /* ---- state and counts ------------------------------------------------- */

  function stateFor(key) {
    let s = states.get(key);
    if (!s) {
      s = { inflight: 0, failed: null, conflict: false, attempts: 0, timer: 0, manual: false };
      states.set(key, s);
    }
    return s;
  }

  const count = (pred) => {
    let n = 0;
    for (const [key, s] of states) if (pred(s) && groupByKey(key)) n++;
    return n;
  };
  const pendingCount = () => inflight.size;
  const failedCount = () => count((s) => !!s.failed);
  const conflictCount = () => count((s) => s.conflict);
  const unsentCount = () => Array.from(document.querySelectorAll(GROUP)).filter(isDirty).length;

  /* ---- retry ------------------------------------------------------------ */

  function retry(key, manual) {
    const s = states.get(key);
    const group = groupByKey(key);
    if (s) clearTimeout(s.timer);
    if (!group) {
      if (s && !s.inflight) states.delete(key); // question gone from the page
      return;
    }
    const el = own(group, SAVE)[0];
    if (!el || !window.htmx) return;
    if (s) s.manual = manual;
    window.htmx.trigger(el, 'retry');
  }

  function scheduleRetry(key, s) {
    clearTimeout(s.timer);
    s.attempts += 1;
    const delay = Math.min(RETRY_FIRST_MS * 2 ** (s.attempts - 1), RETRY_MAX_MS);
    s.timer = setTimeout(() => retry(key, false), delay);
  }

  /* ---- outcome of a save ------------------------------------------------ */

  function clearFailure(s, group) {
    s.failed = null;
    s.attempts = 0;
    clearTimeout(s.timer);
    if (group) group.classList.remove('app-save-failed');
  }

  function fail(key, s, group, kind) {
    const before = s.failed;
    s.failed = kind;
    if (kind === 'network') scheduleRetry(key, s);
    else clearTimeout(s.timer);
    if (!group) return;
    group.classList.add('app-save-failed');
    if (kind !== 'http') stash(group);
    const st = statusOf(group);
    // An automatic retry that fails the same way leaves the message as it
    // is, so screen readers do not repeat the alert every few seconds.
    if (before === kind && st && st.dataset.autosaveMsg === kind) return;
    setStatus(group, kind === 'auth' ? MSG_AUTH : MSG_FAILED, kind, true, true);
  }

  // The server's conflict panel (partials/audit_saved.html) has the id
  // conflict-ID; its other 409 answers are a plain error message.
  const isConflictPanel = (xhr) => /\bid="conflict-/.test(xhr.responseText || '');

  function finish(xhr) {
    const key = inflight.get(xhr);
    if (key === undefined) return;
    inflight.delete(xhr);
    const s = stateFor(key);
    s.inflight = Math.max(0, s.inflight - 1);
    const group = groupByKey(key);
    if (group && s.inflight === 0) group.classList.remove('app-saving');
    const status = xhr.status;

    if (status >= 200 && status < 300) {
      clearFailure(s, group);
      s.conflict = false;
      unstash(key);
      if (!group) return;
      group.classList.remove('nhsuk-form-group--error', 'app-conflict');
      own(group, '.nhsuk-input--error, .nhsuk-select--error, .nhsuk-textarea--error').forEach((el) => {
        el.classList.remove('nhsuk-input--error', 'nhsuk-select--error', 'nhsuk-textarea--error');
      });
      calmStatus(group, '');
    } else if (status === 422 || status === 409) {
      // The server answered: its message is in #msg-ID, "Not saved" in #st-ID.
      // A 409 is a conflict only when it carries the conflict panel; a 409
      // for the record's state (locked, past the deadline, opted out) is a
      // refusal, shown as an error like a 422.
      clearFailure(s, group);
      unstash(key);
      const conflict = status === 409 && isConflictPanel(xhr);
      s.conflict = conflict;
      if (!group) return;
      group.classList.remove(conflict ? 'nhsuk-form-group--error' : 'app-conflict');
      group.classList.add(conflict ? 'app-conflict' : 'nhsuk-form-group--error');
      calmStatus(group, 'Not saved');
    } else if (status === 401) {
      fail(key, s, group, 'auth');
    } else if (status === 0 || status >= 500 || status === 408 || status === 429) {
      fail(key, s, group, 'network'); // includes htmx:sendError, htmx:timeout, aborts
    } else {
      fail(key, s, group, 'http'); // e.g. 403: the server's message is in #msg-ID
    }
  }

  /* ---- htmx events ------------------------------------------------------ */

  const eltOf = (e) => (e.detail && e.detail.elt) || e.target;

  // Do not re-send an answer identical to the one last sent (e.g. `change`
  // after the `keyup` save of the same text). Never for retries.
  const DEDUPE_EVENTS = new Set(['change', 'keyup', 'input', 'date-complete', 'date-left']);
  document.addEventListener('htmx:beforeRequest', (e) => {
    const elt = eltOf(e);
    if (!(elt instanceof Element) || !elt.matches(SAVE)) return;
    const group = groupOf(elt);
    if (!group || !group.dataset.key) return;
    const cfg = e.detail && e.detail.requestConfig;
    const trig = cfg && cfg.triggeringEvent;
    if (!trig || !DEDUPE_EVENTS.has(trig.type)) return;
    const s = states.get(group.dataset.key);
    if (s && (s.failed || s.inflight)) return;
    if (!isDirty(group)) e.preventDefault();
  });

  // beforeSend, not beforeRequest: it fires only for a request that is
  // really sent (beforeRequest can still be cancelled by another listener),
  // so every count is matched by a response, error or timeout.
  document.addEventListener('htmx:beforeSend', (e) => {
    const group = groupOf(eltOf(e));
    const xhr = e.detail && e.detail.xhr;
    if (!group || !group.dataset.key || !xhr) return;
    const key = group.dataset.key;
    const s = stateFor(key);
    inflight.set(xhr, key);
    s.inflight += 1;
    recordSent(group);
    group.classList.add('app-saving');
    // Automatic retries keep the failure message (no repeated alerts).
    if (!s.failed || s.manual) setStatus(group, MSG_SAVING, 'saving', false, false);
    s.manual = false;
  });

  // Before the response is handled: keep focus off a Retry button that the
  // server's status is about to replace, and make a CSRF reload (HX-Refresh,
  // after signing in again elsewhere) lose nothing.
  document.addEventListener('htmx:beforeOnLoad', (e) => {
    const xhr = e.detail && e.detail.xhr;
    const key = xhr && inflight.get(xhr);
    if (key === undefined || !xhr) return;
    const group = groupByKey(key);
    const status = xhr.status;
    if (group && ((status >= 200 && status < 300) || status === 409 || status === 422)) {
      rescueFocus(group, statusOf(group));
    }
    if (xhr.getResponseHeader('HX-Refresh') !== 'true') return;
    let last = 0;
    try { last = Number(sessionStorage.getItem(REFRESH_MARK + location.pathname)) || 0; } catch (err) { /* ignore */ }
    if (Date.now() - last < REFRESH_GUARD_MS) {
      // Reloaded for this very reason a moment ago: do not loop. The save is
      // then reported as failed, with Retry.
      e.preventDefault();
      return;
    }
    try { sessionStorage.setItem(REFRESH_MARK + location.pathname, String(Date.now())); } catch (err) { /* ignore */ }
    if (group) stash(group);
    stashFailed();
    // Everything unsaved is now stashed and comes back after the reload, so
    // skip the "leave page?" prompt unless something else is still unsent.
    if (inflight.size <= 1 && unsentCount() === 0) {
      reloading = true;
      setTimeout(() => { reloading = false; }, 3000);
    }
  });

  // The server's 5xx fragment (with role="alert") goes into #msg-ID once;
  // repeating failures of automatic retries do not swap it in again, or it
  // would be announced every few seconds.
  document.addEventListener('htmx:beforeSwap', (e) => {
    const xhr = e.detail && e.detail.xhr;
    const key = xhr && inflight.get(xhr);
    if (key === undefined || !xhr || xhr.status < 500) return;
    const s = states.get(key);
    if (s && s.failed === 'network') e.detail.shouldSwap = false;
  });

  document.addEventListener('htmx:afterRequest', (e) => {
    const xhr = e.detail && e.detail.xhr;
    if (xhr) finish(xhr);
  });
  // afterRequest fires before these too; they only matter if it was missed.
  for (const name of ['htmx:sendError', 'htmx:timeout', 'htmx:sendAbort', 'htmx:onLoadError']) {
    document.addEventListener(name, (e) => {
      const xhr = e.detail && e.detail.xhr;
      if (xhr) finish(xhr);
    });
  }

  /* ---- date inputs -------------------------------------------------------- */

  function dateParts(dc) {
    return Array.from(dc.querySelectorAll('input')).filter((i) => i.type !== 'hidden');
  }

  function dateComplete(dc) {
    const parts = dateParts(dc);
    if (!parts.length || parts.some((p) => !p.value.trim())) return false;
    const year = parts.find((p) => /-year$/.test(p.name || p.id)) || parts[parts.length - 1];
    return year.value.trim().length >= 4;
  }

  const saveElOfDate = (dc) => dc.closest(SAVE) || dc;

  function fire(el, name) {
    if (window.htmx) window.htmx.trigger(el, name);
    else el.dispatchEvent(new CustomEvent(name, { bubbles: true, cancelable: true }));
  }

  document.addEventListener('input', (e) => {
    signingOut = false;
    const t = e.target;
    const dc = t instanceof Element ? t.closest(DATE) : null;
    if (!dc) return;
    const el = saveElOfDate(dc);
    const group = groupOf(el);
    if (!group) return;
    clearTimeout(dateTimers.get(el));
    dateTimers.delete(el);
    if (!dateComplete(dc)) return;
    dateTimers.set(el, setTimeout(() => {
      dateTimers.delete(el);
      if (dc.isConnected && dateComplete(dc) && isDirty(group)) fire(el, 'date-complete');
    }, DATE_DELAY_MS));
  });

  document.addEventListener('focusout', (e) => {
    const t = e.target;
    const dc = t instanceof Element ? t.closest(DATE) : null;
    if (!dc) return;
    const rt = e.relatedTarget;
    if (rt instanceof Node && dc.contains(rt)) return;
    const left = () => {
      // Still inside: the window lost focus (another tab), not the field.
      if (!dc.isConnected || dc.contains(document.activeElement)) return;
      const el = saveElOfDate(dc);
      const group = groupOf(el);
      if (!group) return;
      clearTimeout(dateTimers.get(el));
      dateTimers.delete(el);
      if (isDirty(group)) fire(el, 'date-left');
    };
    if (rt) left(); else setTimeout(left, 0);
  });

  /* ---- Retry button, connectivity, leaving, signing out -------------------- */

  document.addEventListener('click', (e) => {
    const b = e.target instanceof Element ? e.target.closest('.app-retry') : null;
    const group = groupOf(b);
    if (!group || !group.dataset.key) return;
    retry(group.dataset.key, true);
  });

  window.addEventListener('online', () => {
    for (const [key, s] of states) {
      if (s.failed !== 'network') continue;
      s.attempts = 0;
      retry(key, false);
    }
  });

  // Back from the tab where they signed in again: try the signed-out saves.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    for (const [key, s] of states) if (s.failed === 'auth') retry(key, false);
  });

  window.addEventListener('beforeunload', (e) => {
    if (reloading) return;
    if (!signingOut) stashFailed();
    if (pendingCount() + failedCount() + conflictCount() + unsentCount() > 0) {
      e.preventDefault();
      e.returnValue = true; // older Chromium needs a truthy returnValue
    }
  });

  // Signing out on purpose: leave no answers behind in this tab.
  document.addEventListener('submit', (e) => {
    const f = e.target;
    if (!(f instanceof HTMLFormElement)) return;
    let path = '';
    try { path = new URL(f.action, location.href).pathname; } catch (err) { return; }
    if (path === '/sign-out') {
      signingOut = true;
      clearAllStashes();
    }
  });

  /* ---- start-up ------------------------------------------------------------ */

  if (window.htmx) window.htmx.config.timeout = TIMEOUT_MS;

  function restoreStashes() {
    // Stashes are applied only for the user who stashed them (<body
    // data-user>): another user of this tab, or a stash whose owner is not
    // known, is deleted unapplied.
    const user = currentUser();
    try {
      const owner = sessionStorage.getItem(STASH_USER) || '';
      if (!user || owner !== user) {
        clearAllStashes();
        return;
      }
    } catch (e) { return; }
    if (!window.htmx) return;
    for (const group of document.querySelectorAll(GROUP)) {
      const key = group.dataset.key;
      if (!key) continue;
      const values = readStash(key);
      if (!values) continue;
      // Read-only now (e.g. locked): keep the stash, do not apply it.
      if (!answerControls(group).length) continue;
      if (sameAnswer(values, valuesOf(group))) {
        unstash(key); // the server already has it
        continue;
      }
      // Includes the version the answer was based on, so a change made by
      // someone else meanwhile comes back as a 409 conflict, not overwritten.
      applyValues(group, values);
      // The stash is removed when the server answers (2xx, 409, 422), not
      // now: a failed retry must not lose it.
      retry(key, true);
    }
  }

  function start() {
    if (window.htmx) window.htmx.config.timeout = TIMEOUT_MS;
    restoreStashes();
  }

  // htmx processes the page in its own DOMContentLoaded listener (added
  // earlier, since it is loaded first); run after it so hx-trigger="retry"
  // is already wired up.
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', () => setTimeout(start, 0));
  } else {
    setTimeout(start, 0);
  }

  window.clinauditAutosave = Object.freeze({
    pending: pendingCount, // requests in flight
    failed: failedCount, // saves that failed (network, 5xx, timeout, 401, other 4xx)
    conflicts: conflictCount, // 409s not yet resolved
    unsent: unsentCount, // answers changed but not yet sent (typing, partial dates)
  });
})();
