FROM alpine aS MiXeD
