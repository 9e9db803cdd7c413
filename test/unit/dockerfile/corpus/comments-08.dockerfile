#!/usr/bin/env docker
FROM alpine
