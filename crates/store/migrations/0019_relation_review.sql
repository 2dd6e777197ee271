-- A relation (amends / replaces / repeals) takes effect only through the reviewed publication
-- of the source version it was recorded on, reaches another agency's document only with the
-- disclosure office's approval, and can be withdrawn. `target_validity_before` is what the
-- target's validity was when the relation took effect, restored when it is withdrawn.
ALTER TABLE document_relations ADD COLUMN recorded_version BIGINT;
ALTER TABLE document_relations ADD COLUMN needs_approval BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE document_relations ADD COLUMN approved_by BIGINT;
ALTER TABLE document_relations ADD COLUMN approved_at {ts};
ALTER TABLE document_relations ADD COLUMN effective_at {ts};
ALTER TABLE document_relations ADD COLUMN target_validity_before TEXT;
ALTER TABLE document_relations ADD COLUMN withdrawn_at {ts};
ALTER TABLE document_relations ADD COLUMN withdrawn_by BIGINT;
-- Relations of documents already published took effect under the old rule.
UPDATE document_relations SET effective_at = created_at, target_validity_before = 'current'
 WHERE from_id IN (SELECT id FROM documents WHERE public_version_id IS NOT NULL);
CREATE INDEX document_relations_pending ON document_relations (needs_approval, approved_at);
