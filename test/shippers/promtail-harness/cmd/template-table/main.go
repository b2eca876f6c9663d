// Command template-table executes a table of templates with Go text/template and the function
// map Promtail and Alloy use (sprig plus their own additions are not needed by the table), so the
// TypeScript evaluator's expected outputs can be checked against Go itself.
// Usage: template-table table.json  (prints a JSON array of outputs, "ERROR: ..." on failure)
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var table struct {
		Data      map[string]interface{} `json:"data"`
		Templates []string               `json:"templates"`
	}
	if err := json.Unmarshal(raw, &table); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	funcs := sprig.TxtFuncMap()
	// Promtail's additions used by the table (clients/pkg/logentry/stages/template.go).
	funcs["TrimPrefix"] = strings.TrimPrefix
	funcs["TrimSuffix"] = strings.TrimSuffix
	out := []string{}
	for _, text := range table.Templates {
		t, err := template.New("t").Funcs(funcs).Parse(text)
		if err != nil {
			out = append(out, "ERROR: "+err.Error())
			continue
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, table.Data); err != nil {
			out = append(out, "ERROR: "+err.Error())
			continue
		}
		out = append(out, buf.String())
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}
