FROM alpine AS my.stage-1_b
