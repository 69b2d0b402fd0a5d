-- Baseline of migrations 1..3 (3 of them), written by `migc squash`:
-- the schema and rows a replay of them left, read back with pg_dump.
-- The originals are in squashed/1/.
-- migc:squashes 1..3
SET LOCAL check_function_bodies = false;

-- Name: mood; Type: TYPE; Schema: public
CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok'
);

-- Name: touch(); Type: FUNCTION; Schema: public
CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.full_name := trim(NEW.full_name);
    RETURN NEW;
END;
$$;

-- Name: people; Type: TABLE; Schema: public
CREATE TABLE public.people (
    id bigint NOT NULL,
    full_name text NOT NULL,
    feeling public.mood
);

-- Name: happy; Type: VIEW; Schema: public
CREATE VIEW public.happy AS
 SELECT people.id,
    people.full_name
   FROM public.people
  WHERE (people.feeling = 'ok'::public.mood);

-- Name: kinds; Type: TABLE; Schema: public
CREATE TABLE public.kinds (
    id bigint NOT NULL,
    code text NOT NULL,
    label text NOT NULL
);

-- Name: kinds_id_seq; Type: SEQUENCE; Schema: public
ALTER TABLE public.kinds ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.kinds_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- Name: pack; Type: TABLE; Schema: public
CREATE TABLE public.pack (
    id bigint NOT NULL,
    ref text NOT NULL,
    label text NOT NULL
);

-- Name: pack_id_seq; Type: SEQUENCE; Schema: public
ALTER TABLE public.pack ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.pack_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- Name: people_id_seq; Type: SEQUENCE; Schema: public
ALTER TABLE public.people ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.people_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- Rows the range wrote (2 tables).

-- Name: kinds; Type: TABLE DATA; Schema: public
INSERT INTO public.kinds (id, code, label) OVERRIDING SYSTEM VALUE VALUES (1, 'a', 'Alpha');
INSERT INTO public.kinds (id, code, label) OVERRIDING SYSTEM VALUE VALUES (2, 'b', 'Beta!');

-- Name: people; Type: TABLE DATA; Schema: public
INSERT INTO public.people (id, full_name, feeling) OVERRIDING SYSTEM VALUE VALUES (1, 'Ada', 'ok');

-- Name: kinds_id_seq; Type: SEQUENCE SET; Schema: public
SELECT pg_catalog.setval('public.kinds_id_seq', 2, true);

-- Name: people_id_seq; Type: SEQUENCE SET; Schema: public
SELECT pg_catalog.setval('public.people_id_seq', 1, true);

-- Name: kinds kinds_code_key; Type: CONSTRAINT; Schema: public
ALTER TABLE ONLY public.kinds
    ADD CONSTRAINT kinds_code_key UNIQUE (code);

-- Name: kinds kinds_pkey; Type: CONSTRAINT; Schema: public
ALTER TABLE ONLY public.kinds
    ADD CONSTRAINT kinds_pkey PRIMARY KEY (id);

-- Name: pack pack_pkey; Type: CONSTRAINT; Schema: public
ALTER TABLE ONLY public.pack
    ADD CONSTRAINT pack_pkey PRIMARY KEY (id);

-- Name: pack pack_ref_key; Type: CONSTRAINT; Schema: public
ALTER TABLE ONLY public.pack
    ADD CONSTRAINT pack_ref_key UNIQUE (ref);

-- Name: people people_pkey; Type: CONSTRAINT; Schema: public
ALTER TABLE ONLY public.people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);

-- Name: people_name_idx; Type: INDEX; Schema: public
CREATE INDEX people_name_idx ON public.people USING btree (full_name);

-- Name: people people_touch; Type: TRIGGER; Schema: public
CREATE TRIGGER people_touch BEFORE INSERT ON public.people FOR EACH ROW EXECUTE FUNCTION public.touch();
