package config

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Command is one subcommand, for the help text.
type Command struct {
	Name, Summary string
}

// WriteHelp prints the usage: commands, then every setting with its flag,
// environment variable and default.
func WriteHelp(w io.Writer, commands []Command) {
	fmt.Fprintln(w, "clinaudit: national clinical audits and patient registries.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: clinaudit [command] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.Name, c.Summary)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Settings (a flag wins over its environment variable, which wins over the default):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range Settings {
		fmt.Fprintf(tw, "  --%s\t%s\t(default %s)\n", s.Flag, s.Env, s.Default)
		fmt.Fprintf(tw, "  \t%s\t\n", s.Usage)
	}
	tw.Flush()
}
