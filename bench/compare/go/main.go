// Go's google/renameio v2 under the worker protocol of driver.py: renameio.WriteFile fsyncs the temp file,
// renames it over the target, and does not fsync the directory.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/renameio/v2"
)

func main() {
	dir := os.Args[1]
	large := make([]byte, 64<<20)
	for i := range large {
		large[i] = byte('a' + i%26)
	}
	out := bufio.NewWriter(os.Stdout)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var kind string
		var count int
		if _, err := fmt.Sscanf(in.Text(), "%s %d", &kind, &count); err != nil {
			return
		}
		data := large[:4096]
		if kind == "large" {
			data = large
		}
		path := filepath.Join(dir, kind+".bin")
		times := make([]string, count)
		for i := 0; i < count; i++ {
			start := time.Now()
			if err := renameio.WriteFile(path, data, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "renameio:", err)
				os.Exit(1)
			}
			times[i] = fmt.Sprintf("%.4f", float64(time.Since(start).Nanoseconds())/1e6)
		}
		fmt.Fprintln(out, strings.Join(times, " "))
		out.Flush()
	}
}
