// expr-lang's side of the peer benchmark (benchmarks/peers/run.sh): times the "expr" translation
// of each workload in workloads.json over the flat JSON fleet, writes the matching instance
// indices to OUT_DIR/expr.NAME.ids and prints one JSON line per workload (see ecsq_peers.cpp).
//
//	expr-peer FLAT_JSON WORKLOADS_JSON OUT_DIR [REPETITIONS]
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/antonmedv/expr"
	"github.com/antonmedv/expr/vm"
)

type workload struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
}

// least returns the least wall time of `repetitions` runs of run.
func least(repetitions int, run func()) time.Duration {
	best := time.Duration(1<<63 - 1)
	for r := 0; r < repetitions; r++ {
		start := time.Now()
		run()
		if d := time.Since(start); d < best {
			best = d
		}
	}
	return best
}

func load(path string, into interface{}) {
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, into)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "expr-peer: %s: %v\n", path, err)
		os.Exit(2)
	}
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: expr-peer FLAT_JSON WORKLOADS_JSON OUT_DIR [REPETITIONS]")
		os.Exit(2)
	}
	repetitions := 5
	if len(os.Args) > 4 {
		repetitions, _ = strconv.Atoi(os.Args[4])
	}
	var instances []map[string]interface{}
	load(os.Args[1], &instances)
	var workloads []workload
	load(os.Args[2], &workloads)
	n := len(instances)

	for _, w := range workloads {
		compileTime := least(repetitions*20, func() {
			if _, err := expr.Compile(w.Expr, expr.AsBool()); err != nil {
				fmt.Fprintf(os.Stderr, "expr-peer: %s: %v\n", w.Name, err)
				os.Exit(2)
			}
		})
		program, _ := expr.Compile(w.Expr, expr.AsBool())
		var machine vm.VM
		check := func(env map[string]interface{}) bool {
			out, err := machine.Run(program, env)
			if err != nil {
				fmt.Fprintf(os.Stderr, "expr-peer: %s: %v\n", w.Name, err)
				os.Exit(2)
			}
			return out.(bool)
		}
		matched := 0
		checkTime := least(repetitions, func() {
			k := 0
			for _, instance := range instances {
				if check(instance) {
					k++
				}
			}
			matched = k
		})
		var ids []int
		bulkTime := least(repetitions, func() {
			ids = ids[:0]
			for i, instance := range instances {
				if check(instance) {
					ids = append(ids, i)
				}
			}
		})
		const oneLoops = 200000
		probe := instances[n/2]
		oneTime := least(repetitions, func() {
			for i := 0; i < oneLoops; i++ {
				check(probe)
			}
		})
		var text strings.Builder
		for _, id := range ids {
			fmt.Fprintf(&text, "%d\n", id)
		}
		if err := os.WriteFile(fmt.Sprintf("%s/expr.%s.ids", os.Args[3], w.Name), []byte(text.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "expr-peer:", err)
			os.Exit(2)
		}
		fmt.Printf("{\"engine\":\"expr\",\"workload\":%q,\"instances\":%d,\"matched\":%d,\"compile_us\":%.3f,"+
			"\"check_ns\":%.3f,\"bulk_us\":%.3f,\"one_ns\":%.3f}\n",
			w.Name, n, matched, float64(compileTime.Nanoseconds())/1e3,
			float64(checkTime.Nanoseconds())/float64(n), float64(bulkTime.Nanoseconds())/1e3,
			float64(oneTime.Nanoseconds())/oneLoops)
	}
}
