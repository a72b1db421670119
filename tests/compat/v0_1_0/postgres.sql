--
-- PostgreSQL database dump
--

\restrict JO4x7i5DeQdkgFUG34rVf30fyujfmeOrujcgHBtTAYRyRK4jkPvZKN4GZ8dd8Nl

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: control_boot_jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.control_boot_jobs (
    id uuid NOT NULL,
    host_id uuid NOT NULL,
    task_id uuid NOT NULL,
    token_digest character varying(64) NOT NULL,
    kind character varying(16) NOT NULL,
    macs json NOT NULL,
    settings json NOT NULL,
    image_path character varying(4096),
    config_drive bytea,
    report json,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT ck_control_boot_jobs_kind CHECK (((kind)::text = ANY ((ARRAY['inspect'::character varying, 'deploy'::character varying, 'clean'::character varying])::text[])))
);


--
-- Name: control_hosts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.control_hosts (
    id uuid NOT NULL,
    kind character varying(16) NOT NULL,
    region_id uuid NOT NULL,
    uri character varying(1024),
    bmc_address character varying(255),
    bmc_port integer,
    bmc_username character varying(255),
    bmc_password bytea,
    state character varying(16) NOT NULL,
    enabled boolean NOT NULL,
    error text,
    facts json NOT NULL,
    inspected_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    bmc_protocol character varying(16),
    bmc_tls boolean DEFAULT false NOT NULL,
    bmc_verify_tls boolean DEFAULT true NOT NULL,
    bmc_ca_pem text,
    bmc_timeout_s double precision,
    bmc_retries integer,
    declared json,
    power_state character varying(16),
    power_target character varying(16),
    power_synced_at timestamp with time zone,
    power_failures integer DEFAULT 0 NOT NULL,
    maintenance boolean DEFAULT false NOT NULL,
    maintenance_reason text,
    maintenance_auto boolean DEFAULT false NOT NULL,
    CONSTRAINT ck_control_hosts_kind CHECK (((kind)::text = ANY ((ARRAY['hypervisor'::character varying, 'baremetal'::character varying])::text[]))),
    CONSTRAINT ck_control_hosts_state CHECK (((state)::text = ANY ((ARRAY['enrolling'::character varying, 'ready'::character varying, 'error'::character varying])::text[])))
);


--
-- Name: control_images; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.control_images (
    id uuid NOT NULL,
    project_id uuid,
    format character varying(16) NOT NULL,
    source character varying(1024) NOT NULL,
    size_gb integer NOT NULL,
    os_hints json NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_control_images_format CHECK (((format)::text = ANY ((ARRAY['qcow2'::character varying, 'raw'::character varying])::text[]))),
    CONSTRAINT ck_control_images_size_gb CHECK ((size_gb >= 0))
);


--
-- Name: control_machines; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.control_machines (
    id uuid NOT NULL,
    project_id uuid NOT NULL,
    kind character varying(16) NOT NULL,
    state character varying(16) NOT NULL,
    error text,
    vcpus integer NOT NULL,
    memory_mb integer NOT NULL,
    disk_gb integer NOT NULL,
    image_id uuid NOT NULL,
    host_id uuid,
    region_id uuid,
    network character varying(255),
    ssh_keys json NOT NULL,
    user_data text NOT NULL,
    window_start timestamp with time zone NOT NULL,
    window_end timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    step character varying(32),
    step_deadline timestamp with time zone,
    CONSTRAINT ck_control_machines_kind CHECK (((kind)::text = ANY ((ARRAY['vm'::character varying, 'baremetal'::character varying])::text[]))),
    CONSTRAINT ck_control_machines_resources CHECK (((vcpus > 0) AND (memory_mb > 0) AND (disk_gb >= 0))),
    CONSTRAINT ck_control_machines_state CHECK (((state)::text = ANY ((ARRAY['requested'::character varying, 'scheduled'::character varying, 'reserved'::character varying, 'provisioning'::character varying, 'active'::character varying, 'decommissioning'::character varying, 'decommissioned'::character varying, 'error'::character varying])::text[])))
);


--
-- Name: control_tasks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.control_tasks (
    id uuid NOT NULL,
    kind character varying(64) NOT NULL,
    target_id uuid NOT NULL,
    payload json NOT NULL,
    state character varying(16) NOT NULL,
    attempts integer NOT NULL,
    max_attempts integer NOT NULL,
    not_before timestamp with time zone NOT NULL,
    lease_owner character varying(255),
    lease_expires_at timestamp with time zone,
    last_error text,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_control_tasks_attempts CHECK ((attempts >= 0)),
    CONSTRAINT ck_control_tasks_lease CHECK ((((state)::text <> 'leased'::text) OR ((lease_owner IS NOT NULL) AND (lease_expires_at IS NOT NULL)))),
    CONSTRAINT ck_control_tasks_max_attempts CHECK ((max_attempts >= 1)),
    CONSTRAINT ck_control_tasks_state CHECK (((state)::text = ANY ((ARRAY['queued'::character varying, 'leased'::character varying, 'succeeded'::character varying, 'failed'::character varying, 'cancelled'::character varying])::text[])))
);


--
-- Name: iam_accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.iam_accounts (
    id character varying(36) NOT NULL,
    kind character varying(32) NOT NULL,
    password_hash character varying(255),
    secret_hash character varying(64),
    project_id character varying(36),
    creator_id character varying(36),
    display_name character varying(255) NOT NULL,
    description character varying(1024) NOT NULL,
    disabled boolean NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_iam_accounts_kind CHECK (((kind)::text = ANY ((ARRAY['user'::character varying, 'application_credential'::character varying])::text[])))
);


--
-- Name: iam_bootstrap; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.iam_bootstrap (
    id integer NOT NULL,
    account_id character varying(36) NOT NULL,
    project_id character varying(36) NOT NULL,
    completed_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_iam_bootstrap_single_row CHECK ((id = 1))
);


