"""`pgalign demo`: a Supabase-style project misaligned the way real ones get misaligned.

The story of the users' own knowledge base: 15 local migrations; production applied older
migrations whose files were later archived out of the directory; one recent migration was
run by hand in production's SQL editor; and two hot-fixes were applied there by hand.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from pgalign.config import load_project
from pgalign.connect import connect
from pgalign.migrations.directory import MigrationFile, load_directory
from pgalign.migrations.executor import apply_migration
from pgalign.migrations.history import ensure_history_table
from pgalign.targets import Target, ensure_local_server, resolve_environment

# Applied on production long ago, then moved out of supabase/migrations.
ARCHIVED = {
    "20231002090000_legacy_events": """
create table public.legacy_events (
  id bigint generated always as identity primary key,
  payload jsonb not null,
  created_at timestamptz not null default now()
);
""",
    "20231115120000_legacy_events_index": """
create index legacy_events_created_at on public.legacy_events (created_at);
""",
}

MIGRATIONS = {
    "20240105090000_profiles": """
-- One profile per auth user.
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text unique,
  full_name text,
  created_at timestamptz not null default now()
);
alter table public.profiles enable row level security;
""",
    "20240105093000_profiles_policies": """
create policy "profiles are readable by everyone" on public.profiles
  for select using (true);
create policy "users update their own profile" on public.profiles
  for update to authenticated using (auth.uid() = id) with check (auth.uid() = id);
""",
    "20240112100000_teams": """
create table public.teams (
  id bigint generated always as identity primary key,
  name text not null,
  slug text not null unique,
  created_at timestamptz not null default now()
);
create table public.team_members (
  team_id bigint not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  primary key (team_id, user_id)
);
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
""",
    "20240112103000_is_member_function": """
create function public.is_team_member(team bigint) returns boolean
language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.team_members m where m.team_id = team and m.user_id = auth.uid()
  );
$$;
""",
    "20240112104500_teams_policies": """
create policy "members see their teams" on public.teams
  for select to authenticated using (public.is_team_member(id));
create policy "members see their team's members" on public.team_members
  for select to authenticated using (public.is_team_member(team_id));
""",
    "20240120140000_project_status": """
create type public.project_status as enum ('active', 'archived');
""",
    "20240120141500_projects": """
create table public.projects (
  id bigint generated always as identity primary key,
  team_id bigint not null references public.teams (id) on delete cascade,
  name text not null,
  status public.project_status not null default 'active',
  created_at timestamptz not null default now()
);
create index projects_team_id on public.projects (team_id);
alter table public.projects enable row level security;
create policy "members see their projects" on public.projects
  for select to authenticated using (public.is_team_member(team_id));
""",
    "20240202110000_tasks": """
create table public.tasks (
  id bigint generated always as identity primary key,
  project_id bigint not null references public.projects (id) on delete cascade,
  title text not null,
  done boolean not null default false,
  due_date date,
  assignee uuid references auth.users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index tasks_project_id on public.tasks (project_id);
alter table public.tasks enable row level security;
""",
    "20240202113000_updated_at_trigger": """
create function public.touch_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
create trigger tasks_touch_updated_at before update on public.tasks
  for each row execute function public.touch_updated_at();
""",
    "20240210090000_tasks_policies": """
create policy "members manage their tasks" on public.tasks
  for all to authenticated
  using (public.is_team_member((select p.team_id from public.projects p where p.id = project_id)));
""",
    "20240301120000_comments": """
create table public.comments (
  id bigint generated always as identity primary key,
  task_id bigint not null references public.tasks (id) on delete cascade,
  author uuid not null references auth.users (id),
  body text not null check (length(body) <= 5000),
  created_at timestamptz not null default now()
);
create index comments_task_id on public.comments (task_id);
alter table public.comments enable row level security;
""",
    "20240315100000_task_counts_view": """
create view public.project_task_counts with (security_invoker = true) as
  select p.id as project_id, count(t.id) as tasks, count(t.id) filter (where t.done) as done
  from public.projects p left join public.tasks t on t.project_id = p.id
  group by p.id;
""",
    "20240402160000_realtime": """
alter publication supabase_realtime add table public.tasks, public.comments;
""",
    # Run by hand in production's SQL editor; never recorded there.
    "20240415090000_task_priority": """
alter table public.tasks add column priority smallint not null default 0;
create index tasks_priority on public.tasks (project_id, priority);
""",
    # Not yet deployed to production.
    "20240420110000_project_description": """
alter table public.projects add column description text;
comment on column public.projects.description is 'Shown on the project page.';
""",
}

RUN_BY_HAND = "20240415090000_task_priority"
NOT_DEPLOYED = "20240420110000_project_description"
HOTFIXES = """
create index tasks_due_date on public.tasks (due_date) where not done;
alter table public.profiles add column is_beta_tester boolean not null default false;
"""

CONFIG = """# The pgalign demo project: local and production are two databases on pgalign's
# embedded server, so the demo needs no PostgreSQL of yours.
migrations_dir = "supabase/migrations"

[environments.local]
url = "embedded"

[environments.production]
url = "embedded:production"
protected = true
"""


def write_project(root: Path) -> None:
    migrations = root / "supabase" / "migrations"
    archive = migrations / "archive"
    archive.mkdir(parents=True)
    (root / "supabase" / "config.toml").write_text('project_id = "pgalign-demo"\n')
    (root / "supabase" / "seed.sql").write_text("-- seed data for local development\n")
    (root / "pgalign.toml").write_text(CONFIG)
    for name, sql in ARCHIVED.items():
        (archive / f"{name}.sql").write_text(sql.lstrip())
    for name, sql in MIGRATIONS.items():
        (migrations / f"{name}.sql").write_text(sql.lstrip())


def create_demo(root: Path | None = None) -> Path:
    """Write the project and bring both databases into the story's state."""
    root = root or Path(tempfile.mkdtemp(prefix="pgalign-demo-"))
    write_project(root)
    project = load_project(root)
    ensure_local_server(project)
    local = resolve_environment(project, project.environment("local"))
    production = resolve_environment(project, project.environment("production"))
    directory = load_directory(project.migrations_dir)
    _apply(local, directory.files)
    # Production: the archived migrations first, then everything but the two newest files.
    archived = load_directory(project.migrations_dir / "archive").files
    deployed = [f for f in directory.files if f.path.stem not in (RUN_BY_HAND, NOT_DEPLOYED)]
    _apply(production, [*archived, *deployed])
    # As a person in the dashboard's SQL editor would: not a pgalign connection.
    with connect(production.url, autocommit=True, application_name="sql editor") as conn:
        conn.execute(MIGRATIONS[RUN_BY_HAND])  # schema changed, history not
        conn.execute(HOTFIXES)
    return root


def _apply(target: Target, files: Sequence[MigrationFile]) -> None:
    with connect(target.url, autocommit=True, application_name="pgalign demo") as conn:
        with conn.transaction():
            ensure_history_table(conn)
        for migration in files:
            apply_migration(conn, migration, target.url)
