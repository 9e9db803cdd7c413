// dockerfile-oracle reads Dockerfiles as JSON lines on stdin ({"id":…,"text":…}) and prints, per file, one JSON
// line with what BuildKit's parser (parser.Parse + instructions.Parse) makes of it: instruction keywords and
// lines, stages, ARG declarations. It is the reference our TypeScript reader is compared with.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

type input struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type instruction struct {
	Keyword string `json:"keyword"`
	Line    int    `json:"line"`
	EndLine int    `json:"endLine"`
}

type stage struct {
	Name string `json:"name,omitempty"`
	Base string `json:"base"`
	Line int    `json:"line"`
}

type arg struct {
	Name         string  `json:"name"`
	DefaultValue *string `json:"defaultValue,omitempty"`
	Line         int     `json:"line"`
	Global       bool    `json:"global"`
	Stage        int     `json:"stage"`
}

type output struct {
	ID           string        `json:"id"`
	Error        string        `json:"error,omitempty"`
	Instructions []instruction `json:"instructions"`
	Stages       []stage       `json:"stages"`
	Args         []arg         `json:"args"`
}

type noEnv struct{}

func (noEnv) Get(string) (string, bool) { return "", false }
func (noEnv) Keys() []string           { return nil }

// expand shows an ARG word as a build sees it with nothing set: quotes and escapes removed, $x kept.
func expand(lex *shell.Lex, word string) string {
	result, _, err := lex.ProcessWord(word, noEnv{})
	if err != nil {
		return word
	}
	return result
}

func argsOf(lex *shell.Lex, command *instructions.ArgCommand, line int, stageIndex int) []arg {
	found := []arg{}
	for _, pair := range command.Args {
		declared := arg{Name: expand(lex, pair.Key), Line: line, Global: stageIndex < 0, Stage: stageIndex}
		if pair.Value != nil {
			value := expand(lex, *pair.Value)
			declared.DefaultValue = &value
		}
		found = append(found, declared)
	}
	return found
}

func read(text string) output {
	result := output{Instructions: []instruction{}, Stages: []stage{}, Args: []arg{}}
	parsed, err := parser.Parse(strings.NewReader(text))
	if err != nil {
		result.Error = err.Error()
		return result
	}
	for _, node := range parsed.AST.Children {
		result.Instructions = append(result.Instructions, instruction{strings.ToUpper(node.Value), node.StartLine, node.EndLine})
	}
	stages, metaArgs, err := instructions.Parse(parsed.AST, linter.New(&linter.Config{}))
	if err != nil {
		result.Error = err.Error()
		return result
	}
	lex := shell.NewLex(parsed.EscapeToken)
	lex.SkipUnsetEnv = true
	for i := range metaArgs {
		result.Args = append(result.Args, argsOf(lex, &metaArgs[i], metaArgs[i].Location()[0].Start.Line, -1)...)
	}
	for index, s := range stages {
		result.Stages = append(result.Stages, stage{Name: s.Name, Base: s.BaseName, Line: s.Location[0].Start.Line})
		for _, command := range s.Commands {
			if declared, ok := command.(*instructions.ArgCommand); ok {
				result.Args = append(result.Args, argsOf(lex, declared, declared.Location()[0].Start.Line, index)...)
			}
		}
	}
	return result
}

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 64<<20)
	encoder := json.NewEncoder(os.Stdout)
	for scanner.Scan() {
		var in input
		if err := json.Unmarshal(scanner.Bytes(), &in); err != nil {
			os.Stderr.WriteString("dockerfile-oracle: " + err.Error() + "\n")
			os.Exit(2)
		}
		out := read(in.Text)
		out.ID = in.ID
		if err := encoder.Encode(out); err != nil {
			os.Exit(2)
		}
	}
	if err := scanner.Err(); err != nil {
		os.Stderr.WriteString("dockerfile-oracle: " + err.Error() + "\n")
		os.Exit(2)
	}
}