--
-- Name: iam_bootstrap_secrets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.iam_bootstrap_secrets (
    secret_hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: iam_projects; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.iam_projects (
    id character varying(36) NOT NULL,
    description character varying(1024) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: iam_role_assignments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.iam_role_assignments (
    account_id character varying(36) NOT NULL,
    scope character varying(36) NOT NULL,
    role character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_iam_role_assignments_role CHECK (((role)::text = ANY ((ARRAY['admin'::character varying, 'member'::character varying, 'reader'::character varying])::text[])))
);


--
-- Name: iam_signing_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.iam_signing_keys (
    key_id character varying(64) NOT NULL,
    algorithm character varying(16) NOT NULL,
    private_key bytea NOT NULL,
    public_key bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    retired_at timestamp with time zone,
    verify_until timestamp with time zone
);


--
-- Name: kv_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kv_keys (
    key bytea NOT NULL,
    value bytea NOT NULL,
    create_revision bigint NOT NULL,
    mod_revision bigint NOT NULL,
    version bigint NOT NULL,
    lease bigint NOT NULL
);


--
-- Name: kv_leases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kv_leases (
    id bigint NOT NULL,
    ttl integer NOT NULL,
    expires_at double precision NOT NULL
);


--
-- Name: kv_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kv_log (
    revision bigint NOT NULL,
    seq integer NOT NULL,
    key bytea NOT NULL,
    event character varying(6) NOT NULL,
    value bytea NOT NULL,
    create_revision bigint NOT NULL,
    version bigint NOT NULL,
    lease bigint NOT NULL,
    created_at double precision NOT NULL,
    CONSTRAINT ck_kv_log_event CHECK (((event)::text = ANY ((ARRAY['put'::character varying, 'delete'::character varying])::text[])))
);


--
-- Name: kv_revision; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kv_revision (
    id integer NOT NULL,
    revision bigint NOT NULL,
    compact_revision bigint NOT NULL,
    CONSTRAINT ck_kv_revision_single_row CHECK ((id = 1))
);


--
-- Name: resource_allocations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_allocations (
    consumer_id integer NOT NULL,
    provider_id integer NOT NULL,
    resource_class character varying(255) NOT NULL,
    amount bigint NOT NULL,
    start_at bigint NOT NULL,
    end_at bigint,
    project_id character varying(64) NOT NULL,
    windowed boolean NOT NULL
);


--
-- Name: resource_classes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_classes (
    code character varying(255) NOT NULL,
    created_at bigint NOT NULL
);


--
-- Name: resource_consumers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_consumers (
    id integer NOT NULL,
    uuid character varying(36) NOT NULL,
    project_id character varying(64) NOT NULL,
    kind character varying(64) NOT NULL,
    generation integer NOT NULL,
    start_at bigint NOT NULL,
    end_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    owner character varying(32)
);


--
-- Name: resource_consumers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.resource_consumers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: resource_consumers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.resource_consumers_id_seq OWNED BY public.resource_consumers.id;


--
-- Name: resource_distances; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_distances (
    provider_id integer NOT NULL,
    other_id integer NOT NULL,
    distance bigint NOT NULL
);


--
-- Name: resource_group_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_group_members (
    provider_id integer NOT NULL,
    group_id integer NOT NULL
);


--
-- Name: resource_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_groups (
    id integer NOT NULL,
    uuid character varying(36) NOT NULL,
    named boolean NOT NULL,
    created_at bigint NOT NULL
);


--
-- Name: resource_groups_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.resource_groups_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: resource_groups_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.resource_groups_id_seq OWNED BY public.resource_groups.id;


--
-- Name: resource_inventories; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_inventories (
    provider_id integer NOT NULL,
    resource_class character varying(255) NOT NULL,
    total bigint NOT NULL,
    reserved bigint NOT NULL,
    min_unit bigint NOT NULL,
    max_unit bigint NOT NULL,
    step_size bigint NOT NULL,
    allocation_ratio double precision NOT NULL,
    capacity bigint NOT NULL,
    claimed bigint NOT NULL,
    free bigint NOT NULL,
    windowed integer NOT NULL
);


--
-- Name: resource_provider_traits; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_provider_traits (
    provider_id integer NOT NULL,
    trait character varying(255) NOT NULL
);


--
-- Name: resource_providers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_providers (
    id integer NOT NULL,
    uuid character varying(36) NOT NULL,
    region_id character varying(36) NOT NULL,
    parent_id integer,
    root_id integer,
    generation integer NOT NULL,
    named boolean NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: resource_providers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.resource_providers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: resource_providers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.resource_providers_id_seq OWNED BY public.resource_providers.id;


--
-- Name: resource_quotas; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_quotas (
    project_id character varying(64) NOT NULL,
    resource_class character varying(255) NOT NULL,
    limit_amount bigint NOT NULL
);


--
-- Name: resource_regions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_regions (
    id character varying(36) NOT NULL,
    parent_id character varying(36),
    visibility character varying(16) NOT NULL,
    attributes json NOT NULL,
    created_at bigint NOT NULL
);


--
-- Name: resource_sharing; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_sharing (
    provider_id integer NOT NULL,
    group_id integer NOT NULL
);


--
-- Name: resource_traits; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.resource_traits (
    code character varying(255) NOT NULL,
    created_at bigint NOT NULL
);


--
-- Name: schema_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_versions (
    module character varying(64) NOT NULL,
    version integer NOT NULL,
    description character varying(255) NOT NULL,
    applied_at timestamp with time zone NOT NULL
);


--
-- Name: resource_consumers id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_consumers ALTER COLUMN id SET DEFAULT nextval('public.resource_consumers_id_seq'::regclass);


--
-- Name: resource_groups id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_groups ALTER COLUMN id SET DEFAULT nextval('public.resource_groups_id_seq'::regclass);


--
-- Name: resource_providers id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_providers ALTER COLUMN id SET DEFAULT nextval('public.resource_providers_id_seq'::regclass);


--
-- Data for Name: control_boot_jobs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.control_boot_jobs (id, host_id, task_id, token_digest, kind, macs, settings, image_path, config_drive, report, created_at, expires_at, finished_at) FROM stdin;
\.


--
-- Data for Name: control_hosts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.control_hosts (id, kind, region_id, uri, bmc_address, bmc_port, bmc_username, bmc_password, state, enabled, error, facts, inspected_at, created_at, updated_at, bmc_protocol, bmc_tls, bmc_verify_tls, bmc_ca_pem, bmc_timeout_s, bmc_retries, declared, power_state, power_target, power_synced_at, power_failures, maintenance, maintenance_reason, maintenance_auto) FROM stdin;
d232d30a-5436-4b5f-89be-585065019f91	hypervisor	ad952565-72dc-49c8-b795-ef4b8bea9cd4	test:///default	\N	\N	\N	\N	ready	t	\N	{"hostname": "vm", "hypervisor": "TEST", "arch": "i686", "cpus": 16, "memory_mb": 3072, "disk_gb": 100, "pool": "default-pool", "traits": ["HW_ARCH_I686"], "networks": ["default"]}	2026-12-03 12:25:57.546203+00	2026-12-03 12:25:57.452994+00	2026-12-03 12:25:57.546203+00	\N	f	t	\N	\N	\N	null	\N	\N	\N	0	f	\N	f
\.


--
-- Data for Name: control_images; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.control_images (id, project_id, format, source, size_gb, os_hints, created_at) FROM stdin;
dd7adc15-0211-465d-b515-bd0234fabe9f	\N	raw	volume:tiny-image.raw	0	{"os": "debian"}	2026-12-03 12:25:57.630129+00
4f0496ff-65d8-4b9f-ba16-6a2e09e7f4f4	01a23bde-5799-7883-a8c5-520d9b8bcdb1	raw	volume:no-such-volume.raw	0	{}	2026-12-03 12:25:57.653323+00
\.


--
-- Data for Name: control_machines; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.control_machines (id, project_id, kind, state, error, vcpus, memory_mb, disk_gb, image_id, host_id, region_id, network, ssh_keys, user_data, window_start, window_end, created_at, updated_at, step, step_deadline) FROM stdin;
7e31ebe9-3bd6-49bf-80dc-84e2774807a5	01a23bde-5799-7883-a8c5-520d9b8bcdb1	vm	active	\N	1	64	1	dd7adc15-0211-465d-b515-bd0234fabe9f	d232d30a-5436-4b5f-89be-585065019f91	\N	default	[]		2026-12-03 12:25:57.787337+00	\N	2026-12-03 12:25:57.787337+00	2026-12-03 12:25:57.888497+00	\N	\N
59535a1f-ab04-4b0b-b32e-6003d257b3ce	01a23bde-5799-7883-a8c5-520d9b8bcdb1	vm	active	\N	1	64	1	dd7adc15-0211-465d-b515-bd0234fabe9f	d232d30a-5436-4b5f-89be-585065019f91	\N	default	[]		2026-12-03 12:25:57.879283+00	\N	2026-12-03 12:25:57.879283+00	2026-12-03 12:25:57.954508+00	\N	\N
a02648f5-555b-46bf-a6b4-bd79818b5b0c	01a23bde-5799-7883-a8c5-520d9b8bcdb1	vm	error	image volume 'no-such-volume.raw' not found in storage pool 'default-pool'	1	64	1	4f0496ff-65d8-4b9f-ba16-6a2e09e7f4f4	d232d30a-5436-4b5f-89be-585065019f91	\N	default	[]		2026-12-03 12:25:58.009118+00	\N	2026-12-03 12:25:58.009118+00	2026-12-03 12:25:58.082646+00	\N	\N
6ea0d23e-3caa-49e0-b2d8-5be8b451941d	01a23bde-5799-7883-a8c5-520d9b8bcdb1	vm	reserved	\N	1	64	1	dd7adc15-0211-465d-b515-bd0234fabe9f	d232d30a-5436-4b5f-89be-585065019f91	\N	default	[]		2099-01-01 00:00:00+00	2099-01-02 00:00:00+00	2026-12-03 12:25:58.074701+00	2026-12-03 12:25:58.074701+00	\N	\N
20a31969-7712-4334-8662-7a01c3c3cf3d	01a23bde-5799-7883-a8c5-520d9b8bcdb1	vm	decommissioned	\N	1	64	1	dd7adc15-0211-465d-b515-bd0234fabe9f	d232d30a-5436-4b5f-89be-585065019f91	\N	default	[]		2026-12-03 12:25:57.947939+00	\N	2026-12-03 12:25:57.947939+00	2026-12-03 12:25:58.192377+00	\N	\N
\.


--
-- Data for Name: control_tasks; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.control_tasks (id, kind, target_id, payload, state, attempts, max_attempts, not_before, lease_owner, lease_expires_at, last_error, created_at, updated_at) FROM stdin;
0063a343-9f11-418f-af83-0e33840ced48	host.inspect	d232d30a-5436-4b5f-89be-585065019f91	{"driver": "libvirt", "host_uri": "test:///default"}	succeeded	1	5	2026-12-03 12:25:57.470039+00	\N	\N	\N	2026-12-03 12:25:57.470039+00	2026-12-03 12:25:57.540428+00
10fccc2d-c804-4887-922f-73770d564b5f	machine.provision	7e31ebe9-3bd6-49bf-80dc-84e2774807a5	{"driver": "libvirt", "spec": {"machine_id": "7e31ebe9-3bd6-49bf-80dc-84e2774807a5", "host_uri": "test:///default", "vcpus": 1, "memory_mb": 64, "disk_gb": 1, "image_source": "tiny-image.raw", "image_format": "raw", "hostname": "web-1", "ssh_keys": [], "user_data": "", "network": "default"}}	succeeded	1	5	2026-12-03 12:25:57.848179+00	\N	\N	\N	2026-12-03 12:25:57.848179+00	2026-12-03 12:25:57.88216+00
18eb7f3b-bfd8-40ee-9a29-320f540c5c83	machine.provision	59535a1f-ab04-4b0b-b32e-6003d257b3ce	{"driver": "libvirt", "spec": {"machine_id": "59535a1f-ab04-4b0b-b32e-6003d257b3ce", "host_uri": "test:///default", "vcpus": 1, "memory_mb": 64, "disk_gb": 1, "image_source": "tiny-image.raw", "image_format": "raw", "hostname": "web-2", "ssh_keys": [], "user_data": "", "network": "default"}}	succeeded	1	5	2026-12-03 12:25:57.92375+00	\N	\N	\N	2026-12-03 12:25:57.92375+00	2026-12-03 12:25:57.949351+00
e9f5208b-97d4-4354-9a5c-d66d69e03eb2	machine.provision	20a31969-7712-4334-8662-7a01c3c3cf3d	{"driver": "libvirt", "spec": {"machine_id": "20a31969-7712-4334-8662-7a01c3c3cf3d", "host_uri": "test:///default", "vcpus": 1, "memory_mb": 64, "disk_gb": 1, "image_source": "tiny-image.raw", "image_format": "raw", "hostname": "old-1", "ssh_keys": [], "user_data": "", "network": "default"}}	succeeded	1	5	2026-12-03 12:25:57.986482+00	\N	\N	\N	2026-12-03 12:25:57.986482+00	2026-12-03 12:25:58.012479+00
5334323c-078f-43bf-8998-eb087a6adb37	machine.provision	a02648f5-555b-46bf-a6b4-bd79818b5b0c	{"driver": "libvirt", "spec": {"machine_id": "a02648f5-555b-46bf-a6b4-bd79818b5b0c", "host_uri": "test:///default", "vcpus": 1, "memory_mb": 64, "disk_gb": 1, "image_source": "no-such-volume.raw", "image_format": "raw", "hostname": "bad-1", "ssh_keys": [], "user_data": "", "network": "default"}}	failed	1	5	2026-12-03 12:25:58.048225+00	\N	\N	image volume 'no-such-volume.raw' not found in storage pool 'default-pool'	2026-12-03 12:25:58.048225+00	2026-12-03 12:25:58.075531+00
64a9229b-54d9-454b-9e47-b9458255488b	machine.provision	6ea0d23e-3caa-49e0-b2d8-5be8b451941d	{"driver": "libvirt", "spec": {"machine_id": "6ea0d23e-3caa-49e0-b2d8-5be8b451941d", "host_uri": "test:///default", "vcpus": 1, "memory_mb": 64, "disk_gb": 1, "image_source": "tiny-image.raw", "image_format": "raw", "hostname": "batch-7", "ssh_keys": [], "user_data": "", "network": "default"}}	queued	0	5	2099-01-01 00:00:00+00	\N	\N	\N	2026-12-03 12:25:58.115714+00	2026-12-03 12:25:58.115714+00
a16f97b6-e43b-4b20-9d3c-d8de2e2b3df5	machine.decommission	6ea0d23e-3caa-49e0-b2d8-5be8b451941d	{"driver": "libvirt", "ref": {"machine_id": "6ea0d23e-3caa-49e0-b2d8-5be8b451941d", "host_uri": "test:///default"}}	queued	0	5	2099-01-02 00:00:00+00	\N	\N	\N	2026-12-03 12:25:58.118491+00	2026-12-03 12:25:58.118491+00
1adeb69e-1c92-456e-bc08-36651769f79a	machine.decommission	20a31969-7712-4334-8662-7a01c3c3cf3d	{"driver": "libvirt", "ref": {"machine_id": "20a31969-7712-4334-8662-7a01c3c3cf3d", "host_uri": "test:///default"}}	succeeded	1	5	2026-12-03 12:25:58.1574+00	\N	\N	\N	2026-12-03 12:25:58.1574+00	2026-12-03 12:25:58.187722+00
cdb2281e-d19d-4ef4-87db-bd34c1609689	host.inspect	d232d30a-5436-4b5f-89be-585065019f91	{"driver": "libvirt", "host_uri": "test:///default"}	queued	0	5	2026-12-03 12:25:59.050387+00	\N	\N	\N	2026-12-03 12:25:59.050387+00	2026-12-03 12:25:59.050387+00
\.


--
-- Data for Name: iam_accounts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.iam_accounts (id, kind, password_hash, secret_hash, project_id, creator_id, display_name, description, disabled, expires_at, created_at, updated_at) FROM stdin;
01a23bde-5761-7447-9e7f-6c2f411487be	user	$argon2id$v=19$m=19456,t=2,p=1$ceiZ5VJSIuPL8kc73496Bw$xp+bzU1iVa/MgBEIgVCaQEw3wwyW5frzJp43UXIDUkY	\N	\N	\N		the first system admin, created by bootstrap	f	\N	2026-12-03 12:25:56.833638+00	2026-12-03 12:25:56.833638+00
01a23bde-57db-75bb-b653-7a2ae2a10ebb	user	$argon2id$v=19$m=19456,t=2,p=1$+gIz7d6qNU5LyiOjmlBHmw$QBAZlhoKFtt/ngSsnwYwEV9YM5Jy++YJ95NbOaThTrY	\N	\N	01a23bde-5761-7447-9e7f-6c2f411487be	Alice Example		f	\N	2026-12-03 12:25:56.955563+00	2026-12-03 12:25:56.955563+00
01a23bde-5805-7ffd-b836-c4cbf18b658d	user	$argon2id$v=19$m=19456,t=2,p=1$iVmU9jlyOrCRujswmdReNQ$9tig9uFfqWWutSXmYBMOThUR9XF9hqlADRVRvj+UzVs	\N	\N	01a23bde-5761-7447-9e7f-6c2f411487be	Bob Example		f	\N	2026-12-03 12:25:56.997528+00	2026-12-03 12:25:56.997528+00
01a23bde-58bf-7cee-8c83-b46959f888f9	application_credential	\N	7ae8a06e8242b96b45b3ba4717fb24bfe27e830fe0f3a35832fdbfac8db1d2a1	01a23bde-5799-7883-a8c5-520d9b8bcdb1	01a23bde-57db-75bb-b653-7a2ae2a10ebb			f	\N	2026-12-03 12:25:57.18363+00	2026-12-03 12:25:57.18363+00
\.


--
-- Data for Name: iam_bootstrap; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.iam_bootstrap (id, account_id, project_id, completed_at) FROM stdin;
1	01a23bde-5761-7447-9e7f-6c2f411487be	01a23bde-5761-76cb-bd7c-4f8d98631bbf	2026-12-03 12:25:56.833638+00
\.


--
-- Data for Name: iam_bootstrap_secrets; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.iam_bootstrap_secrets (secret_hash, created_at) FROM stdin;
\.


--
-- Data for Name: iam_projects; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.iam_projects (id, description, created_at, updated_at) FROM stdin;
01a23bde-5761-76cb-bd7c-4f8d98631bbf	the operators' project	2026-12-03 12:25:56.833638+00	2026-12-03 12:25:56.833638+00
01a23bde-5799-7883-a8c5-520d9b8bcdb1	a tenant	2026-12-03 12:25:56.889601+00	2026-12-03 12:25:56.889601+00
01a23bde-57ac-7579-9e5a-ca84a8917a17		2026-12-03 12:25:56.908097+00	2026-12-03 12:25:56.908097+00
\.


--
-- Data for Name: iam_role_assignments; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.iam_role_assignments (account_id, scope, role, created_at) FROM stdin;
01a23bde-5761-7447-9e7f-6c2f411487be	system	admin	2026-12-03 12:25:56.833638+00
01a23bde-5761-7447-9e7f-6c2f411487be	01a23bde-5761-76cb-bd7c-4f8d98631bbf	admin	2026-12-03 12:25:56.833638+00
01a23bde-57db-75bb-b653-7a2ae2a10ebb	01a23bde-5799-7883-a8c5-520d9b8bcdb1	admin	2026-12-03 12:25:57.023017+00
01a23bde-5805-7ffd-b836-c4cbf18b658d	01a23bde-5799-7883-a8c5-520d9b8bcdb1	reader	2026-12-03 12:25:57.03167+00
01a23bde-5805-7ffd-b836-c4cbf18b658d	01a23bde-57ac-7579-9e5a-ca84a8917a17	member	2026-12-03 12:25:57.038531+00
01a23bde-58bf-7cee-8c83-b46959f888f9	01a23bde-5799-7883-a8c5-520d9b8bcdb1	member	2026-12-03 12:25:57.18363+00
\.


--
-- Data for Name: iam_signing_keys; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.iam_signing_keys (key_id, algorithm, private_key, public_key, created_at, retired_at, verify_until) FROM stdin;
RxnTd8uiukZYyasVSX18-HVdph3kP6P7vzN7wzfANzY	EdDSA	\\x2d2d2d2d2d424547494e2050524956415445204b45592d2d2d2d2d0a4d43344341514177425159444b32567742434945494236696763616b665074646f544766686241537862526168456a376f444559444257653542642f7a544d4f0a2d2d2d2d2d454e442050524956415445204b45592d2d2d2d2d0a	\\x1f7512929791a110fdc5dd015f529c58fc3798083843714de763124964eaded5	2026-12-03 12:25:56.492462+00	2026-12-03 12:25:57.124625+00	2056-11-25 12:26:57.124625+00
boGrFOII0WYfUrzIZcC-s1wtCtggfXbDWbXi0TLXzVE	EdDSA	\\x2d2d2d2d2d424547494e2050524956415445204b45592d2d2d2d2d0a4d43344341514177425159444b3256774243494549444c4741675535704b317554677a5470505534736c593575464d7846792f33426441675136414e5a7957410a2d2d2d2d2d454e442050524956415445204b45592d2d2d2d2d0a	\\x29ec10d9a41fb436dccbe2c059b0730526e0c6e84e5c72cfbbb6282de308a767	2026-12-03 12:25:57.129665+00	\N	\N
\.


--
-- Data for Name: kv_keys; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.kv_keys (key, value, create_revision, mod_revision, version, lease) FROM stdin;
\\x69616d2f746f6b656e2d74746c2d6d6178	\\x7b2274746c5f73223a203934363038303030307d	2	2	1	0
\\x69616d2f6b6579732f52786e5464387569756b5a5979617356535831382d4856647068336b50365037767a4e37777a66414e7a59	\\x7b226b7479223a20224f4b50222c2022637276223a202245643235353139222c202278223a2022483355536b7065526f5244397864304258314b63575077336d4167345133464e35324d5353575471337455222c20226b6964223a202252786e5464387569756b5a5979617356535831382d4856647068336b50365037767a4e37777a66414e7a59222c2022616c67223a20224564445341222c2022757365223a2022736967227d	3	3	1	0
\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353736312d373663622d626437632d346638643938363331626266	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	5	6	2	0
\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f61646d696e	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	5	6	2	0
\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f61646d696e	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	5	6	2	0
\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353736312d373434372d396537662d366332663431313438376265	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	4	7	2	0
\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f61646d696e	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	4	7	2	0
\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f61646d696e	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	4	7	2	0
\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353739392d373838332d613863352d353230643962386263646231	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	8	9	2	0
\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f61636d65	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	8	9	2	0
\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f61636d65	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	8	9	2	0
\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353761632d373537392d396535612d636138346138393137613137	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	10	11	2	0
\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f676c6f626578	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	10	11	2	0
\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f676c6f626578	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	10	11	2	0
\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353764622d373562622d623635332d376132616532613130656262	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	12	13	2	0
\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f616c696365	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	12	13	2	0
\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f616c696365	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	12	13	2	0
\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353830352d376666642d623833362d633463626631386236353864	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	14	15	2	0
\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f626f62	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	14	15	2	0
\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f626f62	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	14	15	2	0
\\x69616d2f6b6579732f626f4772464f49493057596655727a495a63432d7331777443746767665862445762586930544c587a5645	\\x7b226b7479223a20224f4b50222c2022637276223a202245643235353139222c202278223a20224b6577513261516674446263792d4c415762427a425362677875684f58484c507537596f4c654d49703263222c20226b6964223a2022626f4772464f49493057596655727a495a63432d7331777443746767665862445762586930544c587a5645222c2022616c67223a20224564445341222c2022757365223a2022736967227d	16	16	1	0
\\x6d6574612f6f626a656374732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353862662d376365652d386338332d623436393539663838386639	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	17	18	2	0
\\x6d6574612f6e616d65732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f63692d6465706c6f796572	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	17	18	2	0
\\x6d6574612f736c7567732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f63692d6465706c6f796572	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	17	18	2	0
\\x69616d2f7265766f6b65642f746f6b656e2f3762643232653563306530373434633039306363313863653037366266653931	\\x7b2265787069726573223a20323734323338303735372e323035323331377d	19	19	1	798441055155431918
\\x6d6574612f6f626a656374732f726567696f6e2f61643935323536352d373264632d343963382d623739352d656634623862656139636434	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	20	21	2	0
\\x6d6574612f6e616d65732f726567696f6e2f5f73797374656d2f64656661756c74	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	20	21	2	0
\\x6d6574612f736c7567732f726567696f6e2f5f73797374656d2f64656661756c74	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	20	21	2	0
\\x6d6574612f6f626a656374732f726567696f6e2f62623061323134662d313564632d343933322d623433622d343366633461616365386465	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	22	23	2	0
\\x6d6574612f6e616d65732f726567696f6e2f5f73797374656d2f65752d7261636b2d31	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	22	23	2	0
\\x6d6574612f736c7567732f726567696f6e2f5f73797374656d2f65752d7261636b2d31	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	22	23	2	0
\\x6d6574612f7461676765642f66726f6e74656e642f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	\\x30316132336264652d353739392d373838332d613863352d353230643962386263646231	62	62	1	0
\\x6d6574612f7461676765642f746965722d312f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	\\x30316132336264652d353739392d373838332d613863352d353230643962386263646231	62	62	1	0
\\x6d6574612f746167732f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	\\x7b2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2274616773223a5b2266726f6e74656e64222c22746965722d31225d7d	62	62	1	0
\\x6d6574612f6f626a656374732f70726f76696465722f64636639646337332d366636322d346562352d613638662d376133383939663763363865	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	24	25	2	0
\\x6d6574612f6e616d65732f70726f76696465722f5f73797374656d2f667067612d7368656c66	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	24	25	2	0
\\x6d6574612f736c7567732f70726f76696465722f5f73797374656d2f667067612d7368656c66	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	24	25	2	0
\\x6d6574612f6f626a656374732f70726f76696465722f30623165383838652d373631332d343439622d396263342d303131383838663237356532	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	26	27	2	0
\\x6d6574612f6e616d65732f70726f76696465722f5f73797374656d2f667067612d7368656c662d6c656674	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	26	27	2	0
\\x6d6574612f736c7567732f70726f76696465722f5f73797374656d2f667067612d7368656c662d6c656674	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	26	27	2	0
\\x6d6574612f6f626a656374732f70726f76696465725f67726f75702f32613837656561352d646663642d343036362d396636362d396139616237303430646634	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	28	29	2	0
\\x6d6574612f6e616d65732f70726f76696465725f67726f75702f5f73797374656d2f666173742d73746f72616765	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	28	29	2	0
\\x6d6574612f736c7567732f70726f76696465725f67726f75702f5f73797374656d2f666173742d73746f72616765	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	28	29	2	0
\\x6d6574612f6f626a656374732f6d616368696e652f61303236343866352d353535622d343662662d613662342d626437393831386235623063	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	49	52	2	0
\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6261642d31	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	49	52	2	0
\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6261642d31	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	49	52	2	0
\\x6d6574612f646566732f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f70732f6f776e6572	\\x7b22637265617465645f6174223a313739363330303735392e303233353833322c226465736372697074696f6e223a2277686f20616e737765727320666f7220746865206d616368696e65222c226964223a2263396665373961342d643832352d343462662d623634622d303364336165336131343266222c226e616d65223a226f776e6572222c226e616d657370616365223a226f7073222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270726f746563746564223a66616c73652c22736368656d61223a7b2270726f70657274696573223a7b227465616d223a7b2274797065223a22737472696e67227d7d2c227265717569726564223a5b227465616d225d2c2274797065223a226f626a656374227d2c22757064617465645f6174223a313739363330303735392e303233353833327d	64	64	1	0
\\x6d6574612f6f626a656374732f686f73742f64323332643330612d353433362d346235662d383962652d353835303635303139663931	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	30	31	2	0
\\x6d6574612f6e616d65732f686f73742f5f73797374656d2f687631	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	30	31	2	0
\\x6d6574612f736c7567732f686f73742f5f73797374656d2f687631	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	30	31	2	0
\\x6d6574612f6f626a656374732f6d616368696e652f35393533356131662d616230342d346230622d623332652d363030336432353762336365	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	40	42	2	0
\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d32	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	40	42	2	0
\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d32	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	40	42	2	0
\\x636f6e74726f6c2f6d616368696e65732f36656130643233652d336361612d343965302d623264382d356265386234353139343164	\\x7b226964223a202236656130643233652d336361612d343965302d623264382d356265386234353139343164222c20226e616d65223a202262617463682d37222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20227265736572766564222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323039392d30312d30315430303a30303a30302b30303a3030222c2022656e64223a2022323039392d30312d30325430303a30303a30302b30303a3030222c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35382e3037343730312b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3037343730312b30303a3030227d	58	58	1	0
\\x6d6574612f7461676765642f7261636b2d612f686f73742f64323332643330612d353433362d346235662d383962652d353835303635303139663931	\\x	63	63	1	0
\\x6d6574612f746167732f686f73742f64323332643330612d353433362d346235662d383962652d353835303635303139663931	\\x7b2270726f6a656374223a6e756c6c2c2274616773223a5b227261636b2d61225d7d	63	63	1	0
\\x6d6574612f6f626a656374732f696d6167652f64643761646331352d303231312d343635642d623531352d626430323334666162653966	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	32	33	2	0
\\x6d6574612f6e616d65732f696d6167652f5f73797374656d2f74696e79	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	32	33	2	0
\\x6d6574612f736c7567732f696d6167652f5f73797374656d2f74696e79	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	32	33	2	0
\\x6d6574612f6f626a656374732f696d6167652f34663034393666662d363564382d346239662d626131362d366132653039653766346634	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	34	35	2	0
\\x6d6574612f6e616d65732f696d6167652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6d697373696e67	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	34	35	2	0
\\x6d6574612f736c7567732f696d6167652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6d697373696e67	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	34	35	2	0
\\x636f6e74726f6c2f6d616368696e65732f35393533356131662d616230342d346230622d623332652d363030336432353762336365	\\x7b226964223a202235393533356131662d616230342d346230622d623332652d363030336432353762336365222c20226e616d65223a20227765622d32222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a2022616374697665222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3935343530382b30303a3030227d	43	46	3	0
\\x636f6e74726f6c2f6d616368696e65732f61303236343866352d353535622d343662662d613662342d626437393831386235623063	\\x7b226964223a202261303236343866352d353535622d343662662d613662342d626437393831386235623063222c20226e616d65223a20226261642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20226572726f72222c20226572726f72223a2022696d61676520766f6c756d6520276e6f2d737563682d766f6c756d652e72617727206e6f7420666f756e6420696e2073746f7261676520706f6f6c202764656661756c742d706f6f6c27222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202234663034393666662d363564382d346239662d626131362d366132653039653766346634222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3038323634362b30303a3030227d	53	56	3	0
\\x6d6574612f76616c7565732f6d616368696e652f37653331656265392d336264362d343962662d383064632d3834653237373438303761352f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f70732f6f776e6572	\\x7b22646566696e6974696f6e5f70726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226e616d65223a226f776e6572222c226e616d657370616365223a226f7073222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2276616c7565223a7b227465616d223a22776562227d7d	65	65	1	0
\\x6d6574612f646566636f756e742f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f70732f6f776e6572	\\x31	65	65	1	0
\\x6d6574612f6f626a656374732f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	36	37	2	0
\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d31	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	36	37	2	0
\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d31	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	36	37	2	0
\\x636f6e74726f6c2f6d616368696e65732f32306133313936392d373731322d343333342d383636322d376130316333633363663364	\\x7b226964223a202232306133313936392d373731322d343333342d383636322d376130316333633363663364222c20226e616d65223a20226f6c642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20226465636f6d6d697373696f6e6564222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3139323337372b30303a3030227d	48	60	5	0
\\x636f6e74726f6c2f6d616368696e65732f37653331656265392d336264362d343962662d383064632d383465323737343830376135	\\x7b226964223a202237653331656265392d336264362d343962662d383064632d383465323737343830376135222c20226e616d65223a20227765622d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a2022616374697665222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3838383439372b30303a3030227d	38	41	3	0
\\x6d6574612f6f626a656374732f6d616368696e652f36656130643233652d336361612d343965302d623264382d356265386234353139343164	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	55	57	2	0
\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f62617463682d37	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	55	57	2	0
\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f62617463682d37	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	55	57	2	0
\.


--
-- Data for Name: kv_leases; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.kv_leases (id, ttl, expires_at) FROM stdin;
798441055155431918	946080060	2742380817.207984
\.


--
-- Data for Name: kv_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.kv_log (revision, seq, key, event, value, create_revision, version, lease, created_at) FROM stdin;
2	0	\\x69616d2f746f6b656e2d74746c2d6d6178	put	\\x7b2274746c5f73223a203934363038303030307d	2	1	0	1796300756.458082
3	0	\\x69616d2f6b6579732f52786e5464387569756b5a5979617356535831382d4856647068336b50365037767a4e37777a66414e7a59	put	\\x7b226b7479223a20224f4b50222c2022637276223a202245643235353139222c202278223a2022483355536b7065526f5244397864304258314b63575077336d4167345133464e35324d5353575471337455222c20226b6964223a202252786e5464387569756b5a5979617356535831382d4856647068336b50365037767a4e37777a66414e7a59222c2022616c67223a20224564445341222c2022757365223a2022736967227d	3	1	0	1796300756.4997077
4	0	\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353736312d373434372d396537662d366332663431313438376265	put	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	4	1	2066706704662411012	1796300756.8399384
4	1	\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f61646d696e	put	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	4	1	2066706704662411012	1796300756.8399384
4	2	\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f61646d696e	put	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	4	1	2066706704662411012	1796300756.8399384
5	0	\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353736312d373663622d626437632d346638643938363331626266	put	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	5	1	2066706704662411012	1796300756.8487833
5	1	\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f61646d696e	put	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	5	1	2066706704662411012	1796300756.8487833
5	2	\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f61646d696e	put	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	5	1	2066706704662411012	1796300756.8487833
6	0	\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353736312d373663622d626437632d346638643938363331626266	put	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	5	2	0	1796300756.865955
6	1	\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f61646d696e	put	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	5	2	0	1796300756.865955
6	2	\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f61646d696e	put	\\x7b226964223a2230316132336264652d353736312d373663622d626437632d346638643938363331626266222c226b696e64223a2270726f6a656374222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	5	2	0	1796300756.865955
7	0	\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353736312d373434372d396537662d366332663431313438376265	put	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	4	2	0	1796300756.8719587
7	1	\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f61646d696e	put	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	4	2	0	1796300756.8719587
7	2	\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f61646d696e	put	\\x7b226964223a2230316132336264652d353736312d373434372d396537662d366332663431313438376265222c226b696e64223a226163636f756e74222c226e616d65223a2261646d696e222c22736c7567223a2261646d696e222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	4	2	0	1796300756.8719587
8	0	\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353739392d373838332d613863352d353230643962386263646231	put	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	8	1	2066706704662411012	1796300756.8912947
8	1	\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f61636d65	put	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	8	1	2066706704662411012	1796300756.8912947
8	2	\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f61636d65	put	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	8	1	2066706704662411012	1796300756.8912947
9	0	\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353739392d373838332d613863352d353230643962386263646231	put	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	8	2	0	1796300756.8996608
9	1	\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f61636d65	put	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	8	2	0	1796300756.8996608
9	2	\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f61636d65	put	\\x7b226964223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226b696e64223a2270726f6a656374222c226e616d65223a2261636d65222c22736c7567223a2261636d65222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	8	2	0	1796300756.8996608
10	0	\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353761632d373537392d396535612d636138346138393137613137	put	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	10	1	2066706704662411012	1796300756.9101596
10	1	\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f676c6f626578	put	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	10	1	2066706704662411012	1796300756.9101596
10	2	\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f676c6f626578	put	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	10	1	2066706704662411012	1796300756.9101596
11	0	\\x6d6574612f6f626a656374732f70726f6a6563742f30316132336264652d353761632d373537392d396535612d636138346138393137613137	put	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	10	2	0	1796300756.9187856
11	1	\\x6d6574612f6e616d65732f70726f6a6563742f5f73797374656d2f676c6f626578	put	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	10	2	0	1796300756.9187856
11	2	\\x6d6574612f736c7567732f70726f6a6563742f5f73797374656d2f676c6f626578	put	\\x7b226964223a2230316132336264652d353761632d373537392d396535612d636138346138393137613137222c226b696e64223a2270726f6a656374222c226e616d65223a22676c6f626578222c22736c7567223a22676c6f626578222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	10	2	0	1796300756.9187856
12	0	\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353764622d373562622d623635332d376132616532613130656262	put	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	12	1	2066706704662411012	1796300756.9572394
12	1	\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f616c696365	put	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	12	1	2066706704662411012	1796300756.9572394
12	2	\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f616c696365	put	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	12	1	2066706704662411012	1796300756.9572394
13	0	\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353764622d373562622d623635332d376132616532613130656262	put	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	12	2	0	1796300756.964255
13	1	\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f616c696365	put	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	12	2	0	1796300756.964255
13	2	\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f616c696365	put	\\x7b226964223a2230316132336264652d353764622d373562622d623635332d376132616532613130656262222c226b696e64223a226163636f756e74222c226e616d65223a22616c696365222c22736c7567223a22616c696365222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	12	2	0	1796300756.964255
14	0	\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353830352d376666642d623833362d633463626631386236353864	put	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	14	1	2066706704662411012	1796300756.9993498
19	0	\\x69616d2f7265766f6b65642f746f6b656e2f3762643232653563306530373434633039306363313863653037366266653931	put	\\x7b2265787069726573223a20323734323338303735372e323035323331377d	19	1	798441055155431918	1796300757.210444
14	1	\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f626f62	put	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	14	1	2066706704662411012	1796300756.9993498
14	2	\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f626f62	put	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	14	1	2066706704662411012	1796300756.9993498
17	0	\\x6d6574612f6f626a656374732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353862662d376365652d386338332d623436393539663838386639	put	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	17	1	2066706704662411012	1796300757.1889567
17	1	\\x6d6574612f6e616d65732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f63692d6465706c6f796572	put	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	17	1	2066706704662411012	1796300757.1889567
17	2	\\x6d6574612f736c7567732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f63692d6465706c6f796572	put	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	17	1	2066706704662411012	1796300757.1889567
20	0	\\x6d6574612f6f626a656374732f726567696f6e2f61643935323536352d373264632d343963382d623739352d656634623862656139636434	put	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	20	1	2066706704662411012	1796300757.2271664
20	1	\\x6d6574612f6e616d65732f726567696f6e2f5f73797374656d2f64656661756c74	put	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	20	1	2066706704662411012	1796300757.2271664
20	2	\\x6d6574612f736c7567732f726567696f6e2f5f73797374656d2f64656661756c74	put	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	20	1	2066706704662411012	1796300757.2271664
30	0	\\x6d6574612f6f626a656374732f686f73742f64323332643330612d353433362d346235662d383962652d353835303635303139663931	put	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	30	1	2066706704662411012	1796300757.4542818
30	1	\\x6d6574612f6e616d65732f686f73742f5f73797374656d2f687631	put	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	30	1	2066706704662411012	1796300757.4542818
30	2	\\x6d6574612f736c7567732f686f73742f5f73797374656d2f687631	put	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	30	1	2066706704662411012	1796300757.4542818
33	0	\\x6d6574612f6f626a656374732f696d6167652f64643761646331352d303231312d343635642d623531352d626430323334666162653966	put	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	32	2	0	1796300757.6437547
33	1	\\x6d6574612f6e616d65732f696d6167652f5f73797374656d2f74696e79	put	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	32	2	0	1796300757.6437547
33	2	\\x6d6574612f736c7567732f696d6167652f5f73797374656d2f74696e79	put	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	32	2	0	1796300757.6437547
35	0	\\x6d6574612f6f626a656374732f696d6167652f34663034393666662d363564382d346239662d626131362d366132653039653766346634	put	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	34	2	0	1796300757.6653697
35	1	\\x6d6574612f6e616d65732f696d6167652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6d697373696e67	put	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	34	2	0	1796300757.6653697
35	2	\\x6d6574612f736c7567732f696d6167652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6d697373696e67	put	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	34	2	0	1796300757.6653697
40	0	\\x6d6574612f6f626a656374732f6d616368696e652f35393533356131662d616230342d346230622d623332652d363030336432353762336365	put	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	40	1	2066706704662411012	1796300757.88805
40	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d32	put	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	40	1	2066706704662411012	1796300757.88805
40	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d32	put	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	40	1	2066706704662411012	1796300757.88805
44	0	\\x636f6e74726f6c2f6d616368696e65732f35393533356131662d616230342d346230622d623332652d363030336432353762336365	put	\\x7b226964223a202235393533356131662d616230342d346230622d623332652d363030336432353762336365222c20226e616d65223a20227765622d32222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a202270726f766973696f6e696e67222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3933393537372b30303a3030227d	43	2	0	1796300757.9486828
51	0	\\x636f6e74726f6c2f6d616368696e65732f32306133313936392d373731322d343333342d383636322d376130316333633363663364	put	\\x7b226964223a202232306133313936392d373731322d343333342d383636322d376130316333633363663364222c20226e616d65223a20226f6c642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a2022616374697665222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3031373739342b30303a3030227d	48	3	0	1796300758.0317154
54	0	\\x636f6e74726f6c2f6d616368696e65732f61303236343866352d353535622d343662662d613662342d626437393831386235623063	put	\\x7b226964223a202261303236343866352d353535622d343662662d613662342d626437393831386235623063222c20226e616d65223a20226261642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a202270726f766973696f6e696e67222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202234663034393666662d363564382d346239662d626131362d366132653039653766346634222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3036373133372b30303a3030227d	53	2	0	1796300758.0750272
58	0	\\x636f6e74726f6c2f6d616368696e65732f36656130643233652d336361612d343965302d623264382d356265386234353139343164	put	\\x7b226964223a202236656130643233652d336361612d343965302d623264382d356265386234353139343164222c20226e616d65223a202262617463682d37222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20227265736572766564222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323039392d30312d30315430303a30303a30302b30303a3030222c2022656e64223a2022323039392d30312d30325430303a30303a30302b30303a3030222c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35382e3037343730312b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3037343730312b30303a3030227d	58	1	0	1796300758.1270626
63	0	\\x6d6574612f7461676765642f7261636b2d612f686f73742f64323332643330612d353433362d346235662d383962652d353835303635303139663931	put	\\x	63	1	0	1796300758.3166769
15	0	\\x6d6574612f6f626a656374732f6163636f756e742f30316132336264652d353830352d376666642d623833362d633463626631386236353864	put	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	14	2	0	1796300757.007718
15	1	\\x6d6574612f6e616d65732f6163636f756e742f5f73797374656d2f626f62	put	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	14	2	0	1796300757.007718
15	2	\\x6d6574612f736c7567732f6163636f756e742f5f73797374656d2f626f62	put	\\x7b226964223a2230316132336264652d353830352d376666642d623833362d633463626631386236353864222c226b696e64223a226163636f756e74222c226e616d65223a22626f62222c22736c7567223a22626f62222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	14	2	0	1796300757.007718
16	0	\\x69616d2f6b6579732f626f4772464f49493057596655727a495a63432d7331777443746767665862445762586930544c587a5645	put	\\x7b226b7479223a20224f4b50222c2022637276223a202245643235353139222c202278223a20224b6577513261516674446263792d4c415762427a425362677875684f58484c507537596f4c654d49703263222c20226b6964223a2022626f4772464f49493057596655727a495a63432d7331777443746767665862445762586930544c587a5645222c2022616c67223a20224564445341222c2022757365223a2022736967227d	16	1	0	1796300757.1318476
18	0	\\x6d6574612f6f626a656374732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353862662d376365652d386338332d623436393539663838386639	put	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	17	2	0	1796300757.1962757
18	1	\\x6d6574612f6e616d65732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f63692d6465706c6f796572	put	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	17	2	0	1796300757.1962757
18	2	\\x6d6574612f736c7567732f6170706c69636174696f6e5f63726564656e7469616c2f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f63692d6465706c6f796572	put	\\x7b226964223a2230316132336264652d353862662d376365652d386338332d623436393539663838386639222c226b696e64223a226170706c69636174696f6e5f63726564656e7469616c222c226e616d65223a2263692d6465706c6f796572222c22736c7567223a2263692d6465706c6f796572222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	17	2	0	1796300757.1962757
21	0	\\x6d6574612f6f626a656374732f726567696f6e2f61643935323536352d373264632d343963382d623739352d656634623862656139636434	put	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	20	2	0	1796300757.2468395
21	1	\\x6d6574612f6e616d65732f726567696f6e2f5f73797374656d2f64656661756c74	put	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	20	2	0	1796300757.2468395
21	2	\\x6d6574612f736c7567732f726567696f6e2f5f73797374656d2f64656661756c74	put	\\x7b226964223a2261643935323536352d373264632d343963382d623739352d656634623862656139636434222c226b696e64223a22726567696f6e222c226e616d65223a2264656661756c74222c22736c7567223a2264656661756c74222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	20	2	0	1796300757.2468395
56	0	\\x636f6e74726f6c2f6d616368696e65732f61303236343866352d353535622d343662662d613662342d626437393831386235623063	put	\\x7b226964223a202261303236343866352d353535622d343662662d613662342d626437393831386235623063222c20226e616d65223a20226261642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20226572726f72222c20226572726f72223a2022696d61676520766f6c756d6520276e6f2d737563682d766f6c756d652e72617727206e6f7420666f756e6420696e2073746f7261676520706f6f6c202764656661756c742d706f6f6c27222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202234663034393666662d363564382d346239662d626131362d366132653039653766346634222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3038323634362b30303a3030227d	53	3	0	1796300758.0949137
62	0	\\x6d6574612f7461676765642f66726f6e74656e642f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	put	\\x30316132336264652d353739392d373838332d613863352d353230643962386263646231	62	1	0	1796300758.3090007
62	1	\\x6d6574612f7461676765642f746965722d312f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	put	\\x30316132336264652d353739392d373838332d613863352d353230643962386263646231	62	1	0	1796300758.3090007
62	2	\\x6d6574612f746167732f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	put	\\x7b2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2274616773223a5b2266726f6e74656e64222c22746965722d31225d7d	62	1	0	1796300758.3090007
22	0	\\x6d6574612f6f626a656374732f726567696f6e2f62623061323134662d313564632d343933322d623433622d343366633461616365386465	put	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	22	1	2066706704662411012	1796300757.254368
22	1	\\x6d6574612f6e616d65732f726567696f6e2f5f73797374656d2f65752d7261636b2d31	put	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	22	1	2066706704662411012	1796300757.254368
22	2	\\x6d6574612f736c7567732f726567696f6e2f5f73797374656d2f65752d7261636b2d31	put	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	22	1	2066706704662411012	1796300757.254368
23	0	\\x6d6574612f6f626a656374732f726567696f6e2f62623061323134662d313564632d343933322d623433622d343366633461616365386465	put	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	22	2	0	1796300757.2681587
23	1	\\x6d6574612f6e616d65732f726567696f6e2f5f73797374656d2f65752d7261636b2d31	put	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	22	2	0	1796300757.2681587
23	2	\\x6d6574612f736c7567732f726567696f6e2f5f73797374656d2f65752d7261636b2d31	put	\\x7b226964223a2262623061323134662d313564632d343933322d623433622d343366633461616365386465222c226b696e64223a22726567696f6e222c226e616d65223a2265752d7261636b2d31222c22736c7567223a2265752d7261636b2d31222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	22	2	0	1796300757.2681587
31	0	\\x6d6574612f6f626a656374732f686f73742f64323332643330612d353433362d346235662d383962652d353835303635303139663931	put	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	30	2	0	1796300757.486299
31	1	\\x6d6574612f6e616d65732f686f73742f5f73797374656d2f687631	put	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	30	2	0	1796300757.486299
31	2	\\x6d6574612f736c7567732f686f73742f5f73797374656d2f687631	put	\\x7b226964223a2264323332643330612d353433362d346235662d383962652d353835303635303139663931222c226b696e64223a22686f7374222c226e616d65223a22687631222c22736c7567223a22687631222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	30	2	0	1796300757.486299
32	0	\\x6d6574612f6f626a656374732f696d6167652f64643761646331352d303231312d343635642d623531352d626430323334666162653966	put	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	32	1	2066706704662411012	1796300757.6323915
32	1	\\x6d6574612f6e616d65732f696d6167652f5f73797374656d2f74696e79	put	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	32	1	2066706704662411012	1796300757.6323915
32	2	\\x6d6574612f736c7567732f696d6167652f5f73797374656d2f74696e79	put	\\x7b226964223a2264643761646331352d303231312d343635642d623531352d626430323334666162653966222c226b696e64223a22696d616765222c226e616d65223a2274696e79222c22736c7567223a2274696e79222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	32	1	2066706704662411012	1796300757.6323915
34	0	\\x6d6574612f6f626a656374732f696d6167652f34663034393666662d363564382d346239662d626131362d366132653039653766346634	put	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	34	1	2066706704662411012	1796300757.6543787
34	1	\\x6d6574612f6e616d65732f696d6167652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6d697373696e67	put	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	34	1	2066706704662411012	1796300757.6543787
34	2	\\x6d6574612f736c7567732f696d6167652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6d697373696e67	put	\\x7b226964223a2234663034393666662d363564382d346239662d626131362d366132653039653766346634222c226b696e64223a22696d616765222c226e616d65223a226d697373696e67222c22736c7567223a226d697373696e67222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	34	1	2066706704662411012	1796300757.6543787
42	0	\\x6d6574612f6f626a656374732f6d616368696e652f35393533356131662d616230342d346230622d623332652d363030336432353762336365	put	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	40	2	0	1796300757.916605
42	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d32	put	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	40	2	0	1796300757.916605
42	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d32	put	\\x7b226964223a2235393533356131662d616230342d346230622d623332652d363030336432353762336365222c226b696e64223a226d616368696e65222c226e616d65223a227765622d32222c22736c7567223a227765622d32222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	40	2	0	1796300757.916605
43	0	\\x636f6e74726f6c2f6d616368696e65732f35393533356131662d616230342d346230622d623332652d363030336432353762336365	put	\\x7b226964223a202235393533356131662d616230342d346230622d623332652d363030336432353762336365222c20226e616d65223a20227765622d32222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20227363686564756c6564222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030227d	43	1	0	1796300757.935202
52	0	\\x6d6574612f6f626a656374732f6d616368696e652f61303236343866352d353535622d343662662d613662342d626437393831386235623063	put	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	49	2	0	1796300758.0415094
52	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6261642d31	put	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	49	2	0	1796300758.0415094
52	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6261642d31	put	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	49	2	0	1796300758.0415094
53	0	\\x636f6e74726f6c2f6d616368696e65732f61303236343866352d353535622d343662662d613662342d626437393831386235623063	put	\\x7b226964223a202261303236343866352d353535622d343662662d613662342d626437393831386235623063222c20226e616d65223a20226261642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20227363686564756c6564222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202234663034393666662d363564382d346239662d626131362d366132653039653766346634222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3030393131382b30303a3030227d	53	1	0	1796300758.062205
65	0	\\x6d6574612f76616c7565732f6d616368696e652f37653331656265392d336264362d343962662d383064632d3834653237373438303761352f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f70732f6f776e6572	put	\\x7b22646566696e6974696f6e5f70726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c226e616d65223a226f776e6572222c226e616d657370616365223a226f7073222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2276616c7565223a7b227465616d223a22776562227d7d	65	1	0	1796300759.0413704
65	1	\\x6d6574612f646566636f756e742f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f70732f6f776e6572	put	\\x31	65	1	0	1796300759.0413704
24	0	\\x6d6574612f6f626a656374732f70726f76696465722f64636639646337332d366636322d346562352d613638662d376133383939663763363865	put	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	24	1	2066706704662411012	1796300757.294205
24	1	\\x6d6574612f6e616d65732f70726f76696465722f5f73797374656d2f667067612d7368656c66	put	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	24	1	2066706704662411012	1796300757.294205
24	2	\\x6d6574612f736c7567732f70726f76696465722f5f73797374656d2f667067612d7368656c66	put	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	24	1	2066706704662411012	1796300757.294205
26	0	\\x6d6574612f6f626a656374732f70726f76696465722f30623165383838652d373631332d343439622d396263342d303131383838663237356532	put	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	26	1	2066706704662411012	1796300757.3364208
26	1	\\x6d6574612f6e616d65732f70726f76696465722f5f73797374656d2f667067612d7368656c662d6c656674	put	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	26	1	2066706704662411012	1796300757.3364208
26	2	\\x6d6574612f736c7567732f70726f76696465722f5f73797374656d2f667067612d7368656c662d6c656674	put	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	26	1	2066706704662411012	1796300757.3364208
28	0	\\x6d6574612f6f626a656374732f70726f76696465725f67726f75702f32613837656561352d646663642d343036362d396636362d396139616237303430646634	put	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	28	1	2066706704662411012	1796300757.3646996
28	1	\\x6d6574612f6e616d65732f70726f76696465725f67726f75702f5f73797374656d2f666173742d73746f72616765	put	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	28	1	2066706704662411012	1796300757.3646996
28	2	\\x6d6574612f736c7567732f70726f76696465725f67726f75702f5f73797374656d2f666173742d73746f72616765	put	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a747275657d	28	1	2066706704662411012	1796300757.3646996
39	0	\\x636f6e74726f6c2f6d616368696e65732f37653331656265392d336264362d343962662d383064632d383465323737343830376135	put	\\x7b226964223a202237653331656265392d336264362d343962662d383064632d383465323737343830376135222c20226e616d65223a20227765622d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a202270726f766973696f6e696e67222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3837323339372b30303a3030227d	38	2	0	1796300757.8817716
41	0	\\x636f6e74726f6c2f6d616368696e65732f37653331656265392d336264362d343962662d383064632d383465323737343830376135	put	\\x7b226964223a202237653331656265392d336264362d343962662d383064632d383465323737343830376135222c20226e616d65223a20227765622d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a2022616374697665222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3838383439372b30303a3030227d	38	3	0	1796300757.8966646
49	0	\\x6d6574612f6f626a656374732f6d616368696e652f61303236343866352d353535622d343662662d613662342d626437393831386235623063	put	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	49	1	2066706704662411012	1796300758.013451
49	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6261642d31	put	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	49	1	2066706704662411012	1796300758.013451
49	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6261642d31	put	\\x7b226964223a2261303236343866352d353535622d343662662d613662342d626437393831386235623063222c226b696e64223a226d616368696e65222c226e616d65223a226261642d31222c22736c7567223a226261642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	49	1	2066706704662411012	1796300758.013451
64	0	\\x6d6574612f646566732f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f70732f6f776e6572	put	\\x7b22637265617465645f6174223a313739363330303735392e303233353833322c226465736372697074696f6e223a2277686f20616e737765727320666f7220746865206d616368696e65222c226964223a2263396665373961342d643832352d343462662d623634622d303364336165336131343266222c226e616d65223a226f776e6572222c226e616d657370616365223a226f7073222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270726f746563746564223a66616c73652c22736368656d61223a7b2270726f70657274696573223a7b227465616d223a7b2274797065223a22737472696e67227d7d2c227265717569726564223a5b227465616d225d2c2274797065223a226f626a656374227d2c22757064617465645f6174223a313739363330303735392e303233353833327d	64	1	0	1796300759.0253966
25	0	\\x6d6574612f6f626a656374732f70726f76696465722f64636639646337332d366636322d346562352d613638662d376133383939663763363865	put	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	24	2	0	1796300757.3190272
25	1	\\x6d6574612f6e616d65732f70726f76696465722f5f73797374656d2f667067612d7368656c66	put	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	24	2	0	1796300757.3190272
25	2	\\x6d6574612f736c7567732f70726f76696465722f5f73797374656d2f667067612d7368656c66	put	\\x7b226964223a2264636639646337332d366636322d346562352d613638662d376133383939663763363865222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c66222c22736c7567223a22667067612d7368656c66222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	24	2	0	1796300757.3190272
27	0	\\x6d6574612f6f626a656374732f70726f76696465722f30623165383838652d373631332d343439622d396263342d303131383838663237356532	put	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	26	2	0	1796300757.3515806
27	1	\\x6d6574612f6e616d65732f70726f76696465722f5f73797374656d2f667067612d7368656c662d6c656674	put	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	26	2	0	1796300757.3515806
27	2	\\x6d6574612f736c7567732f70726f76696465722f5f73797374656d2f667067612d7368656c662d6c656674	put	\\x7b226964223a2230623165383838652d373631332d343439622d396263342d303131383838663237356532222c226b696e64223a2270726f7669646572222c226e616d65223a22667067612d7368656c662d6c656674222c22736c7567223a22667067612d7368656c662d6c656674222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	26	2	0	1796300757.3515806
29	0	\\x6d6574612f6f626a656374732f70726f76696465725f67726f75702f32613837656561352d646663642d343036362d396636362d396139616237303430646634	put	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	28	2	0	1796300757.3737445
29	1	\\x6d6574612f6e616d65732f70726f76696465725f67726f75702f5f73797374656d2f666173742d73746f72616765	put	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	28	2	0	1796300757.3737445
29	2	\\x6d6574612f736c7567732f70726f76696465725f67726f75702f5f73797374656d2f666173742d73746f72616765	put	\\x7b226964223a2232613837656561352d646663642d343036362d396636362d396139616237303430646634222c226b696e64223a2270726f76696465725f67726f7570222c226e616d65223a22666173742d73746f72616765222c22736c7567223a22666173742d73746f72616765222c2270726f6a656374223a6e756c6c2c2270656e64696e67223a66616c73657d	28	2	0	1796300757.3737445
38	0	\\x636f6e74726f6c2f6d616368696e65732f37653331656265392d336264362d343962662d383064632d383465323737343830376135	put	\\x7b226964223a202237653331656265392d336264362d343962662d383064632d383465323737343830376135222c20226e616d65223a20227765622d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20227363686564756c6564222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3738373333372b30303a3030227d	38	1	0	1796300757.8562355
46	0	\\x636f6e74726f6c2f6d616368696e65732f35393533356131662d616230342d346230622d623332652d363030336432353762336365	put	\\x7b226964223a202235393533356131662d616230342d346230622d623332652d363030336432353762336365222c20226e616d65223a20227765622d32222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a2022616374697665222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3837393238332b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3935343530382b30303a3030227d	43	3	0	1796300757.9619884
55	0	\\x6d6574612f6f626a656374732f6d616368696e652f36656130643233652d336361612d343965302d623264382d356265386234353139343164	put	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	55	1	2066706704662411012	1796300758.0844302
55	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f62617463682d37	put	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	55	1	2066706704662411012	1796300758.0844302
55	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f62617463682d37	put	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	55	1	2066706704662411012	1796300758.0844302
60	0	\\x636f6e74726f6c2f6d616368696e65732f32306133313936392d373731322d343333342d383636322d376130316333633363663364	put	\\x7b226964223a202232306133313936392d373731322d343333342d383636322d376130316333633363663364222c20226e616d65223a20226f6c642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20226465636f6d6d697373696f6e6564222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3139323337372b30303a3030227d	48	5	0	1796300758.195441
36	0	\\x6d6574612f6f626a656374732f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	put	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	36	1	2066706704662411012	1796300757.788616
36	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d31	put	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	36	1	2066706704662411012	1796300757.788616
36	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d31	put	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	36	1	2066706704662411012	1796300757.788616
37	0	\\x6d6574612f6f626a656374732f6d616368696e652f37653331656265392d336264362d343962662d383064632d383465323737343830376135	put	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	36	2	0	1796300757.840194
37	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d31	put	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	36	2	0	1796300757.840194
37	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f7765622d31	put	\\x7b226964223a2237653331656265392d336264362d343962662d383064632d383465323737343830376135222c226b696e64223a226d616368696e65222c226e616d65223a227765622d31222c22736c7567223a227765622d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	36	2	0	1796300757.840194
45	0	\\x6d6574612f6f626a656374732f6d616368696e652f32306133313936392d373731322d343333342d383636322d376130316333633363663364	put	\\x7b226964223a2232306133313936392d373731322d343333342d383636322d376130316333633363663364222c226b696e64223a226d616368696e65222c226e616d65223a226f6c642d31222c22736c7567223a226f6c642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	45	1	2066706704662411012	1796300757.9555998
45	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f6c642d31	put	\\x7b226964223a2232306133313936392d373731322d343333342d383636322d376130316333633363663364222c226b696e64223a226d616368696e65222c226e616d65223a226f6c642d31222c22736c7567223a226f6c642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	45	1	2066706704662411012	1796300757.9555998
45	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f6c642d31	put	\\x7b226964223a2232306133313936392d373731322d343333342d383636322d376130316333633363663364222c226b696e64223a226d616368696e65222c226e616d65223a226f6c642d31222c22736c7567223a226f6c642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a747275657d	45	1	2066706704662411012	1796300757.9555998
47	0	\\x6d6574612f6f626a656374732f6d616368696e652f32306133313936392d373731322d343333342d383636322d376130316333633363663364	put	\\x7b226964223a2232306133313936392d373731322d343333342d383636322d376130316333633363663364222c226b696e64223a226d616368696e65222c226e616d65223a226f6c642d31222c22736c7567223a226f6c642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	45	2	0	1796300757.979881
47	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f6c642d31	put	\\x7b226964223a2232306133313936392d373731322d343333342d383636322d376130316333633363663364222c226b696e64223a226d616368696e65222c226e616d65223a226f6c642d31222c22736c7567223a226f6c642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	45	2	0	1796300757.979881
47	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f6c642d31	put	\\x7b226964223a2232306133313936392d373731322d343333342d383636322d376130316333633363663364222c226b696e64223a226d616368696e65222c226e616d65223a226f6c642d31222c22736c7567223a226f6c642d31222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	45	2	0	1796300757.979881
48	0	\\x636f6e74726f6c2f6d616368696e65732f32306133313936392d373731322d343333342d383636322d376130316333633363663364	put	\\x7b226964223a202232306133313936392d373731322d343333342d383636322d376130316333633363663364222c20226e616d65223a20226f6c642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20227363686564756c6564222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030227d	48	1	0	1796300757.9952154
50	0	\\x636f6e74726f6c2f6d616368696e65732f32306133313936392d373731322d343333342d383636322d376130316333633363663364	put	\\x7b226964223a202232306133313936392d373731322d343333342d383636322d376130316333633363663364222c20226e616d65223a20226f6c642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a202270726f766973696f6e696e67222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3030373631362b30303a3030227d	48	2	0	1796300758.0259778
57	0	\\x6d6574612f6f626a656374732f6d616368696e652f36656130643233652d336361612d343965302d623264382d356265386234353139343164	put	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	55	2	0	1796300758.1081257
57	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f62617463682d37	put	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	55	2	0	1796300758.1081257
57	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f62617463682d37	put	\\x7b226964223a2236656130643233652d336361612d343965302d623264382d356265386234353139343164222c226b696e64223a226d616368696e65222c226e616d65223a2262617463682d37222c22736c7567223a2262617463682d37222c2270726f6a656374223a2230316132336264652d353739392d373838332d613863352d353230643962386263646231222c2270656e64696e67223a66616c73657d	55	2	0	1796300758.1081257
59	0	\\x636f6e74726f6c2f6d616368696e65732f32306133313936392d373731322d343333342d383636322d376130316333633363663364	put	\\x7b226964223a202232306133313936392d373731322d343333342d383636322d376130316333633363663364222c20226e616d65223a20226f6c642d31222c202270726f6a6563745f6964223a202230316132336264652d353739392d373838332d613863352d353230643962386263646231222c20226b696e64223a2022766d222c20227374617465223a20226465636f6d6d697373696f6e696e67222c20226572726f72223a2022222c20227265736f7572636573223a205b312c2036342c20315d2c2022696d6167655f6964223a202264643761646331352d303231312d343635642d623531352d626430323334666162653966222c2022686f73745f6964223a202264323332643330612d353433362d346235662d383962652d353835303635303139663931222c2022726567696f6e5f6964223a206e756c6c2c20226e6574776f726b223a202264656661756c74222c20227374617274223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022656e64223a206e756c6c2c2022637265617465645f6174223a2022323032362d31322d30335431323a32353a35372e3934373933392b30303a3030222c2022757064617465645f6174223a2022323032362d31322d30335431323a32353a35382e3135383539352b30303a3030227d	48	4	0	1796300758.170353
61	0	\\x6d6574612f6f626a656374732f6d616368696e652f32306133313936392d373731322d343333342d383636322d376130316333633363663364	delete	\\x	0	0	0	1796300758.1985197
61	1	\\x6d6574612f6e616d65732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f6c642d31	delete	\\x	0	0	0	1796300758.1985197
61	2	\\x6d6574612f736c7567732f6d616368696e652f30316132336264652d353739392d373838332d613863352d3532306439623862636462312f6f6c642d31	delete	\\x	0	0	0	1796300758.1985197
63	1	\\x6d6574612f746167732f686f73742f64323332643330612d353433362d346235662d383962652d353835303635303139663931	put	\\x7b2270726f6a656374223a6e756c6c2c2274616773223a5b227261636b2d61225d7d	63	1	0	1796300758.3166769
\.


--
-- Data for Name: kv_revision; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.kv_revision (id, revision, compact_revision) FROM stdin;
1	65	0
\.


--
-- Data for Name: resource_allocations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_allocations (consumer_id, provider_id, resource_class, amount, start_at, end_at, project_id, windowed) FROM stdin;
1	1	CUSTOM_FPGA	3	1796300757414496	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
2	1	CUSTOM_FPGA	4	4070908800000000	4071081600000000	01a23bde-5799-7883-a8c5-520d9b8bcdb1	t
2	2	CUSTOM_FPGA	2	4070908800000000	4071081600000000	01a23bde-5799-7883-a8c5-520d9b8bcdb1	t
3	3	DISK_GB	1	1796300757834463	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
3	3	MEMORY_MB	64	1796300757834463	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
3	3	VCPU	1	1796300757834463	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
4	3	DISK_GB	1	1796300757910038	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
4	3	MEMORY_MB	64	1796300757910038	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
4	3	VCPU	1	1796300757910038	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
6	3	DISK_GB	1	1796300758036222	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
6	3	MEMORY_MB	64	1796300758036222	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
6	3	VCPU	1	1796300758036222	\N	01a23bde-5799-7883-a8c5-520d9b8bcdb1	f
7	3	DISK_GB	1	4070908800000000	4070995200000000	01a23bde-5799-7883-a8c5-520d9b8bcdb1	t
7	3	MEMORY_MB	64	4070908800000000	4070995200000000	01a23bde-5799-7883-a8c5-520d9b8bcdb1	t
7	3	VCPU	1	4070908800000000	4070995200000000	01a23bde-5799-7883-a8c5-520d9b8bcdb1	t
\.


--
-- Data for Name: resource_classes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_classes (code, created_at) FROM stdin;
CUSTOM_FPGA	1796300757286094
\.


--
-- Data for Name: resource_consumers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_consumers (id, uuid, project_id, kind, generation, start_at, end_at, created_at, updated_at, owner) FROM stdin;
1	3f1e14ce-8acb-4031-bc42-34b70149d963	01a23bde-5799-7883-a8c5-520d9b8bcdb1	fpga-job	1	1796300757414496	\N	1796300757414496	1796300757414496	\N
2	d878112c-2408-43a4-9033-e1b98efe7112	01a23bde-5799-7883-a8c5-520d9b8bcdb1	fpga-job	1	4070908800000000	4071081600000000	1796300757432684	1796300757432684	\N
3	7e31ebe9-3bd6-49bf-80dc-84e2774807a5	01a23bde-5799-7883-a8c5-520d9b8bcdb1	machine	1	1796300757834463	\N	1796300757834463	1796300757834463	control
4	59535a1f-ab04-4b0b-b32e-6003d257b3ce	01a23bde-5799-7883-a8c5-520d9b8bcdb1	machine	1	1796300757910038	\N	1796300757910038	1796300757910038	control
6	a02648f5-555b-46bf-a6b4-bd79818b5b0c	01a23bde-5799-7883-a8c5-520d9b8bcdb1	machine	1	1796300758036222	\N	1796300758036222	1796300758036222	control
7	6ea0d23e-3caa-49e0-b2d8-5be8b451941d	01a23bde-5799-7883-a8c5-520d9b8bcdb1	machine	1	4070908800000000	4070995200000000	1796300758100805	1796300758100805	control
\.


--
-- Data for Name: resource_distances; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_distances (provider_id, other_id, distance) FROM stdin;
1	2	2
2	1	2
\.


--
-- Data for Name: resource_group_members; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_group_members (provider_id, group_id) FROM stdin;
1	1
2	1
\.


--
-- Data for Name: resource_groups; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_groups (id, uuid, named, created_at) FROM stdin;
1	2a87eea5-dfcd-4066-9f66-9a9ab7040df4	t	1796300757370021
\.


--
-- Data for Name: resource_inventories; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_inventories (provider_id, resource_class, total, reserved, min_unit, max_unit, step_size, allocation_ratio, capacity, claimed, free, windowed) FROM stdin;
1	DISK_GB	2000	0	1	2000	10	1.5	3000	0	3000	0
1	CUSTOM_FPGA	8	1	1	4	1	1	7	7	0	1
2	CUSTOM_FPGA	2	0	1	2	1	1	2	2	0	1
3	DISK_GB	100	0	1	100	1	1	100	4	96	1
3	MEMORY_MB	3072	0	1	3072	1	1	3072	256	2816	1
3	VCPU	16	0	1	16	1	4	64	4	60	1
\.


--
-- Data for Name: resource_provider_traits; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_provider_traits (provider_id, trait) FROM stdin;
1	CUSTOM_FAST_DISK
1	HW_CPU_X86_AVX2
3	CUSTOM_NETWORK_DEFAULT
3	HW_ARCH_I686
\.


--
-- Data for Name: resource_providers; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_providers (id, uuid, region_id, parent_id, root_id, generation, named, created_at, updated_at) FROM stdin;
1	dcf9dc73-6f62-4eb5-a68f-7a3899f7c68e	bb0a214f-15dc-4932-b43b-43fc4aace8de	\N	1	2	t	1796300757303670	1796300757386301
2	0b1e888e-7613-449b-9bc4-011888f275e2	bb0a214f-15dc-4932-b43b-43fc4aace8de	1	1	2	t	1796300757342550	1796300757386301
3	d232d30a-5436-4b5f-89be-585065019f91	ad952565-72dc-49c8-b795-ef4b8bea9cd4	\N	3	3	f	1796300757458802	1796300757534840
\.


--
-- Data for Name: resource_quotas; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_quotas (project_id, resource_class, limit_amount) FROM stdin;
01a23bde-5799-7883-a8c5-520d9b8bcdb1	CUSTOM_FPGA	10
\.


--
-- Data for Name: resource_regions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_regions (id, parent_id, visibility, attributes, created_at) FROM stdin;
ad952565-72dc-49c8-b795-ef4b8bea9cd4	\N	public	{}	1796300757230096
bb0a214f-15dc-4932-b43b-43fc4aace8de	ad952565-72dc-49c8-b795-ef4b8bea9cd4	internal	{"network": "tor-1", "power": "feed-a"}	1796300757257182
\.


--
-- Data for Name: resource_sharing; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_sharing (provider_id, group_id) FROM stdin;
\.


--
-- Data for Name: resource_traits; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.resource_traits (code, created_at) FROM stdin;
CUSTOM_FAST_DISK	1796300757280069
CUSTOM_NETWORK_DEFAULT	1796300757528217
\.


--
-- Data for Name: schema_versions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.schema_versions (module, version, description, applied_at) FROM stdin;
kv	1	create the embedded key/value tables	2026-12-03 12:25:56.01296+00
iam	1	accounts, projects, roles, signing keys, bootstrap	2026-12-03 12:25:56.066755+00
resource	1	regions, providers, inventories, claims, quotas	2026-12-03 12:25:56.196071+00
resource	2	record which module manages a claim	2026-12-03 12:25:56.199312+00
resource	3	consumer ids unique within a project	2026-12-03 12:25:56.204413+00
control	1	create the task queue table	2026-12-03 12:25:56.227975+00
control	2	create the host, image and machine tables	2026-12-03 12:25:56.276275+00
control	3	index machines by state and last change	2026-12-03 12:25:56.350873+00
control	4	add BMC, power and maintenance columns to hosts	2026-12-03 12:25:56.386532+00
control	5	create the boot job table	2026-12-03 12:25:56.404706+00
control	6	add deploy steps to machines	2026-12-03 12:25:56.411464+00
\.


--
-- Name: resource_consumers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.resource_consumers_id_seq', 7, true);


--
-- Name: resource_groups_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.resource_groups_id_seq', 1, true);


--
-- Name: resource_providers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.resource_providers_id_seq', 3, true);


--
-- Name: control_boot_jobs pk_control_boot_jobs; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.control_boot_jobs
    ADD CONSTRAINT pk_control_boot_jobs PRIMARY KEY (id);


--
-- Name: control_hosts pk_control_hosts; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.control_hosts
    ADD CONSTRAINT pk_control_hosts PRIMARY KEY (id);


--
-- Name: control_images pk_control_images; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.control_images
    ADD CONSTRAINT pk_control_images PRIMARY KEY (id);


--
-- Name: control_machines pk_control_machines; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.control_machines
    ADD CONSTRAINT pk_control_machines PRIMARY KEY (id);


--
-- Name: control_tasks pk_control_tasks; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.control_tasks
    ADD CONSTRAINT pk_control_tasks PRIMARY KEY (id);


--
-- Name: iam_accounts pk_iam_accounts; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.iam_accounts
    ADD CONSTRAINT pk_iam_accounts PRIMARY KEY (id);


--
-- Name: iam_bootstrap pk_iam_bootstrap; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.iam_bootstrap
    ADD CONSTRAINT pk_iam_bootstrap PRIMARY KEY (id);


--
-- Name: iam_bootstrap_secrets pk_iam_bootstrap_secrets; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.iam_bootstrap_secrets
    ADD CONSTRAINT pk_iam_bootstrap_secrets PRIMARY KEY (secret_hash);


--
-- Name: iam_projects pk_iam_projects; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.iam_projects
    ADD CONSTRAINT pk_iam_projects PRIMARY KEY (id);


--
-- Name: iam_role_assignments pk_iam_role_assignments; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.iam_role_assignments
    ADD CONSTRAINT pk_iam_role_assignments PRIMARY KEY (account_id, scope, role);


--
-- Name: iam_signing_keys pk_iam_signing_keys; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.iam_signing_keys
    ADD CONSTRAINT pk_iam_signing_keys PRIMARY KEY (key_id);


--
-- Name: kv_keys pk_kv_keys; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kv_keys
    ADD CONSTRAINT pk_kv_keys PRIMARY KEY (key);


--
-- Name: kv_leases pk_kv_leases; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kv_leases
    ADD CONSTRAINT pk_kv_leases PRIMARY KEY (id);


--
-- Name: kv_log pk_kv_log; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kv_log
    ADD CONSTRAINT pk_kv_log PRIMARY KEY (revision, seq);


--
-- Name: kv_revision pk_kv_revision; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kv_revision
    ADD CONSTRAINT pk_kv_revision PRIMARY KEY (id);


--
-- Name: resource_allocations pk_resource_allocations; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_allocations
    ADD CONSTRAINT pk_resource_allocations PRIMARY KEY (consumer_id, provider_id, resource_class);


--
-- Name: resource_classes pk_resource_classes; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_classes
    ADD CONSTRAINT pk_resource_classes PRIMARY KEY (code);


--
-- Name: resource_consumers pk_resource_consumers; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_consumers
    ADD CONSTRAINT pk_resource_consumers PRIMARY KEY (id);


--
-- Name: resource_distances pk_resource_distances; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_distances
    ADD CONSTRAINT pk_resource_distances PRIMARY KEY (provider_id, other_id);


--
-- Name: resource_group_members pk_resource_group_members; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_group_members
    ADD CONSTRAINT pk_resource_group_members PRIMARY KEY (provider_id, group_id);


--
-- Name: resource_groups pk_resource_groups; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_groups
    ADD CONSTRAINT pk_resource_groups PRIMARY KEY (id);


--
-- Name: resource_inventories pk_resource_inventories; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_inventories
    ADD CONSTRAINT pk_resource_inventories PRIMARY KEY (provider_id, resource_class);


--
-- Name: resource_provider_traits pk_resource_provider_traits; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_provider_traits
    ADD CONSTRAINT pk_resource_provider_traits PRIMARY KEY (provider_id, trait);


--
-- Name: resource_providers pk_resource_providers; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_providers
    ADD CONSTRAINT pk_resource_providers PRIMARY KEY (id);


--
-- Name: resource_quotas pk_resource_quotas; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_quotas
    ADD CONSTRAINT pk_resource_quotas PRIMARY KEY (project_id, resource_class);


--
-- Name: resource_regions pk_resource_regions; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_regions
    ADD CONSTRAINT pk_resource_regions PRIMARY KEY (id);


--
-- Name: resource_sharing pk_resource_sharing; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_sharing
    ADD CONSTRAINT pk_resource_sharing PRIMARY KEY (provider_id, group_id);


--
-- Name: resource_traits pk_resource_traits; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_traits
    ADD CONSTRAINT pk_resource_traits PRIMARY KEY (code);


--
-- Name: schema_versions pk_schema_versions; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_versions
    ADD CONSTRAINT pk_schema_versions PRIMARY KEY (module, version);


--
-- Name: control_boot_jobs uq_control_boot_jobs_token_digest; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.control_boot_jobs
    ADD CONSTRAINT uq_control_boot_jobs_token_digest UNIQUE (token_digest);


--
-- Name: control_hosts uq_control_hosts_uri; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.control_hosts
    ADD CONSTRAINT uq_control_hosts_uri UNIQUE (uri);


--
-- Name: resource_consumers uq_resource_consumers_uuid_project; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_consumers
    ADD CONSTRAINT uq_resource_consumers_uuid_project UNIQUE (uuid, project_id);


--
-- Name: resource_groups uq_resource_groups_uuid; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_groups
    ADD CONSTRAINT uq_resource_groups_uuid UNIQUE (uuid);


--
-- Name: resource_providers uq_resource_providers_uuid; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_providers
    ADD CONSTRAINT uq_resource_providers_uuid UNIQUE (uuid);


--
-- Name: ix_control_boot_jobs_host_id_finished_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_boot_jobs_host_id_finished_at ON public.control_boot_jobs USING btree (host_id, finished_at);


--
-- Name: ix_control_hosts_kind; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_hosts_kind ON public.control_hosts USING btree (kind);


--
-- Name: ix_control_images_project_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_images_project_id ON public.control_images USING btree (project_id);


--
-- Name: ix_control_machines_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_machines_created_at ON public.control_machines USING btree (created_at, id);


--
-- Name: ix_control_machines_host_id_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_machines_host_id_state ON public.control_machines USING btree (host_id, state);


--
-- Name: ix_control_machines_image_id_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_machines_image_id_state ON public.control_machines USING btree (image_id, state);


--
-- Name: ix_control_machines_project_id_created_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_machines_project_id_created_at ON public.control_machines USING btree (project_id, created_at, id);


--
-- Name: ix_control_machines_state_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_machines_state_updated_at ON public.control_machines USING btree (state, updated_at);


--
-- Name: ix_control_tasks_state_lease_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_tasks_state_lease_expires_at ON public.control_tasks USING btree (state, lease_expires_at, id);


--
-- Name: ix_control_tasks_state_not_before; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_tasks_state_not_before ON public.control_tasks USING btree (state, not_before, created_at, id);


--
-- Name: ix_control_tasks_target_id_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_control_tasks_target_id_state ON public.control_tasks USING btree (target_id, state);


--
-- Name: ix_iam_accounts_project_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_iam_accounts_project_id ON public.iam_accounts USING btree (project_id);


--
-- Name: ix_iam_role_assignments_scope; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_iam_role_assignments_scope ON public.iam_role_assignments USING btree (scope);


--
-- Name: ix_kv_keys_lease; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_kv_keys_lease ON public.kv_keys USING btree (lease);


--
-- Name: ix_kv_leases_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_kv_leases_expires_at ON public.kv_leases USING btree (expires_at);


--
-- Name: ix_resource_allocations_project_class; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_allocations_project_class ON public.resource_allocations USING btree (project_id, resource_class);


--
-- Name: ix_resource_allocations_provider_class; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_allocations_provider_class ON public.resource_allocations USING btree (provider_id, resource_class);


--
-- Name: ix_resource_consumers_end_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_consumers_end_at ON public.resource_consumers USING btree (end_at);


--
-- Name: ix_resource_consumers_project_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_consumers_project_id ON public.resource_consumers USING btree (project_id);


--
-- Name: ix_resource_consumers_start_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_consumers_start_at ON public.resource_consumers USING btree (start_at);


--
-- Name: ix_resource_distances_provider_distance; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_distances_provider_distance ON public.resource_distances USING btree (provider_id, distance);


--
-- Name: ix_resource_inventories_class_free; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_inventories_class_free ON public.resource_inventories USING btree (resource_class, free, provider_id);


--
-- Name: ix_resource_inventories_windowed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_inventories_windowed ON public.resource_inventories USING btree (resource_class, provider_id) WHERE (windowed > 0);


--
-- Name: ix_resource_members_group_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_members_group_id ON public.resource_group_members USING btree (group_id, provider_id);


--
-- Name: ix_resource_provider_traits_trait; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_provider_traits_trait ON public.resource_provider_traits USING btree (trait, provider_id);


--
-- Name: ix_resource_providers_parent_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_providers_parent_id ON public.resource_providers USING btree (parent_id);


--
-- Name: ix_resource_providers_region_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_providers_region_id ON public.resource_providers USING btree (region_id);


--
-- Name: ix_resource_providers_root_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_providers_root_id ON public.resource_providers USING btree (root_id);


--
-- Name: ix_resource_regions_parent_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_regions_parent_id ON public.resource_regions USING btree (parent_id);


--
-- Name: ix_resource_sharing_group_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_resource_sharing_group_id ON public.resource_sharing USING btree (group_id, provider_id);


--
-- Name: iam_role_assignments fk_iam_role_assignments_account_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.iam_role_assignments
    ADD CONSTRAINT fk_iam_role_assignments_account_id FOREIGN KEY (account_id) REFERENCES public.iam_accounts(id) ON DELETE CASCADE;


--
-- Name: resource_allocations fk_resource_allocations_consumer_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_allocations
    ADD CONSTRAINT fk_resource_allocations_consumer_id FOREIGN KEY (consumer_id) REFERENCES public.resource_consumers(id) ON DELETE CASCADE;


--
-- Name: resource_allocations fk_resource_allocations_provider_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_allocations
    ADD CONSTRAINT fk_resource_allocations_provider_id FOREIGN KEY (provider_id) REFERENCES public.resource_providers(id);


--
-- Name: resource_distances fk_resource_distances_other_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_distances
    ADD CONSTRAINT fk_resource_distances_other_id FOREIGN KEY (other_id) REFERENCES public.resource_providers(id) ON DELETE CASCADE;


--
-- Name: resource_distances fk_resource_distances_provider_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_distances
    ADD CONSTRAINT fk_resource_distances_provider_id FOREIGN KEY (provider_id) REFERENCES public.resource_providers(id) ON DELETE CASCADE;


--
-- Name: resource_group_members fk_resource_group_members_group_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_group_members
    ADD CONSTRAINT fk_resource_group_members_group_id FOREIGN KEY (group_id) REFERENCES public.resource_groups(id) ON DELETE CASCADE;


--
-- Name: resource_group_members fk_resource_group_members_provider_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_group_members
    ADD CONSTRAINT fk_resource_group_members_provider_id FOREIGN KEY (provider_id) REFERENCES public.resource_providers(id) ON DELETE CASCADE;


--
-- Name: resource_inventories fk_resource_inventories_provider_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_inventories
    ADD CONSTRAINT fk_resource_inventories_provider_id FOREIGN KEY (provider_id) REFERENCES public.resource_providers(id) ON DELETE CASCADE;


--
-- Name: resource_provider_traits fk_resource_provider_traits_provider_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_provider_traits
    ADD CONSTRAINT fk_resource_provider_traits_provider_id FOREIGN KEY (provider_id) REFERENCES public.resource_providers(id) ON DELETE CASCADE;


--
-- Name: resource_providers fk_resource_providers_parent_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_providers
    ADD CONSTRAINT fk_resource_providers_parent_id FOREIGN KEY (parent_id) REFERENCES public.resource_providers(id);


--
-- Name: resource_providers fk_resource_providers_region_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_providers
    ADD CONSTRAINT fk_resource_providers_region_id FOREIGN KEY (region_id) REFERENCES public.resource_regions(id);


--
-- Name: resource_regions fk_resource_regions_parent_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_regions
    ADD CONSTRAINT fk_resource_regions_parent_id FOREIGN KEY (parent_id) REFERENCES public.resource_regions(id);


--
-- Name: resource_sharing fk_resource_sharing_group_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_sharing
    ADD CONSTRAINT fk_resource_sharing_group_id FOREIGN KEY (group_id) REFERENCES public.resource_groups(id) ON DELETE CASCADE;


--
-- Name: resource_sharing fk_resource_sharing_provider_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.resource_sharing
    ADD CONSTRAINT fk_resource_sharing_provider_id FOREIGN KEY (provider_id) REFERENCES public.resource_providers(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict JO4x7i5DeQdkgFUG34rVf30fyujfmeOrujcgHBtTAYRyRK4jkPvZKN4GZ8dd8Nl

