// The differential oracle for our .dockerignore port: for each case read from stdin (one JSON object a line,
// {"root": "/abs/context", "dockerfile": "rel/Dockerfile"}), prints one JSON line with the build context
// BuildKit sends, {"entries": ["d dir", "f file", "l link", ...]} sorted, or {"error": "..."}.
//
// The context is what BuildKit's own filter (fsutil.Walk with the ignore file's patterns as ExcludePatterns)
// keeps, plus the Dockerfile and the ignore file and their folders: kaniko reads both from the context,
// BuildKit sends them apart. The ignore file is found as kaniko and BuildKit's Dockerfile frontend find it:
// <Dockerfile>.dockerignore first, else <context>/.dockerignore, read by patternmatcher's ignorefile.ReadAll.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/moby/patternmatcher/ignorefile"
	"github.com/tonistiigi/fsutil"
)

type request struct {
	Root       string `json:"root"`
	Dockerfile string `json:"dockerfile"`
}

type answer struct {
	Entries []string `json:"entries,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// ignoreFile returns the ignore file that applies (relative to the root) and its patterns, or "" when none.
func ignoreFile(req request) (string, []string, error) {
	for _, candidate := range []string{req.Dockerfile + ".dockerignore", ".dockerignore"} {
		f, err := os.Open(filepath.Join(req.Root, candidate))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		defer f.Close()
		patterns, err := ignorefile.ReadAll(f)
		return candidate, patterns, err
	}
	return "", nil, nil
}

func kindOf(info fs.FileInfo) string {
	switch {
	case info.IsDir():
		return "d"
	case info.Mode()&fs.ModeSymlink != 0:
		return "l"
	default:
		return "f"
	}
}

func contextOf(req request) ([]string, error) {
	used, patterns, err := ignoreFile(req)
	if err != nil {
		return nil, err
	}
	kinds := map[string]string{}
	err = fsutil.Walk(context.Background(), req.Root, &fsutil.FilterOpt{ExcludePatterns: patterns}, func(p string, info fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		kinds[filepath.ToSlash(p)] = kindOf(info)
		return nil
	})
	if err != nil {
		return nil, err
	}
	alwaysSent := []string{req.Dockerfile}
	if used != "" {
		alwaysSent = append(alwaysSent, used)
	}
	for _, p := range alwaysSent {
		kinds[p] = "f"
		for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
			kinds[dir] = "d"
		}
	}
	entries := make([]string, 0, len(kinds))
	for p, kind := range kinds {
		entries = append(entries, kind+" "+p)
	}
	sort.Strings(entries)
	return entries, nil
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for in.Scan() {
		var req request
		var reply answer
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			reply.Error = err.Error()
		} else if entries, err := contextOf(req); err != nil {
			reply.Error = err.Error()
		} else {
			reply.Entries = entries
		}
		if err := encoder.Encode(reply); err != nil {
			panic(err)
		}
		out.Flush()
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}
