package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"text/template/parse"
)

// A static type check of the templates: html/template finds a misspelt
// field only when a row reaches it, and then prints the error into a page
// that answered 200 (the staff list once stopped at its first row so).
// templateCheck walks every template's parse tree with the Go type of the
// data its handler passes, following range, with, variables, functions and
// {{template}} calls into partials, and reports each field or method that
// the type does not have. Where the type is unknown (an interface, a map of
// any) it stops checking that branch rather than guess.

type templateCheck struct {
	trees map[string]*parse.Tree
	funcs map[string]reflect.Type
	seen  map[string]bool // template name + dot type already checked
	used  map[string]bool // templates reached
	errs  []string
}

func newTemplateCheck(fsys fs.FS, funcs template.FuncMap) (*templateCheck, error) {
	c := &templateCheck{trees: map[string]*parse.Tree{}, funcs: map[string]reflect.Type{}, seen: map[string]bool{}, used: map[string]bool{}}
	for name, f := range funcs {
		c.funcs[name] = reflect.TypeOf(f)
	}
	c.funcs["embed"] = nil // the layout's page body
	fm := map[string]any{}
	for name := range c.funcs {
		fm[name] = ""
	}
	for _, b := range []string{"and", "or", "not", "len", "index", "slice", "eq", "ne", "lt", "le", "gt", "ge", "print", "printf", "println", "html", "js", "urlquery", "call"} {
		fm[b] = ""
	}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(path, ".html")
		trees := map[string]*parse.Tree{}
		if _, err := parse.New(name).Parse(string(b), "{{", "}}", trees, fm); err != nil {
			return err
		}
		for n, t := range trees {
			c.trees[n] = t
		}
		return nil
	})
	return c, err
}

// check checks the named template with data of type dot.
func (c *templateCheck) check(name string, dot reflect.Type) {
	t, ok := c.trees[name]
	c.used[name] = true
	if !ok {
		c.errs = append(c.errs, fmt.Sprintf("no template %q", name))
		return
	}
	key := name + "\x00" + fmt.Sprint(dot)
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.walk(name, t.Root, dot, map[string]reflect.Type{"$": dot})
}

func (c *templateCheck) errorf(name string, n parse.Node, format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf("%s: %s: %s", name, n, fmt.Sprintf(format, args...)))
}

func copyVars(v map[string]reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, len(v))
	for k, t := range v {
		out[k] = t
	}
	return out
}

func (c *templateCheck) walk(name string, n parse.Node, dot reflect.Type, vars map[string]reflect.Type) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, x := range n.Nodes {
			c.walk(name, x, dot, vars)
		}
	case *parse.ActionNode:
		c.pipe(name, n.Pipe, dot, vars)
	case *parse.IfNode:
		inner := copyVars(vars)
		c.pipe(name, n.Pipe, dot, inner)
		c.walk(name, n.List, dot, inner)
		c.walk(name, n.ElseList, dot, copyVars(vars))
	case *parse.WithNode:
		inner := copyVars(vars)
		t := c.pipe(name, n.Pipe, dot, inner)
		c.walk(name, n.List, t, inner)
		c.walk(name, n.ElseList, dot, copyVars(vars))
	case *parse.RangeNode:
		inner := copyVars(vars)
		t := c.pipe(name, n.Pipe, dot, nil)
		key, elem := rangeTypes(t)
		switch len(n.Pipe.Decl) {
		case 1:
			inner[n.Pipe.Decl[0].Ident[0]] = elem
		case 2:
			inner[n.Pipe.Decl[0].Ident[0]] = key
			inner[n.Pipe.Decl[1].Ident[0]] = elem
		}
		c.walk(name, n.List, elem, inner)
		c.walk(name, n.ElseList, dot, copyVars(vars))
	case *parse.TemplateNode:
		var t reflect.Type
		if n.Pipe != nil {
			t = c.pipe(name, n.Pipe, dot, vars)
		}
		c.check(n.Name, t)
	}
}

func rangeTypes(t reflect.Type) (key, elem reflect.Type) {
	if t == nil {
		return nil, nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeOf(0), known(t.Elem())
	case reflect.Map:
		return t.Key(), known(t.Elem())
	case reflect.Int:
		return t, t
	}
	return nil, nil
}

