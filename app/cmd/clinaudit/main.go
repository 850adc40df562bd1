// Command clinaudit runs the clinaudit web app, its job workers and its
// operator commands. See `clinaudit --help`.
package main

import (
	"context"
	"os"
	"time"
	_ "time/tzdata" // UK local times in messages, even on a distroless image

	"clinaudit/app/cli"
)

func main() {
	started := time.Now()
	os.Exit(cli.Run(context.Background(), os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Started: started}))
}
