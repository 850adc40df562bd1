// Application glue. Loaded as <script type="module">: no inline scripts, so
// the app runs under CSP `script-src 'self'`.
//
// The import below is by the vendored file's plain (unhashed) name. It
// resolves to /static/vendor/nhsuk/nhsuk-frontend.min.js, which the static
// handler serves with `Cache-Control: no-cache` and a strong ETag, so it is
// revalidated (a 304 normally) and never stale after an upgrade. This file
// itself is loaded by its content-hashed URL.
import { initAll, InitError } from '../vendor/nhsuk/nhsuk-frontend.min.js';

// Re-running initAll over a region whose components are already set up makes
// each of them throw InitError; that is expected here, anything else is not.
function onError(error) {
  if (error instanceof InitError) return;
  console.error(error);
}

function init(scope) {
  initAll({ scope, onError });
}

// Belt and braces if the layout ever omits js/nhsuk-supported.js: without
// this class every component refuses to initialise. (A module script running
// at all proves the browser supports ES modules.)
document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');

// Module scripts run after the document is parsed, so the DOM is complete.
init(document);

// htmx fires htmx:load for every element it swaps in (and once for <body> at
// start-up, which init(document) has already covered). initAll only searches
// descendants of its scope, so when the new element is itself a component
// root (e.g. an outerHTML swap of a radios group) widen the scope to its
// parent; its already-initialised siblings raise InitError, ignored above.
document.addEventListener('htmx:load', (event) => {
  const elt = event.detail && event.detail.elt;
  if (!(elt instanceof Element) || elt === document.body) return;
  init(elt.matches('[data-module]') && elt.parentElement ? elt.parentElement : elt);
});
