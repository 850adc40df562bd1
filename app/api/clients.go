package api

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"time"

	"clinaudit/app/api/apigen"
	"clinaudit/app/apperr"
	"clinaudit/app/auth/secret"
	"clinaudit/app/children"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// OAuth 2.0 client credentials (RFC 6749 section 4.4): an administrator
// registers a client for a staff account they may manage (the staff page),
// and the system exchanges the client's id and secret for a short-lived
// bearer token that acts as that account, within the client's scope.

// ClientTokenTTL is how long a token issued to a client lasts.
const ClientTokenTTL = 15 * time.Minute

// ClientIDPrefix starts every client id; the secret is random like a token.
const ClientIDPrefix = "clinaudit_client_"

// ClientInput is the staff page's form.
type ClientInput struct{ Name, Access, Domain string }

// ErrBadClient is an unknown client, a wrong secret, a revoked client or
// one whose account is deactivated: invalid_client, and no more said.
var ErrBadClient = errors.New("api client unknown, revoked or secret wrong")

// RegisterClient registers a client acting as userID, made by by; the
// caller has checked that by may manage the account. The secret is
// returned once. Errors: children.FieldErrors, the store's.
func (t *Tokens) RegisterClient(ctx context.Context, by, userID int64, in ClientInput) (clientID, plainSecret string, err error) {
	if errs := checkScope(in.Name, in.Access, in.Domain, nil); len(errs) > 0 {
		return "", "", errs
	}
	raw, _ := secret.NewToken()
	clientID = ClientIDPrefix + hex.EncodeToString(secret.HashToken(raw))[:24]
	plain, hash := secret.NewToken()
	_, err = t.Store.CreateAPIClient(ctx, store.CreateAPIClientParams{UserID: userID, Name: strings.TrimSpace(in.Name), ClientID: clientID,
		SecretHash: hex.EncodeToString(hash), Access: in.Access, Domain: in.Domain, CreatedBy: &by, CreatedAt: t.now()})
	return clientID, plain, err
}

// Clients lists the clients acting as an account.
func (t *Tokens) Clients(ctx context.Context, userID int64) ([]store.APIClient, error) {
	return t.Store.ListUserAPIClients(ctx, userID)
}