// known is t, or nil where the template cannot know the type statically.
func known(t reflect.Type) reflect.Type {
	if t == nil || t.Kind() == reflect.Interface && t.NumMethod() == 0 {
		return nil
	}
	return t
}

// pipe returns the type a pipeline yields, declaring its variables in vars.
func (c *templateCheck) pipe(name string, p *parse.PipeNode, dot reflect.Type, vars map[string]reflect.Type) reflect.Type {
	if p == nil {
		return nil
	}
	var t reflect.Type
	for i, cmd := range p.Cmds {
		t = c.command(name, cmd, dot, vars, i > 0)
	}
	if vars != nil && len(p.Decl) == 1 {
		vars[p.Decl[0].Ident[0]] = t
	}
	return t
}

var (
	boolType   = reflect.TypeOf(true)
	stringType = reflect.TypeOf("")
)

func (c *templateCheck) command(name string, cmd *parse.CommandNode, dot reflect.Type, vars map[string]reflect.Type, piped bool) reflect.Type {
	for _, a := range cmd.Args[1:] {
		c.arg(name, a, dot, vars)
	}
	if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok {
		switch id.Ident {
		case "not", "eq", "ne", "lt", "le", "gt", "ge":
			return boolType
		case "len":
			return reflect.TypeOf(0)
		case "print", "printf", "println", "html", "js", "urlquery":
			return stringType
		case "index":
			if len(cmd.Args) == 3 {
				_, elem := rangeTypes(c.arg(name, cmd.Args[1], dot, vars))
				return elem
			}
			return nil
		case "and", "or", "slice", "call":
			return nil
		}
		ft, ok := c.funcs[id.Ident]
		if !ok || ft == nil || ft.NumOut() == 0 {
			return nil
		}
		return known(ft.Out(0))
	}
	if piped {
		c.errorf(name, cmd, "a pipeline stage that is not a function")
	}
	return c.arg(name, cmd.Args[0], dot, vars)
}

func (c *templateCheck) arg(name string, a parse.Node, dot reflect.Type, vars map[string]reflect.Type) reflect.Type {
	switch a := a.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return c.fields(name, a, dot, a.Ident)
	case *parse.VariableNode:
		t, ok := vars[a.Ident[0]]
		if !ok {
			return nil // declared in a scope this walk does not model
		}
		return c.fields(name, a, t, a.Ident[1:])
	case *parse.ChainNode:
		var t reflect.Type
		if p, ok := a.Node.(*parse.PipeNode); ok {
			t = c.pipe(name, p, dot, vars)
		} else {
			t = c.arg(name, a.Node, dot, vars)
		}
		return c.fields(name, a, t, a.Field)
	case *parse.PipeNode:
		return c.pipe(name, a, dot, vars)
	case *parse.StringNode:
		return stringType
	case *parse.BoolNode:
		return boolType
	case *parse.NumberNode:
		if a.IsInt {
			return reflect.TypeOf(0)
		}
		return nil
	}
	return nil
}

// fields follows a chain of field or method names from t.
func (c *templateCheck) fields(name string, n parse.Node, t reflect.Type, idents []string) reflect.Type {
	for _, id := range idents {
		if t == nil {
			return nil
		}
		if m, ok := t.MethodByName(id); ok {
			t = known(m.Type.Out(0))
			continue
		}
		if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
			if m, ok := reflect.PointerTo(t).MethodByName(id); ok {
				t = known(m.Type.Out(0))
				continue
			}
		}
		base := t
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		switch base.Kind() {
		case reflect.Struct:
			f, ok := base.FieldByName(id)
			if !ok {
				c.errorf(name, n, "can't evaluate field %s in type %s", id, t)
				return nil
			}
			t = known(f.Type)
		case reflect.Map:
			t = known(base.Elem())
		case reflect.Interface:
			return nil
		default:
			c.errorf(name, n, "can't evaluate field %s in type %s", id, t)
			return nil
		}
	}
	return t
}

// unreached lists the templates no check reached.
func (c *templateCheck) unreached() []string {
	var out []string
	for name := range c.trees {
		if !c.used[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
