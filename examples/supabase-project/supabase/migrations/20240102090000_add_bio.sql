alter table public.profiles add column bio text;
comment on column public.profiles.bio is 'Shown on the profile page; may contain ; and $$.';
