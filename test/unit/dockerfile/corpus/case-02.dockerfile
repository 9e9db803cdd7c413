FrOm alpine
RuN echo mixed
ArG Lower
