-- Baseline of migrations 1..3 (3 of them), written by `migc squash`:
-- the schema and rows a replay of them left, read back with pg_dump.
-- The originals are in squashed/1/.
-- migc:squashes 1..3

-- Name: a; Type: TABLE; Schema: public
CREATE TABLE public.a (
    id bigint NOT NULL
);

-- Name: b; Type: TABLE; Schema: public
CREATE TABLE public.b (
    id bigint NOT NULL,
    a_id bigint NOT NULL
);

-- Name: c; Type: TABLE; Schema: public
CREATE TABLE public.c (
    id bigint NOT NULL,
    note text
);

-- Name: a a_pkey; Type: CONSTRAINT; Schema: public
ALTER TABLE ONLY public.a
    ADD CONSTRAINT a_pkey PRIMARY KEY (id);

-- Name: b b_pkey; Type: CONSTRAINT; Schema: public
ALTER TABLE ONLY public.b
    ADD CONSTRAINT b_pkey PRIMARY KEY (id);

-- Name: c c_pkey; Type: CONSTRAINT; Schema: public
ALTER TABLE ONLY public.c
    ADD CONSTRAINT c_pkey PRIMARY KEY (id);

-- Name: b b_a_id_fkey; Type: FK CONSTRAINT; Schema: public
ALTER TABLE ONLY public.b
    ADD CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES public.a(id);
