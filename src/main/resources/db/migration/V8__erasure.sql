-- GDPR erasure replaces a customer's id everywhere by a keyed pseudonym (HMAC-SHA256 with this per-project key), so
-- counts, limits and budgets stay right while the raw id is gone. The key is made on the first erasure.
alter table projects add column pseudonym_key varchar(100);
