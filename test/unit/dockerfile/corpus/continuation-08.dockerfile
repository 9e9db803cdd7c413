FROM \
  alpine \
  AS \
  base
