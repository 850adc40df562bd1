package registry

// CheckContact checks a contact as typed without adding it: the web
// layer's form that adds a contact and links it in one step shows every
// message at once, and adds nothing when either half is wrong.
func CheckContact(in ContactInput) FieldErrors {
	_, errs := checkContact(in)
	return errs
}

// CheckRelationship checks a relationship as typed without linking.
func (s *Service) CheckRelationship(in RelationshipInput) FieldErrors {
	_, errs := checkRelationship(in, s.today())
	return errs
}
