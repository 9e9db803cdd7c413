FROM   alpine   AS   spaced
