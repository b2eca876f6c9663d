// Command promtail-harness runs the pipeline_stages of one scrape job from a Promtail config
// file through Promtail's own stage code (grafana/loki clients/pkg/logentry/stages), so the
// tests in test/shippers check our configs against the real implementation, not only against
// the TypeScript evaluator.
//
// Usage: promtail-harness <promtail.yaml> <job_name> < entries.jsonl > results.jsonl
//        promtail-harness -check-config <promtail.yaml>...   (Promtail's strict config load, then
//        every job's pipeline built: unknown keys, bad regexes and bad templates fail)
// Each input line is {"line": "...", "labels": {...}}; each output line is
// {"dropped": bool, "line": "...", "labels": {...}, "timestamp": "..."} in input order.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/go-kit/log"
	"github.com/grafana/loki/v3/clients/pkg/logentry/stages"
	"github.com/grafana/loki/v3/clients/pkg/promtail/api"
	promtailconfig "github.com/grafana/loki/v3/clients/pkg/promtail/config"
	"github.com/grafana/loki/v3/pkg/logproto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v2"
)

type scrapeConfig struct {
	JobName        string        `yaml:"job_name"`
	PipelineStages []interface{} `yaml:"pipeline_stages"`
}

type config struct {
	ScrapeConfigs []scrapeConfig `yaml:"scrape_configs"`
}

type input struct {
	Line   string            `json:"line"`
	Labels map[string]string `json:"labels"`
}

type output struct {
	Dropped   bool              `json:"dropped"`
	Line      string            `json:"line,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	Timestamp string            `json:"timestamp,omitempty"`
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "promtail-harness: "+format+"\n", args...)
	os.Exit(1)
}

func checkConfigs(paths []string) {
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			fail("%v", err)
		}
		var full promtailconfig.Config
		if err := yaml.UnmarshalStrict(raw, &full); err != nil {
			fail("%s: %v", path, err)
		}
		var cfg config
		if err := yaml.Unmarshal(raw, &cfg); err != nil {
			fail("%s: %v", path, err)
		}
		for i := range cfg.ScrapeConfigs {
			name := cfg.ScrapeConfigs[i].JobName
			if _, err := stages.NewPipeline(log.NewNopLogger(), cfg.ScrapeConfigs[i].PipelineStages, &name, prometheus.NewRegistry()); err != nil {
				fail("%s job %s: %v", path, name, err)
			}
		}
		fmt.Printf("%s: ok (%d jobs)\n", path, len(cfg.ScrapeConfigs))
	}
}

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "-check-config" {
		checkConfigs(os.Args[2:])
		return
	}
	if len(os.Args) != 3 {
		fail("usage: promtail-harness <promtail.yaml> <job_name>")
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("%v", err)
	}
	var cfg config
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		fail("parsing %s: %v", os.Args[1], err)
	}
	var job *scrapeConfig
	for i := range cfg.ScrapeConfigs {
		if cfg.ScrapeConfigs[i].JobName == os.Args[2] {
			job = &cfg.ScrapeConfigs[i]
		}
	}
	if job == nil {
		fail("no scrape job %q in %s", os.Args[2], os.Args[1])
	}
	name := job.JobName
	pipeline, err := stages.NewPipeline(log.NewNopLogger(), job.PipelineStages, &name, prometheus.NewRegistry())
	if err != nil {
		fail("building the pipeline: %v", err)
	}
	reader := bufio.NewReader(os.Stdin)
	writer := bufio.NewWriter(os.Stdout)
	defer writer.Flush()
	decoder := json.NewDecoder(reader)
	encoder := json.NewEncoder(writer)
	encoder.SetEscapeHTML(false)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for {
		var in input
		if err := decoder.Decode(&in); err != nil {
			if err.Error() == "EOF" {
				return
			}
			fail("reading an entry: %v", err)
		}
		labels := model.LabelSet{}
		for k, v := range in.Labels {
			labels[model.LabelName(k)] = model.LabelValue(v)
		}
		// One entry per run so that an entry a stage drops cannot be confused with the next one.
		ch := make(chan stages.Entry, 1)
		ch <- stages.Entry{
			Extracted: map[string]interface{}{},
			Entry:     api.Entry{Labels: labels, Entry: logproto.Entry{Timestamp: start, Line: in.Line}},
		}
		close(ch)
		out := output{Dropped: true}
		for e := range pipeline.Run(ch) {
			out = output{Line: e.Line, Labels: map[string]string{}, Timestamp: e.Timestamp.UTC().Format(time.RFC3339Nano)}
			for k, v := range e.Labels {
				out.Labels[string(k)] = string(v)
			}
		}
		if err := encoder.Encode(out); err != nil {
			fail("writing a result: %v", err)
		}
	}
}
