// loki-syntax parses LogQL with Loki's own parser (pkg/logql/syntax, v3.4.2): one query per
// input line; per line it prints JSON, {"ok":true,"values":[...]} with the decoded values of
// every stream matcher and line filter in document order, or {"error":"..."}.
// Used by src/core/logql/loki-parser.test.ts when LOKI_SYNTAX_BIN points at the built binary.
package main

import (
	"bufio"
	"encoding/json"
	"os"

	"github.com/grafana/loki/v3/pkg/logql/syntax"
)

type result struct {
	OK     bool     `json:"ok,omitempty"`
	Values []string `json:"values,omitempty"`
	Error  string   `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		expr, err := syntax.ParseExpr(in.Text())
		if err != nil {
			_ = out.Encode(result{Error: err.Error()})
			continue
		}
		values := []string{}
		expr.Walk(func(e syntax.Expr) {
			switch node := e.(type) {
			case *syntax.MatchersExpr:
				for _, m := range node.Matchers() {
					values = append(values, m.Value)
				}
			case *syntax.LineFilterExpr:
				values = append(values, node.Match)
			}
		})
		_ = out.Encode(result{OK: true, Values: values})
	}
}
