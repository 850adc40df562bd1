// Idle sign-out warning and signed-out handling (WCAG 2.2.1: warn before a
// timeout, with a way to extend it). The server puts the session's expiry
// on <body data-session-expires>; two minutes before it, a warning with a
// "Stay signed in" button appears. When the session has ended, or an htmx
// request gets 401, the page says so instead of failing silently.
(function () {
  'use strict';
  var body = document.body;
  var warnBefore = 2 * 60 * 1000;
  var timer = null;

  function csrf() {
    try { return JSON.parse(body.getAttribute('hx-headers'))['X-CSRF-Token']; } catch (e) { return ''; }
  }

  function ended() {
    var w = document.getElementById('session-warning');
    var e = document.getElementById('session-ended');
    if (w) w.hidden = true;
    if (e) { e.hidden = false; e.focus(); }
  }

  function schedule(expiresISO) {
    if (!expiresISO) return;
    var expires = Date.parse(expiresISO);
    if (isNaN(expires)) return;
    clearTimeout(timer);
    var warning = document.getElementById('session-warning');
    var tick = function () {
      var left = expires - Date.now();
      if (left <= 0) { ended(); return; }
      if (left <= warnBefore && warning) {
        warning.hidden = false;
        var mins = Math.ceil(left / 60000);
        document.getElementById('session-warning-time').textContent = mins + (mins === 1 ? ' minute' : ' minutes');
      }
      timer = setTimeout(tick, Math.min(15000, Math.max(1000, left - warnBefore)));
    };
    tick();
  }

  var stay = document.getElementById('session-stay');
  if (stay) {
    stay.addEventListener('click', function () {
      fetch('/session/extend', { method: 'POST', headers: { 'X-CSRF-Token': csrf(), 'HX-Request': 'true' }, credentials: 'same-origin' })
        .then(function (r) {
          if (r.status === 401) { ended(); return null; }
          return r.ok ? r.json() : null;
        })
        .then(function (j) {
          if (!j) return;
          document.getElementById('session-warning').hidden = true;
          schedule(j.expires);
        })
        .catch(function () { /* offline: the warning stays up */ });
    });
  }

  // Any successful request to the server keeps the session alive: restart
  // the timer from the idle timeout the page was served with.
  var served = body.getAttribute('data-session-expires');
  if (served) {
    var idle = Date.parse(served) - Date.now();
    schedule(served);
    document.addEventListener('htmx:afterRequest', function (ev) {
      var xhr = ev.detail && ev.detail.xhr;
      if (xhr && xhr.status === 401) { ended(); return; }
      if (xhr && xhr.status > 0 && xhr.status < 500) schedule(new Date(Date.now() + idle).toISOString());
    });
  }
  document.addEventListener('session-ended', ended);

  // A signed-in page restored from the back/forward cache (Back after
  // signing out) must not show patient data: ask the server again. The
  // server sends no-store, which not every browser honours for that cache.
  window.addEventListener('pageshow', function (ev) {
    if (ev.persisted && body.hasAttribute('data-session-expires')) window.location.reload();
  });
})();
