// Oracle for the engine's proxy choice: for each JSON line {"httpsProxy","httpProxy","noProxy","url"} on stdin,
// prints {"proxy": "<url or empty>"} as golang.org/x/net/http/httpproxy decides it (what net/http's
// ProxyFromEnvironment, and so client-go and kubectl, use). Our own test program; the library is pinned in go.mod.
package main

import (
	"bufio"
	"encoding/json"
	"net/url"
	"os"

	"golang.org/x/net/http/httpproxy"
)

type testCase struct {
	HTTPSProxy string `json:"httpsProxy"`
	HTTPProxy  string `json:"httpProxy"`
	NoProxy    string `json:"noProxy"`
	URL        string `json:"url"`
}

type answer struct {
	Proxy string `json:"proxy"`
	Error string `json:"error,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var c testCase
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			_ = out.Encode(answer{Error: err.Error()})
			continue
		}
		config := httpproxy.Config{HTTPSProxy: c.HTTPSProxy, HTTPProxy: c.HTTPProxy, NoProxy: c.NoProxy}
		target, err := url.Parse(c.URL)
		if err != nil {
			_ = out.Encode(answer{Error: err.Error()})
			continue
		}
		proxy, err := config.ProxyFunc()(target)
		switch {
		case err != nil:
			_ = out.Encode(answer{Error: err.Error()})
		case proxy == nil:
			_ = out.Encode(answer{})
		default:
			_ = out.Encode(answer{Proxy: proxy.String()})
		}
	}
}
