// Package e2e holds end-to-end tests: the whole app, started in-process with
// the same command line as production (cli.Run "serve"), driven by a real
// headless Chromium through the DevTools protocol (chromedp). Each test runs
// on SQLite and on PostgreSQL (eachEngine), on a fresh database each time.
//
// The package has no code outside its tests. The tests skip, saying why, when
// no Chromium or Chrome is installed, unless CI=true or REQUIRE_BROWSER=1, when
// they fail instead; the PostgreSQL half skips or fails as storetest.Each
// does. See docs/testing.md.
package e2e
