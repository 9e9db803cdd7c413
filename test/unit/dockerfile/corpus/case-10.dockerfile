fRoM alpine As a
FROM a as B
