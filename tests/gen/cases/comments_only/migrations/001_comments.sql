-- Only comments: nothing to run.
/* Not even
   a statement; */
;
