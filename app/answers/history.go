package answers

import (
	"context"

	"clinaudit/app/access"
	"clinaudit/app/store"
)

// HistoryFilter narrows a child's history; zero values mean everything.
type HistoryFilter struct {
	Section string
	Field   string
	By      int64
	Limit   int64
}

// History is a child's audit trail, newest first, with the people who
// appear in it (for the filter).
type History struct {
	Changes []store.ListAnswerChangesRow
	Authors []store.ChangeAuthor
}

// History lists the changes to a child's answers for an actor who may view
// the child.
func (s *Service) History(ctx context.Context, a access.Actor, childID int64, f HistoryFilter) (History, error) {
	if _, _, err := s.Children.Authorize(ctx, s.Store, a, childID, access.ViewChild, false); err != nil {
		return History{}, err
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 500
	}
	changes, err := s.Store.ListAnswerChanges(ctx, store.ListAnswerChangesParams{ChildID: childID,
		SectionFilter: f.Section, FieldFilter: f.Field, ChangedByFilter: f.By, PageLimit: f.Limit})
	if err != nil {
		return History{}, err
	}
	authors, err := s.Store.ListAnswerChangeAuthors(ctx, childID)
	if err != nil {
		return History{}, err
	}
	return History{Changes: changes, Authors: authors}, nil
}
