package smtptest

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
)

// authOffered reports whether EHLO lists AUTH on this connection.
func (s *session) authOffered() bool {
	return s.srv.opts.Username != "" && (s.tls || !s.srv.opts.NoAuthBeforeTLS)
}

func (s *session) auth(arg string) error {
	switch {
	case !s.authOffered():
		return s.reply(502, "5.5.1 AUTH not available")
	case s.authUser != "":
		return s.reply(503, "5.5.1 already authenticated")
	case s.hasFrom:
		return s.reply(503, "5.5.1 AUTH not allowed during a mail transaction")
	}
	mechanism, initial, _ := strings.Cut(arg, " ")
	mechanism = strings.ToUpper(mechanism)
	if !slices.Contains(s.srv.opts.AuthMechanisms, mechanism) {
		return s.reply(504, "5.5.4 unrecognised authentication mechanism")
	}
	var user, password string
	switch mechanism {
	case "PLAIN":
		response, err := s.authResponse(initial, "")
		if err != nil {
			return err
		}
		parts := strings.Split(response, "\x00")
		if len(parts) != 3 {
			return s.reply(501, "5.5.2 malformed PLAIN response")
		}
		user, password = parts[1], parts[2]
	case "LOGIN":
		var err error
		if user, err = s.authResponse(initial, "Username:"); err != nil {
			return err
		}
		if password, err = s.authResponse("", "Password:"); err != nil {
			return err
		}
	default:
		return s.reply(504, "5.5.4 unrecognised authentication mechanism")
	}
	if user != s.srv.opts.Username || password != s.srv.opts.Password {
		return s.reply(535, "5.7.8 authentication credentials invalid")
	}
	s.authUser = user
	return s.reply(235, "2.7.0 authentication successful")
}

// errAuthAborted ends an AUTH exchange that has already been refused with
// a reply; the session goes on.
var errAuthAborted = errors.New("auth aborted")

// authResponse decodes the client's base64 answer: initial if the client
// sent one with the command, else the next line after a 334 challenge.
func (s *session) authResponse(initial, challenge string) (string, error) {
	encoded := initial
	if encoded == "" {
		if err := s.reply(334, base64.StdEncoding.EncodeToString([]byte(challenge))); err != nil {
			return "", err
		}
		line, err := s.readLine()
		if err != nil {
			return "", err
		}
		encoded = line
	}
	if encoded == "*" {
		return "", s.replyThen(501, "5.0.0 authentication cancelled")
	}
	if encoded == "=" { // RFC 4954: an empty initial response
		return "", nil
	}
	decoded, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return "", s.replyThen(501, "5.5.2 cannot decode response")
	}
	return string(decoded), nil
}

// replyThen replies and returns errAuthAborted, or the write error.
func (s *session) replyThen(code int, text string) error {
	if err := s.reply(code, text); err != nil {
		return err
	}
	return errAuthAborted
}
