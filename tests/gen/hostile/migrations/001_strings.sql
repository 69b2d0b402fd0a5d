-- Hostile text for the emitter. Comments: */ ends a C comment, /* opens one,
-- trigraphs ??= ??/ ??' ??( ??) ??! ??< ??> ??- and a backslash at the end \
/* a block comment holding a C comment end: */
/* PostgreSQL nests block comments: /* inner ??/ */ still a comment */
CREATE TABLE hostile (
    id integer PRIMARY KEY,
    body text NOT NULL,  -- */ ??= "quotes" 'apostrophes' \
    "quoted ""column"" ??=" text,
    "naïve_ünïcödé_名前" text
);

INSERT INTO hostile (id, body) VALUES
    (1, 'ends a C comment */ and opens one /*'),
    (2, 'trigraphs ??= ??/ ??'' ??( ??) ??! ??< ??> ??- and ???= ????/'),
    (3, 'a backslash at the end of a line \
next line'),
    (4, E'escape string: \\ \' \t \n \x41 \u00e9 \\'),
    (5, 'it''s "double" and ''single'' quotes'),
    (6, 'tab	separated	values	here'),
    (7, 'multibyte: é € 😀 名前 Ω ﬁ'),
    (8, '%s %d %n printf specifiers, \0 \x00 \n \" as plain text'),
    (9, '$$ not a dollar quote inside a string $$'),
    (10, '/* ?? */ // ??/
??= at the start of a line');

-- Two statements on one line, the second after multibyte characters: its
-- column counts characters (15), not bytes (21).
SELECT 'é€😀'; SELECT 'second on the line ??=';
