package cli

import (
	"context"
	"flag"
	"fmt"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/config"
	"clinaudit/app/store"
)

type userFlags struct {
	email, role, org, firstName, surname string
	superuser                            bool
	set                                  map[string]bool
}

func (u *userFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&u.email, "email", "", "the account's email address")
	fs.StringVar(&u.role, "role", "", "national_full, national_edit, national_view, lead_clinician, clinician or administrator")
	fs.StringVar(&u.org, "org", "", "the organisation's ODS code (not for national roles)")
	fs.StringVar(&u.firstName, "first-name", "", "first name")
	fs.StringVar(&u.surname, "surname", "", "surname")
	fs.BoolVar(&u.superuser, "superuser", false, "make the account a superuser")
}

func (u *userFlags) given() bool {
	return u.email != "" || u.role != "" || u.org != "" || u.firstName != "" || u.surname != "" || u.superuser
}

// userCommand runs `user add` and `user unlock`.
func userCommand(ctx context.Context, cfg *config.Config, args []string, uf userFlags, env Env) error {
	if len(args) != 1 || (args[0] != "add" && args[0] != "unlock") {
		fmt.Fprintln(env.Stderr, "usage: clinaudit user add --email E --role ROLE [--org ODS] [--superuser] --first-name F --surname S\n       clinaudit user unlock --email E")
		return errUsage
	}
	if uf.email == "" {
		fmt.Fprintln(env.Stderr, "clinaudit user: --email is required")
		return errUsage
	}
	s, a, err := openWithAuth(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if args[0] == "unlock" {
		u, err := s.GetUserByEmail(ctx, auth.NormaliseEmail(uf.email))
		if err != nil {
			return fmt.Errorf("no account has the email %s", uf.email)
		}
		if err := a.Unlock(ctx, u.ID, auth.Client{IP: "command line", UserAgent: "clinaudit user unlock"}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "unlocked %s\n", u.Email)
		return nil
	}
	role, ok := access.ParseRole(uf.role)
	if !ok {
		fmt.Fprintf(env.Stderr, "clinaudit user add: --role %q must be one of national_full, national_edit, national_view, lead_clinician, clinician, administrator\n", uf.role)
		return errUsage
	}
	var u store.User
	var link string
	err = s.InTx(ctx, func(tx store.Tx) error {
		u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: uf.email, FirstName: uf.firstName, Surname: uf.surname,
			Role: role, Organisation: uf.org, Superuser: uf.superuser})
		if err != nil {
			return err
		}
		link, err = a.Invite(ctx, tx, u)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created %s (%s)\ninvite link, valid for 72 hours, usable once:\n%s\n", u.Email, role.Label(), link)
	return nil
}
