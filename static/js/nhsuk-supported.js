// Marks <body> as JS-enabled and NHS.UK-frontend-supported before first paint.
//
// This replaces the inline <script> snippet from NHS.UK frontend's page
// template, which CSP `script-src 'self'` would block. It must be a classic
// (non-module, non-deferred) script placed as the first child of <body>, so
// that conditional reveals and tabs are hidden before they are painted rather
// than flashing open until app.js runs. The components refuse to initialise
// without the `nhsuk-frontend-supported` class; 'noModule' detects browsers
// that can run the ES module bundle at all.
document.body.className += ' js-enabled' +
  ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
