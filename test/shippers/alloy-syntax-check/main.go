// Command alloy-syntax-check parses Alloy configuration files with Alloy's own parser
// (github.com/grafana/alloy/syntax) and prints "ok" or the first syntax error of each file.
package main

import (
	"fmt"
	"os"

	"github.com/grafana/alloy/syntax/parser"
)

func main() {
	failed := false
	for _, path := range os.Args[1:] {
		src, err := os.ReadFile(path)
		if err == nil {
			_, err = parser.ParseFile(path, src)
		}
		if err != nil {
			fmt.Printf("%s: %v\n", path, err)
			failed = true
			continue
		}
		fmt.Printf("%s: ok\n", path)
	}
	if failed {
		os.Exit(1)
	}
}
