-- Profiles, one per user.
create table public.profiles (
  id bigint generated always as identity primary key,
  username text not null unique,
  created_at timestamptz not null default now()
);
