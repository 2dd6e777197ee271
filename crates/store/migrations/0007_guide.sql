-- The 政府信息公开指南 and 法定主动公开内容: an agency's fax (条例第十二条 names it) and its own
-- additions to the guide; which 条例第二十条 item a catalogue item fulfils.
ALTER TABLE agencies ADD COLUMN fax TEXT;
ALTER TABLE agencies ADD COLUMN guide_note TEXT;
ALTER TABLE catalogue_items ADD COLUMN statutory_item BIGINT;

-- Imports look a document up by agency and title plus 成文日期 when it has neither 索引号 nor
-- 文号; without an index each lookup would scan every version.
CREATE INDEX document_versions_title ON document_versions (title, formed_on);
