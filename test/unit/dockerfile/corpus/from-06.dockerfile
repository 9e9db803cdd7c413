FROM alpine	AS	Tabbed
