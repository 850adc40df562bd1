// Package e2e holds end-to-end tests: the whole app, started in-process with
// the same command line as production (cli.Run "serve"), driven by a real
// headless Chromium through the DevTools protocol (chromedp).
//
// The package has no code outside its tests. The tests skip, saying why, when
// no Chromium or Chrome is installed, unless CI=true or REQUIRE_BROWSER=1, when
// they fail instead. See docs/testing.md.
package e2e
