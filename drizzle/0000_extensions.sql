-- Trigram indexes serve users(search:), a case-insensitive substring match on names.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
