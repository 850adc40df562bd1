package web

import (
	"net/url"
	"strconv"
)

// listNav is how a person moves through a paged list: the column headings
// that sort it and the previous and next page links. The list partials
// render it with partials/sort_headers and partials/paging; every link
// targets the element that holds the results, so htmx swaps in only them.
type listNav struct {
	// Target is the CSS selector of the results element, "#child-results".
	Target  string
	Columns []sortColumn
	// Sort and Desc are the list's order, kept by the filter form when a
	// filter changes (partials/filter_submit).
	Sort string
	Desc bool
	// PrevURL and NextURL are empty on the first and last pages.
	PrevURL, NextURL string
	// PrevPage and NextPage are the pages the links go to; Numbered shows
	// them on the links ("Page 2").
	PrevPage, NextPage int
	Numbered           bool
}

type sortColumn struct {
	Key, Label, URL, AriaSort string
}

// newListNav builds the paging links of page pageNo of pages; urlFor gives
// the list's URL on another page with everything else unchanged.
func newListNav(target string, pageNo, pages int, urlFor func(page int) string) listNav {
	n := listNav{Target: target}
	if pageNo > 1 {
		n.PrevPage, n.PrevURL = pageNo-1, urlFor(pageNo-1)
	}
	if pageNo < pages {
		n.NextPage, n.NextURL = pageNo+1, urlFor(pageNo+1)
	}
	return n
}

// sortBy adds a sortable heading for each key. A heading sorts by its
// column ascending, or, on the column already sorted by, the other way;
// sorting returns to the first page. urlFor gives the list's URL sorted
// by key (desc for descending) on the first page.
func (n listNav) sortBy(keys []string, labels map[string]string, sorted string, desc bool, urlFor func(key string, desc bool) string) listNav {
	n.Sort, n.Desc = sorted, desc
	n.Columns = make([]sortColumn, 0, len(keys))
	for _, key := range keys {
		col := sortColumn{Key: key, Label: labels[key], AriaSort: "none"}
		nextDesc := false
		if key == sorted {
			col.AriaSort = "ascending"
			if desc {
				col.AriaSort = "descending"
			}
			nextDesc = !desc
		}
		col.URL = urlFor(key, nextDesc)
		n.Columns = append(n.Columns, col)
	}
	return n
}

// sortedListNav is the listNav of a sortable list shown sorted by sort
// (desc for descending) on page pageNo of pages; at gives the list's URL in
// another order or on another page, its filters unchanged.
func sortedListNav(target, sort string, desc bool, pageNo, pages int, keys []string, labels map[string]string,
	at func(sort string, desc bool, page int) string) listNav {
	return newListNav(target, pageNo, pages, func(page int) string { return at(sort, desc, page) }).
		sortBy(keys, labels, sort, desc, func(key string, desc bool) string { return at(key, desc, 1) })
}

// listAt is where a list lives: its path, the filters set on it and the
// sort it has when none is asked for. Its url method is the list's URL in
// another order or on another page (sortedListNav's at).
type listAt struct {
	path        string
	filters     map[string]string
	defaultSort string
}

func (l listAt) url(sort string, desc bool, page int) string {
	return listURL(l.path, l.filters, sort, l.defaultSort, desc, page)
}

// listURL is a list's URL at path: the filters that are set, the sort when
// it is not the default (or is descending), and the page after the first.
// A link so made reproduces the view.
func listURL(path string, filters map[string]string, sort, defaultSort string, desc bool, page int) string {
	v := url.Values{}
	for k, x := range filters {
		if x != "" {
			v.Set(k, x)
		}
	}
	if sort != defaultSort || desc {
		v.Set("sort", sort)
	}
	if desc {
		v.Set("dir", "desc")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
