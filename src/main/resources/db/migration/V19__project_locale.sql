-- The project's default locale for storefront texts (a campaign's display entry is chosen by the request's locale,
-- then this one, then the campaign's first). Null: no default.
alter table projects add column locale varchar(35);
