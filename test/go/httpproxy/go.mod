module kaniko-build/test/go/httpproxy

go 1.25.0

require golang.org/x/net v0.45.0

require golang.org/x/text v0.29.0 // indirect
