package main

import (
	"strings"
	"testing"
)

// Lines as run_product.sh writes them (abridged "mem"), two repetitions:
// the baselines' lines all say rep 1 (one-repetition runs of run_http.sh),
// and the 64-connection ones are not the product's peers.
const product = `{"bench":"product","setup":"product-pg","clients":16,"rep":1,"saves":8700,"rps":"435","p50":"30.1","p99":"89.4","server_ms_per_req":1.310,"mem":{"procs":1}}
{"bench":"product","setup":"product-sqlite","clients":16,"rep":1,"saves":16160,"rps":"808","p50":"12.0","p99":"115.2","server_ms_per_req":0.850,"mem":{"procs":1}}

{"bench":"product","setup":"product-pg","clients":16,"rep":2,"saves":7960,"rps":"398","p50":"31.0","p99":"87.0","server_ms_per_req":1.410,"mem":{"procs":1}}
{"bench":"product","setup":"product-sqlite","clients":16,"rep":2,"saves":0,"rps":"","p50":"","p99":"","server_ms_per_req":null,"mem":{"procs":1}}
`

const http = `{"bench":"http","setup":"django-pg","clients":16,"rep":1,"rps":165.2,"p50_ms":90,"p90_ms":150,"p99_ms":239,"non2xx":0,"socket_errors":"","mem":{},"cpu":{"server_ms_per_req":2.390,"machine_ms_per_req":5}}
{"bench":"http","setup":"gobare-pg","clients":16,"rep":1,"rps":2561,"p50_ms":5,"p90_ms":9,"p99_ms":182.4,"non2xx":0,"socket_errors":"","mem":{},"cpu":{"server_ms_per_req":0.153}}
{"bench":"http","setup":"gobare-sqlite","clients":16,"rep":1,"rps":4646,"p50_ms":3,"p90_ms":5,"p99_ms":39,"non2xx":0,"socket_errors":"","mem":{},"cpu":{"server_ms_per_req":0.126}}
{"bench":"http","setup":"gobare-sqlite","clients":64,"rep":1,"rps":9999,"p50_ms":3,"p90_ms":5,"p99_ms":1,"non2xx":0,"socket_errors":"","mem":{},"cpu":{"server_ms_per_req":9.9}}
{"bench":"http","setup":"django-pg","clients":16,"rep":1,"rps":207,"p50_ms":80,"p90_ms":140,"p99_ms":226,"non2xx":0,"socket_errors":"","mem":{},"cpu":{"server_ms_per_req":2.430}}
{"bench":"http","setup":"gobare-pg","clients":16,"rep":1,"rps":2904,"p50_ms":5,"p90_ms":9,"p99_ms":44,"non2xx":0,"socket_errors":"","mem":{},"cpu":{"server_ms_per_req":0.165}}
{"bench":"http","setup":"gobare-sqlite","clients":64,"rep":1,"rps":1,"p50_ms":3,"p90_ms":5,"p99_ms":1,"non2xx":0,"socket_errors":"","mem":{},"cpu":{"server_ms_per_req":9.9}}
{"bench":"http","setup":"gobare-sqlite","clients":16,"rep":1,"rps":4594,"p50_ms":3,"p90_ms":5,"p99_ms":144,"non2xx":0,"socket_errors":"","mem":{},"cpu":{"server_ms_per_req":0.124}}
`

func TestTable(t *testing.T) {
	a, err := Parse(strings.NewReader(product))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(strings.NewReader(http))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(Table(append(a, b...))), "\n")
	want := []string{
		"| setup | saves/s | p99 | server CPU per save | CPU ÷ bare, same engine | CPU ÷ Django |",
		"|---|---|---|---|---|---|",
		// Repetition 2 of SQLite reported nothing: dashes, not zeros.
		"| clinaudit on SQLite (the default) | 808; – | 115; – ms | 0.85; – ms | 6.7×; – | 0.36×; – |",
		"| clinaudit on PostgreSQL | 435; 398 | 89; 87 ms | 1.31; 1.41 ms | 8.6×; 8.5× | 0.55×; 0.58× |",
		"| Django peer on PostgreSQL | 165; 207 | 239; 226 ms | 2.39; 2.43 ms | 15.6×; 14.7× | 1.0×; 1.0× |",
		"| bare Fiber + SQLite | 4,646; 4,594 | 39; 144 ms | 0.126; 0.124 ms | 1.0×; 1.0× | 0.053×; 0.051× |",
		"| bare Fiber + pgx | 2,561; 2,904 | 182; 44 ms | 0.153; 0.165 ms | 1.0×; 1.0× | 0.064×; 0.068× |",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	if _, err := Parse(strings.NewReader("{}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("want an error naming line 2, got %v", err)
	}
	// A setup with no runs has no row.
	runs, _ := Parse(strings.NewReader(`{"bench":"product","setup":"product-pg","rep":1,"rps":"10","p99":"5","server_ms_per_req":1}`))
	if out := Table(runs); strings.Count(out, "\n") != 3 || !strings.Contains(out, "| clinaudit on PostgreSQL | 10 | 5 ms | 1 ms | – | – |") {
		t.Errorf("got\n%s", out)
	}
}
