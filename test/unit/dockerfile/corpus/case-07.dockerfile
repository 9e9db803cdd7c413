FROM alpine
OnBuild Run x
