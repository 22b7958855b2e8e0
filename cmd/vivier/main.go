// Command vivier runs the Vivier platform: the web application and API, the
// demo, migrations, backups, imports and exports. See `vivier help`.
package main

import (
	"os"

	"vivier/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
