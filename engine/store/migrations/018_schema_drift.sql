-- (ext) How a dataset's source columns drifted from what its streams' mappings read (engine/extract/schema-drift.ts):
-- mapped columns that disappeared or changed type, and columns new since the mappings were saved. Null: none.
alter table datasets add column schema_drift jsonb;