// RevokeClient ends a client of the account and every token issued to it.
// Errors: apperr.ErrNotFound (not the account's, or already revoked), the
// store's.
func (t *Tokens) RevokeClient(ctx context.Context, userID, id int64) error {
	now := t.now()
	return t.Store.InTx(ctx, func(tx store.Tx) error {
		n, err := tx.RevokeAPIClient(ctx, store.RevokeAPIClientParams{RevokedAt: &now, ID: id, UserID: userID})
		if err == nil && n == 0 {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.RevokeAPIClientTokens(ctx, store.RevokeAPIClientTokensParams{RevokedAt: &now, ClientID: &id})
		return err
	})
}

// IssueClientToken checks a client's credentials and issues a token for
// ClientTokenTTL. Errors: ErrBadClient, the store's.
func (t *Tokens) IssueClientToken(ctx context.Context, clientID, clientSecret string) (string, store.APIClient, error) {
	cl, err := t.Store.GetAPIClientByClientID(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return "", cl, ErrBadClient
	}
	if err != nil {
		return "", cl, err
	}
	if cl.RevokedAt != nil || !secret.Equal(secret.HashToken(clientSecret), mustHex(cl.SecretHash)) {
		return "", cl, ErrBadClient
	}
	u, err := t.Store.GetUser(ctx, cl.UserID)
	if err != nil {
		return "", cl, err
	}
	if !u.IsActive {
		return "", cl, ErrBadClient
	}
	raw, hash := secret.NewToken()
	now := t.now()
	_, err = t.Store.CreateAPIToken(ctx, store.CreateAPITokenParams{UserID: cl.UserID, ClientID: &cl.ID, Name: "OAuth client " + cl.Name,
		Hash: hex.EncodeToString(hash), Access: cl.Access, Domain: cl.Domain, CreatedAt: now, ExpiresAt: now.Add(ClientTokenTTL)})
	return TokenPrefix + raw, cl, err
}

func mustHex(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}

func (t *Tokens) now() time.Time { return t.Now().UTC().Truncate(time.Second) }

// IssueToken is the token endpoint: credentials in HTTP Basic or the form.
func (a *API) IssueToken(ctx context.Context, req apigen.IssueTokenRequestObject) (apigen.IssueTokenResponseObject, error) {
	if req.Body.GrantType != "client_credentials" {
		return apigen.IssueToken400JSONResponse{Error: "unsupported_grant_type", ErrorDescription: ptr("Only client_credentials is supported")}, nil
	}
	id, sec := str(req.Body.ClientId), str(req.Body.ClientSecret)
	if basic := basicAuth(ctx); basic[0] != "" {
		id, sec = basic[0], basic[1]
	}
	if id == "" || sec == "" {
		return apigen.IssueToken400JSONResponse{Error: "invalid_request", ErrorDescription: ptr("Send client_id and client_secret (HTTP Basic or the form)")}, nil
	}
	tok, cl, err := a.tokens.IssueClientToken(ctx, id, sec)
	if errors.Is(err, ErrBadClient) {
		return apigen.IssueToken401JSONResponse{Error: "invalid_client"}, nil
	}
	if err != nil {
		return nil, err
	}
	return apigen.IssueToken200JSONResponse{Body: apigen.TokenResponse{AccessToken: tok, TokenType: apigen.Bearer,
		ExpiresIn: int(ClientTokenTTL / time.Second), Scope: cl.Access + " " + cl.Domain},
		Headers: apigen.IssueToken200ResponseHeaders{CacheControl: ptr("no-store")}}, nil
}

type basicKey struct{}

// basicAuth is the request's HTTP Basic client id and secret, if any
// (RFC 6749 section 2.3.1: each form-urlencoded).
func basicAuth(ctx context.Context) [2]string {
	v, _ := ctx.Value(basicKey{}).([2]string)
	return v
}

// tokenEndpoint lets a token request through without a bearer token,
// carrying its Basic credentials to IssueToken.
func (a *API) tokenEndpoint(c *fiber.Ctx) bool {
	if c.Path() != Prefix+"/oauth/token" {
		return false
	}
	if b, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Basic "); ok {
		if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b)); err == nil {
			if id, sec, ok := strings.Cut(string(raw), ":"); ok {
				id, _ = urlUnescape(id)
				sec, _ = urlUnescape(sec)
				c.SetUserContext(context.WithValue(c.UserContext(), basicKey{}, [2]string{id, sec}))
			}
		}
	}
	return true
}

// checkScope checks a token's or client's name and scope (the account
// page's and the staff page's forms); days is checked when given.
func checkScope(name, access, domain string, days *int) children.FieldErrors {
	var errs children.FieldErrors
	name = strings.TrimSpace(name)
	if name == "" {
		errs = append(errs, children.FieldError{Field: "name", Message: "Enter a name, such as the system that will use it"})
	} else if len([]rune(name)) > 100 || strings.ContainsAny(name, "\r\n\t") {
		errs = append(errs, children.FieldError{Field: "name", Message: "The name must be one line of at most 100 characters"})
	}
	if access != AccessRead && access != AccessWrite {
		errs = append(errs, children.FieldError{Field: "access", Message: "Choose read or write"})
	}
	if domain != DomainRegistry && domain != DomainAudit {
		errs = append(errs, children.FieldError{Field: "domain", Message: "Choose the registry or the audit"})
	}
	if days != nil && !validDays(*days) {
		errs = append(errs, children.FieldError{Field: "days", Message: "Choose how long the token lasts"})
	}
	return errs
}

func urlUnescape(s string) (string, error) { return url.QueryUnescape(s) }
