package web

import (
	"strconv"
	"testing"
)

func TestListNavPages(t *testing.T) {
	at := func(page int) string { return "/l?page=" + strconv.Itoa(page) }
	for _, tt := range []struct {
		page, pages    int
		prev, next     string
		prevNo, nextNo int
	}{
		{1, 1, "", "", 0, 0},
		{1, 3, "", "/l?page=2", 0, 2},
		{2, 3, "/l?page=1", "/l?page=3", 1, 3},
		{3, 3, "/l?page=2", "", 2, 0},
	} {
		n := newListNav("#r", tt.page, tt.pages, at)
		if n.PrevURL != tt.prev || n.NextURL != tt.next || n.PrevPage != tt.prevNo || n.NextPage != tt.nextNo || n.Target != "#r" {
			t.Errorf("page %d of %d: got %+v", tt.page, tt.pages, n)
		}
	}
}

func TestListNavSortBy(t *testing.T) {
	n := listNav{}.sortBy([]string{"name", "age"}, map[string]string{"name": "Name", "age": "Age"}, "name", false,
		func(key string, desc bool) string { return listURL("/l", nil, key, "name", desc, 1) })
	want := []sortColumn{
		{Key: "name", Label: "Name", URL: "/l?dir=desc&sort=name", AriaSort: "ascending"},
		{Key: "age", Label: "Age", URL: "/l?sort=age", AriaSort: "none"},
	}
	for i, w := range want {
		if n.Columns[i] != w {
			t.Errorf("column %d: got %+v, want %+v", i, n.Columns[i], w)
		}
	}
	n = n.sortBy([]string{"name"}, nil, "name", true, func(key string, desc bool) string { return listURL("/l", nil, key, "name", desc, 1) })
	if c := n.Columns[0]; c.AriaSort != "descending" || c.URL != "/l" || n.Sort != "name" || !n.Desc {
		t.Errorf("sorted descending: got %+v", c)
	}
}

func TestListURL(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{listURL("/l", map[string]string{"q": "", "org": ""}, "name", "name", false, 1), "/l"},
		{listURL("/l", map[string]string{"q": "a b", "org": "X1"}, "name", "name", false, 2), "/l?org=X1&page=2&q=a+b"},
		{listURL("/l", nil, "email", "name", false, 1), "/l?sort=email"},
		{listURL("/l", nil, "", "", false, 3), "/l?page=3"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
